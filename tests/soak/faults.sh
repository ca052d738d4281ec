#!/bin/bash
# Storage-fault soak: for an 8-step run, every write, fsync and rename of a state file fails in
# turn, with each of ENOSPC and EIO, once and forever (test_faults alternates them over a
# 3-step run). Needs the faultfs shim: FAULTFS, default build/tests/faultfs.so.
#   bash tests/soak/faults.sh
source "$(dirname "$0")/common.sh"
FAULTFS=${FAULTFS:-$root/build/tests/faultfs.so}
[ -e "$FAULTFS" ] || { echo "no $FAULTFS; build first" >&2; exit 2; }
STEPS=8
new_dir() { rm -rf "$WORK/f" && mkdir "$WORK/f" && write_marker_phase "$WORK/f/phase.md" "$STEPS"; }

case_ "every state write, fsync and rename of an $STEPS-step run, each errno and mode"
new_dir
faulty_run "$WORK/f" none 0 EIO once run phase.md -q --events events
cp "$WORK/f/.counts" "$WORK/counts"
declare -A handled
for call in write fsync rename; do
    total=$(grep "^$call " "$WORK/counts" | cut -d' ' -f2)
    for error in ENOSPC EIO; do
        for mode in once forever; do
            for ((n = 1; n <= total; n++)); do
                before=$FAILURES
                new_dir
                faulty_run "$WORK/f" "$call" "$n" "$error" "$mode" run phase.md -q --events events
                check_fault "$WORK/f" "$STEPS" "$call #$n $error $mode"
                key="$call $error $mode"
                [ "$FAILURES" -eq "$before" ] && handled[$key]=$((${handled[$key]:-0} + 1))
                printf -v "tried_${call}_${error}_${mode}" '%s' "$n"
            done
        done
    done
done
echo "call    errno   mode     handled/injected"
for call in write fsync rename; do
    for error in ENOSPC EIO; do
        for mode in once forever; do
            tried="tried_${call}_${error}_${mode}"
            printf '%-7s %-7s %-8s %s/%s\n' "$call" "$error" "$mode" \
                "${handled[$call $error $mode]:-0}" "${!tried:-0}"
        done
    done
done
suite_done
