# The runner killed at every crash point of a whole run (DEPLOYPHASE_TEST_CRASH_AT=N: before,
# halfway through and after each journal write, before and after each fsync and rename), then
# resumed: the run ends succeeded, status always loads, a step recorded as finished never
# starts again, and each kill costs at most one rerun. The kills need the test build's
# deployphase-crashable; the binary that ships has no crash points.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/marker_phase.sh"
: "${DEPLOYPHASE_CRASHABLE:?set DEPLOYPHASE_CRASHABLE to build/tests/deployphase-crashable}"

case_ "the shipped binary ignores DEPLOYPHASE_TEST_CRASH_AT"
mkdir "$WORK/shipped"
write_marker_phase "$WORK/shipped/phase.md" 2
(cd "$WORK/shipped" && DEPLOYPHASE_TEST_CRASH_AT=1 "$DEPLOYPHASE" run phase.md -q >/dev/null 2>"$WORK/.stderr")
STATUS=$? ERR=$(cat "$WORK/.stderr")
expect_status 0
check_finished "$WORK/shipped" 2 0 "the shipped binary's run"
reset_frozen

case_ "an exception nothing expects ends the command with one line and exit 70"
# DEPLOYPHASE_TEST_THROW_AT=N throws an int at the N-th crash point of the test build: the
# command line's last resort for a bug, which must never be std::terminate (exit 134).
mkdir "$WORK/thrown"
write_marker_phase "$WORK/thrown/phase.md" 2
(cd "$WORK/thrown" && DEPLOYPHASE_TEST_THROW_AT=3 "$DEPLOYPHASE_CRASHABLE" run phase.md -q \
    >/dev/null 2>"$WORK/.stderr")
STATUS=$? ERR=$(cat "$WORK/.stderr")
expect_status 70
expect_eq stderr "$ERR" "deployphase: error: internal error: an exception of unknown type; this is a bug in deployphase, please report it"
reset_frozen

# 4 steps in ctest (every kind of boundary: each record type, the context file, the end);
# tests/soak/crash_points.sh walks an 8-step run. Under the sanitizers one point in 3.
STEPS=${CRASH_POINT_STEPS:-4}
case_ "a kill at every state-write boundary of an $STEPS-step run, then run --resume"
points=0
tried=0
for ((n = 1; n <= 1000; n++)); do
    sampled 3 || continue
    dir="$WORK/p$n"
    mkdir "$dir"
    write_marker_phase "$dir/phase.md" "$STEPS"
    (cd "$dir" && DEPLOYPHASE_TEST_CRASH_AT=$n "$DEPLOYPHASE_CRASHABLE" run phase.md -q >/dev/null 2>&1)
    status=$?
    [ "$status" -eq 0 ] && break  # the run passed fewer than n crash points: all were tried
    if [ "$status" -ne 137 ]; then
        fail "crash point $n: exit $status, expected 137 (SIGKILL)"
        continue
    fi
    points=$n
    tried=$((tried + 1))
    reset_frozen
    check_recorded "$dir" "the kill at crash point $n"
    (cd "$dir" && "$DEPLOYPHASE" run phase.md --resume -q >"$dir/.out" 2>&1)
    status=$?
    [ "$status" -eq 0 ] || fail "crash point $n: run --resume exited $status" "$(cat "$dir/.out")"
    check_finished "$dir" "$STEPS" 1 "crash point $n"
    rm -rf "$dir"
done
# 4 crash points per journal write (2 a step) plus the context file's; fewer means the seam
# is not wired (sampled, the last one tried is at most 2 short of the last there is).
[ "$points" -ge $((STEPS * 2 * 4 - 2)) ] || fail "only $points crash points in a $STEPS-step run"
echo "crash points survived: $tried tried of the $points passed"

suite_done
