#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) into build-fuzz/ and runs each for SECONDS
# (default 60) on a seed corpus assembled from the repository's phases, contexts, test
# fixtures and bad inputs, plus a journal recorded by a real run. Prints executions per target
# and exits non-zero if any target found a crash (its input is kept in build-fuzz/crashes/).
#
#   bash fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_phase fuzz_predicate fuzz_context fuzz_journal)
out=$root/build-fuzz
jobs=${DEPLOYPHASE_JOBS:-$(nproc 2>/dev/null || echo 2)}

CC=clang CXX=clang++ cmake -S "$root" -B "$out" -G Ninja -DDEPLOYPHASE_FUZZ=ON \
    -DDEPLOYPHASE_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$out" -j "$jobs" --target "${targets[@]}" >/dev/null
deployphase=$root/build/src/deployphase  # any build will do to record a seed journal
[ -x "$deployphase" ] || { cmake --build "$out" -j "$jobs" --target deployphase >/dev/null; deployphase=$out/src/deployphase; }

# Seeds: every phase and context we have, and journals of a real run (finished, mid-run).
seeds=$out/seeds
rm -rf "$seeds" && mkdir -p "$seeds"/{fuzz_phase,fuzz_predicate,fuzz_context,fuzz_journal}
cp "$root"/phases/*.md "$root"/tests/fixtures/phases/* "$root"/tests/bad_inputs/phase/* \
    "$root"/tests/bad_inputs/good.md "$root/../shared/seeds/"*.md "$seeds/fuzz_phase/" 2>/dev/null || true
for phase in "$root"/phases/*.md "$root"/tests/fixtures/phases/*.md; do
    # The Validation Logic blocks, as the predicate target reads them.
    awk '/^```(javascript|js)?$/ && logic { inside = 1; next } /^```/ { inside = 0 }
         /^## Validation Logic/ { logic = 1 } inside { print }' "$phase" \
        >"$seeds/fuzz_predicate/$(basename "$phase").js"
done
printf "hasContext('a') && (b() || !c())" >"$seeds/fuzz_predicate/guard.js"
cp "$root"/phases/contexts/*.json "$root"/tests/bad_inputs/context/* "$seeds/fuzz_context/"
cp "$root"/tests/bad_inputs/state/* "$seeds/fuzz_journal/"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && "$deployphase" run "$root/phases/deployment-operations.md" \
    -c "$root/phases/contexts/production.json" --set "deploy_target=$work/target" -q >/dev/null 2>&1) ||
    true  # a seed, whatever the run's end
cp "$work/.deployphase/journal" "$seeds/fuzz_journal/finished.journal" 2>/dev/null || true
head -c 2000 "$work/.deployphase/journal" >"$seeds/fuzz_journal/torn.journal" 2>/dev/null || true

mkdir -p "$out/crashes" "$out/corpus"
status=0
printf '%-16s %12s %10s  %s\n' target executions exec/s result
for target in "${targets[@]}"; do
    corpus=$out/corpus/$target
    mkdir -p "$corpus"
    log=$out/$target.log
    if "$out/fuzz/$target" "$corpus" "$seeds/$target" -max_total_time="$seconds" \
        -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$out/crashes/$target-" >"$log" 2>&1; then
        result=ok
    else
        result="CRASH: see $log and $out/crashes/"
        status=1
    fi
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    printf '%-16s %12s %10s  %s\n' "$target" "${executions:-?}" "${speed:-?}" "$result"
done
exit $status
