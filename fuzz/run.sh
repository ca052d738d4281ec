#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) into build-fuzz/ and fuzzes each for SECONDS
# (default 60), DEPLOYPHASE_JOBS targets at a time, from the seeds the repository keeps
# (fuzz/targets.txt and fuzz/corpus/TARGET). Prints executions, speed and coverage per
# target; exits 1 if any target failed, keeping the input in build-fuzz/crashes/ (add it to
# fuzz/corpus/TARGET as regression-NAME once fixed: every test build replays it).
#
#   bash fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(grep -o '^fuzz_[a-z_]*' "$root/fuzz/targets.txt")
out=$root/build-fuzz
jobs=${DEPLOYPHASE_JOBS:-$(nproc 2>/dev/null || echo 2)}

CC=clang CXX=clang++ cmake -S "$root" -B "$out" -G Ninja -DDEPLOYPHASE_FUZZ=ON \
    -DDEPLOYPHASE_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$out" -j "$jobs" --target "${targets[@]}" >/dev/null

# seeds_of TARGET: the directories it starts from.
seeds_of() {
    sed -n "s/^$1 //p" "$root/fuzz/targets.txt" | tr ' ' '\n' | grep . | sed "s|^|$root/|" || true
    [ ! -d "$root/fuzz/corpus/$1" ] || echo "$root/fuzz/corpus/$1"
}

# fuzz TARGET: one campaign; its log in build-fuzz/TARGET.log.
fuzz() {
    local target=$1 corpus=$out/corpus/$1
    mkdir -p "$corpus"
    local seeds
    mapfile -t seeds < <(seeds_of "$target")
    # -timeout: a slow input is a bug too (every input here is read in milliseconds). Wall
    # time, so generous: a fuzzer starved by a busy machine once stalled 14 s on an input
    # it reads in 0.3 s.
    "$out/fuzz/$target" "$corpus" "${seeds[@]}" -max_total_time="$seconds" \
        -max_len=65536 -timeout=60 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$out/crashes/$target-" >"$out/$target.log" 2>&1
}

mkdir -p "$out/crashes"
pids=()
for target in "${targets[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
    fuzz "$target" &
    pids+=($!)
done
status=0
printf '%-18s %12s %9s %7s  %s\n' target executions exec/s edges result
for i in "${!targets[@]}"; do
    target=${targets[$i]}
    log=$out/$target.log
    if wait "${pids[$i]}"; then
        result=ok
    else
        result="FAILED: see $log and $out/crashes/"
        status=1
    fi
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    edges=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    printf '%-18s %12s %9s %7s  %s\n' "$target" "${executions:-?}" "${speed:-?}" "${edges:-?}" \
        "$result"
done
exit $status
