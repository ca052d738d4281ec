# A runner SIGKILLed at several points, resumed each time with the very command a CI retry
# would use: the run ends succeeded, every step ran at least once, and a step recorded as
# finished never starts again. Each script writes start and end markers, so runs are counted.
source "$(dirname "$0")/lib.sh"

{
    printf '# Phase: Crashy\n## Steps Sequence\n'
    for i in 1 2 3 4 5 6; do printf '%s. **s%s**\n' "$i" "$i"; done
    printf '## Step Actions\n'
    for i in 1 2 3 4 5 6; do
        printf '```sh step=s%s\necho "start $DEPLOYPHASE_STEP" >> marks\nsleep 0.2\necho "end $DEPLOYPHASE_STEP" >> marks\n```\n' "$i"
    done
} >"$WORK/crashy.md"

count() { cat "$WORK/marks" 2>/dev/null | grep -cx "$1"; }
wait_for_mark() {
    for _ in $(seq 1 400); do [ "$(count "$1")" -ge "$2" ] && return 0; sleep 0.01; done
    return 1
}
succeeded_steps() { (cd "$WORK" && "$DEPLOYPHASE" status) | awk '$3 == "succeeded" { print $2 }'; }

case_ "SIGKILL during steps and between a script's end and its record; resume finishes"
declare -A frozen  # step -> its start count when it was first seen recorded as succeeded
kills=0
# Kill points: the Nth appearance of a marker (a step's start, or its end: the window between
# a script finishing and the runner recording it).
for point in "start s1:1" "end s2:1" "start s4:1" "end s4:1" "start s6:1"; do
    mark=${point%:*}
    (cd "$WORK" && exec "$DEPLOYPHASE" run crashy.md --resume >/dev/null 2>&1) &
    runner=$!
    if wait_for_mark "$mark" "${point#*:}"; then
        kill -KILL "$runner" 2>/dev/null && kills=$((kills + 1))
    fi
    wait "$runner" 2>/dev/null
    run status
    [ "$STATUS" -eq 0 ] || fail "status did not load after the kill at $mark" "$ERR"
    for step in $(succeeded_steps); do
        [ -n "${frozen[$step]:-}" ] || frozen[$step]=$(count "start $step")
    done
done
run run crashy.md --resume
expect_status 0
expect_match stdout "$OUT" ': succeeded'
[ "$kills" -ge 4 ] || fail "only $kills of the kills landed during the run"
reruns=0
for i in 1 2 3 4 5 6; do
    starts=$(count "start s$i")
    [ "$(count "end s$i")" -ge 1 ] || fail "s$i never finished"
    reruns=$((reruns + starts - 1))
    if [ -n "${frozen[s$i]:-}" ]; then
        expect_eq "starts of s$i, recorded finished before a kill" "$starts" "${frozen[s$i]}"
    fi
done
[ "$reruns" -le "$kills" ] || fail "$reruns reruns for $kills kills"
expect_eq "steps seen finished at some kill" "${#frozen[@]}" "5"

suite_done
