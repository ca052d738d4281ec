# The state directory's lock under contention: 2 and 10 runners started at once, over and over
# (tests/soak/races.sh: 100 rounds each): exactly one runs, the others exit 5 naming the
# holder, no step runs twice. A runner killed while holding the lock never blocks the next
# resume, and a live holder is never robbed by any command that writes state.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/marker_phase.sh"

ROUNDS=$(rounds 10 3)
for runners in 2 10; do
    case_ "$runners runners at once on one state directory, $ROUNDS rounds" || continue
    won=0
    for round in $(seq 1 "$ROUNDS"); do
        race_round "$WORK/race-$runners-$round" "$runners" && won=$((won + 1))
        rm -rf "$WORK/race-$runners-$round"
    done
    echo "$runners runners: $won of $ROUNDS rounds with exactly one winner"
done

case_ "a live holder is never robbed: every command that writes state exits 5"
mkdir "$WORK/held"
cat >"$WORK/held/phase.md" <<'MD'
# Phase: Held
## Steps Sequence
1. **s1**
2. **s2**
## Step Actions
```sh step=s1
echo "start s1" >> marks
while [ ! -e go ]; do sleep 0.01; done
```
```sh step=s2
echo "start s2" >> marks
```
MD
(cd "$WORK/held" && exec "$DEPLOYPHASE" run phase.md -q >/dev/null 2>&1) &
holder=$!
for _ in $(seq 1 500); do [ "$(count_marks "$WORK/held" "start s1")" = 1 ] && break; sleep 0.01; done
for command in "run phase.md" "run phase.md --resume" "run phase.md --restart" "resume" \
    "rollback" "confirm s1"; do
    # shellcheck disable=SC2086 # the command is words to split
    (cd "$WORK/held" && "$DEPLOYPHASE" $command >"$WORK/.out" 2>&1)
    expect_eq "exit of $command while the lock is held" "$?" "5"
done
(cd "$WORK/held" && "$DEPLOYPHASE" status >"$WORK/.out" 2>&1)
expect_eq "exit of status while the lock is held" "$?" "0"
expect_match "status while held" "$(cat "$WORK/.out")" ': running'
touch "$WORK/held/go"
wait "$holder"
expect_eq "the holder's exit" "$?" "0"
expect_eq "s1 starts" "$(count_marks "$WORK/held" "start s1")" 1
expect_eq "s2 starts" "$(count_marks "$WORK/held" "start s2")" 1

case_ "a holder killed with SIGKILL does not block the next resume"
rm -f "$WORK/held/go" "$WORK/held/marks"
(cd "$WORK/held" && exec "$DEPLOYPHASE" run phase.md --restart -q >/dev/null 2>&1) &
holder=$!
for _ in $(seq 1 500); do [ "$(count_marks "$WORK/held" "start s1")" = 1 ] && break; sleep 0.01; done
kill -KILL "$holder"
wait "$holder" 2>/dev/null
touch "$WORK/held/go"
run run "$WORK/held/phase.md" --state-dir "$WORK/held/.deployphase" --resume -q
expect_status 0
expect_eq "s1 starts (killed once)" "$(count_marks "$WORK/held" "start s1")" 2
expect_eq "s2 starts" "$(count_marks "$WORK/held" "start s2")" 1

suite_done
