# `deployphase history` (issue 19, point 2): every run of a store, newest first, in each final
# state, with who started it, when, how long it took, its exit code and its step counts.
source "$(dirname "$0")/lib.sh"

# Step one fails while `fail` exists; two is manual; three rolls back; the phase is blocked
# without `approved` and skipped with `skip`.
cat >"$WORK/phase.md" <<'MD'
# Phase: Kept

## Steps Sequence
1. **build** - builds
2. **approve** - by hand
3. **ship** - ships [if ship]

## Step Actions
```sh step=build
test ! -e fail
```
```sh step=ship
echo shipped
```
```sh rollback=ship
echo unshipped
```

## Validation Logic
```js
function canExecutePhase() { return hasContext('approved'); }
function shouldSkipPhase() { return hasContext('skip'); }
```
MD
ok=(--set approved=true --set ship=true)
user=$(id -un)

case_ "no runs: says so"
run history --state-dir empty
expect_status 0
expect_eq stdout "$OUT" "No runs recorded here."
run history --state-dir empty -o json
expect_eq json "$OUT" $'{\n  "runs": []\n}'

case_ "runs in every final state, newest first, each with who, when, exit code and counts"
run run phase.md --state-dir st "${ok[@]}" --yes              # succeeded, exit 0
run run phase.md --state-dir st --set skip=true               # skipped, exit 0
run run phase.md --state-dir st                               # blocked, exit 3
touch "$WORK/fail"
run run phase.md --state-dir st "${ok[@]}" --restart          # failed, exit 1
rm "$WORK/fail"
run run phase.md --state-dir st "${ok[@]}" --restart </dev/null  # awaiting, exit 4
run run phase.md --state-dir st "${ok[@]}" --restart --yes    # succeeded
run rollback --state-dir st                                   # rolled back, exit 1
expect_status 0
run history --state-dir st -o json
expect_status 0
expect_eq states "$(jq -r '[.runs[] | .state] | join(",")' <<<"$OUT")" \
    "rolled-back,awaiting-confirmation,failed,blocked,skipped,succeeded"
expect_eq "exit codes" "$(jq -r '[.runs[] | .exit_code] | join(",")' <<<"$OUT")" "1,4,1,3,0,0"
expect_eq "who started them" "$(jq -r '[.runs[] | .started_by.user] | unique | join(",")' <<<"$OUT")" "$user"
expect_eq "counts of the rolled-back run" "$(jq -c '.runs[0].steps' <<<"$OUT")" \
    '{"total":3,"ran":3,"skipped":0,"failed":0}'
expect_eq "counts of the failed run" "$(jq -c '.runs[2].steps' <<<"$OUT")" \
    '{"total":3,"ran":1,"skipped":0,"failed":1}'
expect_eq "counts of the skipped run" "$(jq -c '.runs[4].steps' <<<"$OUT")" \
    '{"total":3,"ran":0,"skipped":3,"failed":0}'
expect_eq "every run has its fields" \
    "$(jq -r '[.runs[] | select(.run_id and .phase and .started_at and .finished_at and (.duration_ms >= 0))] | length' <<<"$OUT")" "6"
# The fields docs/history.schema.json requires, and no other.
expect_eq "fields as the schema says" "$(jq -c '.runs[0] | keys | sort' <<<"$OUT")" \
    "$(jq -c '.properties.runs.items.required | sort' "$PROJECT_ROOT/docs/history.schema.json")"
# Newest first by start: each started_at is at or before the one above it.
expect_eq "newest first" "$(jq -r '[.runs[].started_at] | . == (sort | reverse)' <<<"$OUT")" "true"

case_ "text for a terminal, and --limit"
run history --state-dir st
expect_status 0
expect_match header "$(head -1 <<<"$OUT")" '^RUN +PHASE +STATE +STARTED \(UTC\) +TOOK +BY +EXIT +RAN/SKIPPED/FAILED$'
expect_match "the rolled-back run" "$(sed -n 2p <<<"$OUT")" "^[0-9]{8}T[0-9]{6}Z-[0-9a-f]+ +Kept +rolled-back +[0-9T:-]+Z +[0-9.]+s +$user@[^ ]+ +1 +3/0/0$"
expect_eq lines "$(wc -l <<<"$OUT")" "7"
run history --state-dir st --limit 2 -o json
expect_eq "two runs" "$(jq -r '[.runs[] | .state] | join(",")' <<<"$OUT")" "rolled-back,awaiting-confirmation"
run history --state-dir st --limit two
expect_status 2
expect_match stderr "$ERR" '^--limit: error: "two" is not a whole number of runs \(0: all\)$'

case_ "a run whose runner died reads as interrupted"
cat >"$WORK/slow.md" <<'MD'
# Phase: Slow
## Steps Sequence
1. **wait** - waits
```sh step=wait
echo "$$" > wait.pid
touch started
sleep 30
```
MD
(cd "$WORK" && exec "$DEPLOYPHASE" run slow.md --state-dir died >/dev/null 2>&1) &
runner=$!
for _ in $(seq 1 200); do [ -e "$WORK/started" ] && break; sleep 0.05; done
kill -KILL "$runner"
wait "$runner" 2>/dev/null
# The step leads its own process group, which outlived its runner.
kill -KILL -- "-$(cat "$WORK/wait.pid")" 2>/dev/null
run history --state-dir died -o json
expect_eq "state" "$(jq -r '.runs[0].state' <<<"$OUT")" "interrupted"
expect_eq "no end yet" "$(jq -c '[.runs[0].finished_at, .runs[0].duration_ms]' <<<"$OUT")" "[null,null]"

case_ "--run ID: status and report of any run, a unique prefix enough; rollback only of the last"
run history --state-dir st -o json
failed_id=$(jq -r '.runs[2].run_id' <<<"$OUT")
current_id=$(jq -r '.runs[0].run_id' <<<"$OUT")
run status --state-dir st --run "$failed_id"
expect_status 0
expect_match status "$OUT" "^Run $failed_id of \"Kept\": failed"
run status --state-dir st --run "${failed_id:0:20}" -o json
expect_eq "by prefix" "$(jq -r .run_id <<<"$OUT")" "$failed_id"
run report --state-dir st --run "$failed_id" -o json
expect_eq report "$(jq -r '[.run_id, .state] | join(" ")' <<<"$OUT")" "$failed_id failed"
run status --state-dir st --run 2
expect_status 2
expect_match stderr "$ERR" '"2" begins the ids of runs [0-9TZ-]+[0-9a-f]+ and [0-9TZ-]+[0-9a-f]+; give more of the id'
run status --state-dir st --run nope
expect_status 2
expect_match stderr "$ERR" 'no run "nope" here; `deployphase history` lists the runs'
run rollback --state-dir st --run "$failed_id" --dry-run
expect_status 2
expect_match stderr "$ERR" "run $failed_id is not the run a rollback can undo: that is the last run that changed something, $current_id"
run rollback --state-dir st --run "$current_id" --dry-run
expect_status 0

case_ "logs: one attempt's output, never another's; --follow streams a running step"
cat >"$WORK/retried.md" <<'MD'
# Phase: Retried
## Steps Sequence
1. **flaky** - fails twice
2. **quiet** - prints nothing
## Step Actions
```sh step=flaky retries=2 retry-delay=10ms
n=$(cat n 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > n
echo "attempt $n says hello"
test "$n" -ge 3
```
```sh step=quiet
true
```
MD
rm -f "$WORK/n"
run run retried.md --state-dir logs-st
expect_status 0
run logs flaky --state-dir logs-st
expect_eq "the latest attempt" "$OUT" "attempt 3 says hello"
run logs flaky --state-dir logs-st --attempt 1
expect_eq "attempt 1" "$OUT" "attempt 1 says hello"
run logs 1 --state-dir logs-st --attempt 2
expect_eq "attempt 2, by index" "$OUT" "attempt 2 says hello"
run logs flaky --state-dir logs-st --attempt 4
expect_status 2
expect_match stderr "$ERR" 'step 1 \(flaky\) of run [^ ]+ has 3 attempts'
run logs quiet --state-dir logs-st
expect_status 0
expect_eq "nothing printed" "$OUT" ""
expect_match stderr "$ERR" 'step 2 \(quiet\) printed nothing in run'
# A second run: the first run's output is still there, by --run.
first=$(jq -r '.runs[0].run_id' <<<"$("$DEPLOYPHASE" history --state-dir "$WORK/logs-st" -o json)")
rm -f "$WORK/n"
run run retried.md --state-dir logs-st
run logs flaky --state-dir logs-st --run "$first" --attempt 2
expect_eq "the first run's attempt 2" "$OUT" "attempt 2 says hello"
cat >"$WORK/talking.md" <<'MD'
# Phase: Talking
## Steps Sequence
1. **talk** - talks until released
## Step Actions
```sh step=talk
echo "first line"
touch talking
while [ ! -e release ]; do sleep 0.05; done
echo "last line"
```
MD
(cd "$WORK" && exec "$DEPLOYPHASE" run talking.md --state-dir talk-st >/dev/null 2>&1) &
runner=$!
for _ in $(seq 1 200); do [ -e "$WORK/talking" ] && break; sleep 0.05; done
(cd "$WORK" && exec "$DEPLOYPHASE" logs talk --state-dir talk-st --follow >"$WORK/followed" 2>&1) &
follower=$!
for _ in $(seq 1 200); do grep -q "first line" "$WORK/followed" && break; sleep 0.05; done
expect_eq "followed so far" "$(cat "$WORK/followed")" "first line"
touch "$WORK/release"
wait "$runner"
for _ in $(seq 1 100); do kill -0 "$follower" 2>/dev/null || break; sleep 0.05; done
kill -0 "$follower" 2>/dev/null && { fail "--follow did not end with the step"; kill "$follower"; }
wait "$follower" 2>/dev/null
expect_eq "followed to the end" "$(cat "$WORK/followed")" $'first line\nlast line'

case_ "prune: old runs and their log sections go; the last run that changed something and unfinished runs stay"
run history --state-dir st -o json
current_id=$(jq -r '.runs[0].run_id' <<<"$OUT")
sections() { grep -c '^=== deployphase: run ' "$WORK/st/logs/3-ship.log"; }
before=$(sections)
run prune --state-dir st --keep 2 --dry-run
expect_status 0
expect_match stdout "$OUT" 'Would delete 4 runs; 2 kept'
run history --state-dir st -o json
expect_eq "a dry run deletes nothing" "$(jq '.runs | length' <<<"$OUT")" "6"
run prune --state-dir st --keep 2
expect_status 0
expect_match stdout "$OUT" 'Deleted 4 runs; 2 kept'
run history --state-dir st -o json
expect_eq "what is left" "$(jq -r '[.runs[].state] | join(",")' <<<"$OUT")" "rolled-back,awaiting-confirmation"
expect_eq "the current run stays" "$(jq -r '.runs[0].run_id' <<<"$OUT")" "$current_id"
[ "$(sections)" -lt "$before" ] || fail "the deleted runs' log sections are still there"
run logs ship --state-dir st
expect_eq "the kept run's log" "$OUT" "shipped"
# Everything older than no time at all: only the current run is left.
run prune --state-dir st --older-than 0s
run history --state-dir st -o json
expect_eq "only the current run" "$(jq -r '[.runs[].run_id] | join(",")' <<<"$OUT")" "$current_id"
# A run that never ended (its runner died, then --restart) is not history to throw away.
run run phase.md --state-dir died --restart "${ok[@]}" --yes
expect_status 0
run prune --state-dir died --keep 0
expect_match stdout "$OUT" 'Deleted 0 runs; 2 kept'
run prune --state-dir st
expect_status 2
expect_match stderr "$ERR" 'give --keep N or --older-than DURATION, one of them'
run prune --state-dir st --older-than soon
expect_status 2
expect_match stderr "$ERR" '^--older-than: error: invalid duration "soon"'

suite_done
