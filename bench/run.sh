#!/usr/bin/env bash
# deployphase next to the durable floor, ninja and make: whole-process medians, alternating.
#
#   bash bench/run.sh [ROUNDS] [SIZES...]      (defaults: 5; 10 100 1000 10000)
#
# Needs a built deployphase (DEPLOYPHASE, default build/src/deployphase), cc, c++, make, ninja
# and the libcmark and nlohmann-json headers.
# Generates no-op phases (each step a `sh step=` block running `true`), a Makefile and a
# build.ninja of as many targets, and times with bench/timer.c: every command once per
# round, in turn. Prints the table docs/performance.md shows, then each performance target
# against its measurement, then what parsing alone costs a resume (bench/parse_floor.cpp).
# Asserts nothing: timings belong here, not in the test suite.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${1:-5}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 100 1000 10000)
deployphase=${DEPLOYPHASE:-$root/build/src/deployphase}
seed="$root/phases/deployment-operations.md"
[ -x "$deployphase" ] || { echo "bench: build deployphase first (bash scripts/dev build)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/deployphase-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/floor" "$root/bench/floor.c"
cc -O2 -o "$work/timer" "$root/bench/timer.c"
c++ -O2 -std=c++20 -o "$work/parse_floor" "$root/bench/parse_floor.cpp" -lcmark

# phase N [GATED_STEP]: a no-op phase; the gated step runs `test -e gate` instead of `true`.
phase() {
    local n=$1 gated=${2:-0} i
    printf '# Phase: Bench %s\n## Steps Sequence\n' "$n"
    for ((i = 1; i <= n; i++)); do printf '%d. **s%d** - no-op\n' "$i" "$i"; done
    printf '## Step Actions\n'
    for ((i = 1; i <= n; i++)); do
        if [ "$i" -eq "$gated" ]; then
            printf '```sh step=s%d\ntest -e gate\n```\n' "$i"
        else
            printf '```sh step=s%d\ntrue\n```\n' "$i"
        fi
    done
}

spec="$work/spec.tsv"
: >"$spec"
# add NAME SETUP EXPECTED_EXIT COMMAND...
# A setup that copies state ends with `sync`: otherwise the copy's write-back competes with
# the timed command's fdatasyncs (46 MB of history made a run look 1.18x slower).
add() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${*:4}" >>"$spec"; }

for n in "${sizes[@]}"; do
    d="$work/$n"
    mkdir -p "$d/open" "$d/closed"
    touch "$d/open/gate"
    phase "$n" >"$d/phase.md"
    half=$((n / 2 + 1))
    phase "$n" "$half" >"$d/gated.md"
    {
        printf 'all:'
        for ((i = 1; i <= n; i++)); do printf ' t%d' "$i"; done
        printf '\n.PHONY: all'
        for ((i = 1; i <= n; i++)); do printf ' t%d' "$i"; done
        printf '\n'
        for ((i = 1; i <= n; i++)); do printf 't%d:\n\t@true\n' "$i"; done
    } >"$d/Makefile"
    {
        printf 'rule r\n  command = true\n'
        for ((i = 1; i <= n; i++)); do printf 'build t%d: r\n' "$i"; done
    } >"$d/build.ninja"
    # A run stopped halfway (the gated step failed), and a finished run, to resume and to read.
    "$deployphase" run "$d/gated.md" --state-dir "$d/half" --workdir "$d/closed" -q \
        >/dev/null 2>&1 && { echo "bench: the gated run did not stop" >&2; exit 1; }
    "$deployphase" run "$d/phase.md" --state-dir "$d/done" -q >/dev/null

    add "floor/$n" "rm -f $d/floor.journal" 0 "$work/floor" "$n" "$d/floor.journal"
    add "floor-fdatasync/$n" "rm -f $d/floor.journal" 0 "$work/floor" "$n" "$d/floor.journal" fdatasync
    add "ninja/$n" "rm -f $d/.ninja_log" 0 ninja -C "$d" -j1
    add "make/$n" - 0 make -C "$d" -j1 -s
    add "run/$n" "rm -rf $d/state" 0 "$deployphase" run "$d/phase.md" --state-dir "$d/state" -q
    add "resume/$n" "rm -rf $d/rs && cp -a $d/half $d/rs && sync" 0 \
        "$deployphase" resume --state-dir "$d/rs" --workdir "$d/open" -q
    add "resume-first-step/$n" "rm -rf $d/rf && cp -a $d/half $d/rf && sync" 1 \
        "$deployphase" resume --state-dir "$d/rf" --workdir "$d/closed" -q
    add "status/$n" - 0 "$deployphase" status --state-dir "$d/done"
    add "plan/$n" - 0 "$deployphase" plan "$d/phase.md"
    add "make-n/$n" - 0 make -C "$d" -n
    add "ninja-n/$n" "rm -f $d/.ninja_log" 0 ninja -C "$d" -n
done

# The history of a state directory must not slow a run down: 1,000 steps (or the largest
# size below it) after 20 earlier runs of the largest size.
small=${sizes[0]}
for n in "${sizes[@]}"; do [ "$n" -le 1000 ] && small=$n; done
large=${sizes[-1]}
hist="$work/history-dir"
"$deployphase" run "$work/$small/phase.md" --state-dir "$hist" -q >/dev/null
mkdir -p "$hist/history"
for ((i = 1; i <= 20; i++)); do cp "$work/$large/done/journal" "$hist/history/old-$i.journal"; done
add "run-after-history/$small" "rm -rf $work/hr && cp -a $hist $work/hr && sync" 0 \
    "$deployphase" run "$work/$small/phase.md" --state-dir "$work/hr" -q

# `history` of a state directory holding 1,000 past runs of the smallest size, next to
# `status` of its one current run: a journal read per run, against one.
listed="$work/history-1000"
"$deployphase" run "$work/${sizes[0]}/phase.md" --state-dir "$listed" -q >/dev/null
mkdir -p "$listed/history"
for ((i = 1; i <= 1000; i++)); do
    cp "$work/${sizes[0]}/done/journal" "$listed/history/$(printf '20260101T000000Z-%06d' "$i").journal"
done
add "history-of-1000" - 0 "$deployphase" history --state-dir "$listed" --limit 0
add "status-of-one" - 0 "$deployphase" status --state-dir "$listed"

# The seed phase, with a context that lets it run, next to `make -n` of 10 targets.
printf '{"validated_implementation": true, "production_environment": true, "code_changes": true}\n' \
    >"$work/seed.json"
add "plan-seed" - 0 "$deployphase" plan "$seed" -c "$work/seed.json"
if [ ! -d "$work/10" ]; then
    mkdir -p "$work/10"
    { printf 'all:'; for i in $(seq 10); do printf ' t%d' "$i"; done; printf '\n';
      for i in $(seq 10); do printf 't%d:\n\t@true\n' "$i"; done; } >"$work/10/Makefile"
fi
add "make-n/10-seed" - 0 make -C "$work/10" -n

echo "deployphase $("$deployphase" --version | head -1); $(nproc) cores; $(date -u +%Y-%m-%d)" >&2
echo "timing $(grep -c . "$spec") commands, $rounds rounds (alternating)..." >&2
"$work/timer" "$rounds" "$spec" >"$work/results.tsv"

awk -F'\t' -v sizes="${sizes[*]}" '
{ median[$1] = $2; rss[$1] = $5 }
function per_step(name, n) { return median[name] / n }
function ratio(a, b) { return (b > 0) ? sprintf("%.2fx", a / b) : "-" }
END {
    split(sizes, n, " ")
    printf "%-22s %8s %10s %10s %9s %9s %8s\n", "command", "steps", "median ms", "ms/step",
        "vs floor", "vs ninja", "RSS MB"
    split("floor floor-fdatasync ninja make run resume resume-first-step status plan make-n ninja-n", kinds, " ")
    for (i = 1; i in n; i++) {
        for (k = 1; k in kinds; k++) {
            name = kinds[k] "/" n[i]
            if (!(name in median)) continue
            printf "%-22s %8d %10.2f %10.3f %9s %9s %8.1f\n", kinds[k], n[i], median[name],
                per_step(name, n[i]), ratio(median[name], median["floor/" n[i]]),
                ratio(median[name], median["ninja/" n[i]]), rss[name] / 1024
        }
        print ""
    }
    for (name in median) if (name ~ /^(run-after-history|plan-seed|make-n\/10-seed|history-of|status-of)/)
        printf "%-22s %8s %10.2f %10s %9s %9s %8.1f\n", name, "", median[name], "", "", "",
            rss[name] / 1024
    print ""
    print "targets:"
    last = n[length(n)]
    for (i = 1; i in n; i++) if (n[i] == 1000) has1000 = 1
    if (has1000) {
        printf "  run 1,000 <= 1.25x floor:            %s (%s of the fdatasync floor)\n",
            ratio(median["run/1000"], median["floor/1000"]),
            ratio(median["run/1000"], median["floor-fdatasync/1000"])
        printf "  plan 1,000 <= make -n 1,000:         %s\n", ratio(median["plan/1000"], median["make-n/1000"])
        if (last == 10000) {
            split("run resume status plan", lin, " ")
            for (k = 1; k in lin; k++)
                printf "  %-6s 10,000 <= 11x 1,000:         %s\n", lin[k],
                    ratio(median[lin[k] "/10000"], median[lin[k] "/1000"])
        }
        printf "  run 1,000 after 20 big histories:    %s of a fresh one\n",
            ratio(median["run-after-history/1000"], median["run/1000"])
    }
    printf "  history of 1,000 runs:              %.1f ms (status of one: %.1f ms)\n",
        median["history-of-1000"], median["status-of-one"]
    printf "  plan of the seed <= 1.5x make -n 10: %s\n", ratio(median["plan-seed"], median["make-n/10-seed"])
    printf "  peak RSS of run and plan of %d:   %.1f MB, %.1f MB (<= 30)\n", last,
        rss["run/" last] / 1024, rss["plan/" last] / 1024
    printf "  resume of %d to its first step:   %.1f ms (<= 50)\n", last, median["resume-first-step/" last]
}' "$work/results.tsv"

# resume's floor with the libraries it is built on: parsing the largest half-run's journal
# and its phase, in-process, before deployphase does anything of its own.
printf '\nresume floor at %s steps (nlohmann::json and cmark alone, medians of %s):\n  ' \
    "${sizes[-1]}" "$rounds"
"$work/parse_floor" "$work/${sizes[-1]}/half/journal" "$work/${sizes[-1]}/gated.md" "$rounds"
