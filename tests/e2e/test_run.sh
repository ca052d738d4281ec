# `deployphase run`, `resume` and `status` on real phases: exit codes, exactly-once, signals,
# a killed runner, the lock, a damaged journal and hostile context values.
source "$(dirname "$0")/lib.sh"

# A phase whose scripts append their step id to `ran`; step two fails until `fixed` exists.
cat >"$WORK/phase.md" <<'MD'
# Phase: Demo

## Steps Sequence
1. **one** - First
2. **two** - Second
3. **three** - Third [if go]

## Step Actions
```sh step=one
echo one >> ran
echo go=true >> "$DEPLOYPHASE_OUTPUT"
```
```sh step=two
echo two >> ran
test -e fixed
```
```sh step=three
echo three >> ran
```
MD
ran() { tr '\n' ' ' <"$WORK/ran" 2>/dev/null; }

case_ "a failing step: exit 1, later steps not run"
run run phase.md
expect_status 1
expect_eq ran "$(ran)" "one two "
expect_match stdout "$OUT" $'\n  2/3  two    failed +1 attempt  [0-9.]+s  exited with 1\n'

case_ "an unfinished run blocks a new one: exit 2 with a hint"
run run phase.md
expect_status 2
expect_match stderr "$ERR" 'has not finished; continue it with --resume, or abandon it with --restart'
expect_eq ran "$(ran)" "one two "

case_ "run --resume continues: completed steps do not run again, an output opens a guard"
touch "$WORK/fixed"
run run phase.md --resume
expect_status 0
expect_eq ran "$(ran)" "one two two three "
run status -o json
expect_match status "$OUT" '"state": "succeeded"'
expect_match status "$OUT" '"finished": true'

case_ "run --resume after a run that succeeded with this phase and context: nothing runs"
rm -f "$WORK/ran"
run run phase.md --resume
expect_status 0
expect_eq ran "$(ran)" ""
expect_match stdout "$OUT" '^Run [^ ]+ already succeeded with this phase and context; nothing to do'
expect_match stdout "$OUT" $'\n  3/3  three  succeeded'
run run phase.md --resume -o json
expect_status 0
expect_match "json stdout" "$OUT" '^\{'
expect_match "json stdout" "$OUT" '"state": "succeeded"'
expect_eq "no history yet" "$(archived_runs "$WORK/.deployphase")" "0"

case_ "run --resume with a different context (or without --resume) starts a new run"
run run phase.md --resume --set extra=1
expect_status 0
expect_eq ran "$(ran)" "one two three "
expect_eq history "$(archived_runs "$WORK/.deployphase")" "1"
rm -f "$WORK/ran"
run run phase.md
expect_status 0
expect_eq ran "$(ran)" "one two three "
expect_eq history "$(archived_runs "$WORK/.deployphase")" "2"

case_ "blocked: exit 3, nothing runs; skipped: exit 0, nothing runs"
cat >"$WORK/gated.md" <<'MD'
# Phase: Gated
## Steps Sequence
1. **only**
## Validation Logic
```js
shouldSkipPhase() { return isDocsOnly(); }
canExecutePhase() { return hasContext('approved'); }
```
```sh step=only
echo only >> ran
```
MD
rm -f "$WORK/ran"
run run gated.md --state-dir gated-state
expect_status 3
run run gated.md --state-dir gated-state --set docs_only=true
expect_status 0
expect_match stdout "$OUT" $'\nRun [^ ]+ of "Gated": skipped'
expect_eq ran "$(ran)" ""

case_ "a skipped or blocked run after a deployment leaves the deployment to status and rollback"
# Deployed with production.json, then run again with development.json (skipped) and
# unvalidated.json (blocked): status, report and rollback must still act on release 1.0.0.
shipped=$PROJECT_ROOT/phases/deployment-operations.md
contexts=$PROJECT_ROOT/phases/contexts
run run "$shipped" -c "$contexts/production.json" --set "deploy_target=$WORK/live" \
    --state-dir live-state -q
expect_status 0
deployed=$(sed -n 's/^Run \([^ ]*\) of .*: succeeded$/\1/p' <<<"$OUT")
[ -n "$deployed" ] || fail "no run id in the run's last line" "$OUT"
run run "$shipped" -c "$contexts/development.json" --set "deploy_target=$WORK/live" \
    --state-dir live-state
expect_status 0
expect_eq "the skipped run says it changed nothing" "$(tail -1 <<<"$OUT")" \
    "It changed nothing, so it is kept in the history: status, report, resume and rollback still act on the last run that did."
run run "$shipped" -c "$contexts/unvalidated.json" --set "deploy_target=$WORK/live" \
    --state-dir live-state -q
expect_status 3
blocked=$(sed -n 's/^Run \([^ ]*\) of .*: blocked.*/\1/p' <<<"$OUT")
run status --state-dir live-state
expect_status 0
expect_match "status shows the deployment" "$OUT" "^Run $deployed of \"Deployment & Operations\": succeeded"
later_line="Later, run $blocked was blocked (canExecutePhase() is false; it read validated_implementation: missing); it changed nothing, so the run above is still the last that did."
expect_eq "and names the later run in its last line" "$(tail -1 <<<"$OUT")" "$later_line"
run status --state-dir live-state -o json
expect_match "status JSON names the later run" "$OUT" '"later_run": \{'
run report --state-dir live-state
expect_match "the report is the deployment's" "$OUT" "$deployed"
expect_eq "both kept in the history" "$(archived_runs "$WORK/live-state")" "2"
run rollback --state-dir live-state -q
expect_status 0
expect_match "rollback undid the deployment" "$OUT" "^Run $deployed of .*: rolled-back"

case_ "a reader that goes away (| head -1) does not stop the run; it exits with its own code"
cat >"$WORK/five.md" <<'MD'
# Phase: Five
## Steps Sequence
1. **a**
2. **b**
3. **c**
4. **d**
5. **e** - fails when asked to
## Step Actions
```sh step=a
echo a >> five-ran
sleep 0.3  # head has read its line and gone before the next one is written
```
```sh step=b
echo b >> five-ran
```
```sh step=c
echo c >> five-ran
```
```sh step=d
echo d >> five-ran
```
```sh step=e
echo e >> five-ran
test ! -e five-fails
```
MD
for verbosity in "" -v; do
    rm -f "$WORK/five-ran"
    (cd "$WORK" && "$DEPLOYPHASE" run five.md --state-dir "five$verbosity" $verbosity 2>&1 |
        head -1 >/dev/null; echo "${PIPESTATUS[0]}" >five-status)
    expect_eq "exit status ($verbosity)" "$(cat "$WORK/five-status")" "0"
    expect_eq "every step ran ($verbosity)" "$(tr -d '\n' <"$WORK/five-ran")" "abcde"
    run status --state-dir "five$verbosity"
    expect_match "recorded as succeeded ($verbosity)" "$OUT" 'of "Five": succeeded'
done
touch "$WORK/five-fails"
(cd "$WORK" && "$DEPLOYPHASE" run five.md --state-dir five-failing 2>&1 | head -1 >/dev/null
    echo "${PIPESTATUS[0]}" >five-status)
expect_eq "a failed run still exits 1" "$(cat "$WORK/five-status")" "1"

case_ "a failure shows the last 20 lines of its log, at most 4 KiB, and where the rest is"
cat >"$WORK/noisy.md" <<'MD'
# Phase: Noisy
## Steps Sequence
1. **noisy** - 30 lines, one of them a megabyte long, then fails
## Step Actions
```sh step=noisy
for i in $(seq 30); do echo "line $i"; done
head -c 1000000 /dev/zero | tr '\0' x
echo
echo "the last line"
exit 1
```
MD
run run noisy.md --state-dir noisy
expect_status 1
[ "${#OUT}" -lt 6000 ] || fail "the failure printed ${#OUT} bytes"
expect_match "where the whole log is" "$OUT" \
    '\[its last 20 lines, at most 4 KiB; the whole log: noisy/logs/1-noisy\.log\]'
expect_match "the end of the log" "$OUT" $'\\| the last line\n'
# The script's 1,000,246 bytes, under the header of its attempt.
expect_eq "the log keeps everything" "$(tail -n +2 "$WORK/noisy/logs/1-noisy.log" | wc -c)" "1000246"
expect_match "the log's header" "$(head -1 "$WORK/noisy/logs/1-noisy.log")" '^=== deployphase: run [0-9TZa-f-]+, step attempt 1, [0-9T:-]+Z ===$'

case_ "a manual step without a terminal: exit 4; resume --yes finishes"
cat >"$WORK/manual.md" <<'MD'
# Phase: Manual
## Steps Sequence
1. **train-team** - Walk the team through it
2. **after**
## Step Actions
```sh step=after
echo after >> ran
```
MD
run run manual.md --state-dir manual-state </dev/null
expect_status 4
expect_match stdout "$OUT" 'train-team +awaiting-confirmation'
run resume --state-dir manual-state --yes </dev/null
expect_status 0
expect_eq ran "$(ran)" "after "

case_ "CI confirms a manual step with confirm, then resume: 4, 0, 0"
rm -f "$WORK/ran"
run run manual.md --state-dir confirm-state </dev/null
expect_status 4
run confirm train-team --state-dir confirm-state
expect_status 0
expect_eq stdout "$OUT" 'Confirmed step 1 (train-team); `deployphase resume --state-dir confirm-state` continues the run.'
run confirm train-team --state-dir confirm-state
expect_status 2
expect_match stderr "$ERR" 'step 1 \(train-team\) is succeeded, not awaiting confirmation'
run resume --state-dir confirm-state </dev/null
expect_status 0
expect_eq ran "$(ran)" "after "

case_ "every stop says what to type next, with the state flags given; the commands work"
# next_command N: the N-th `...` command of the output's "Next:" line, run as typed.
next_command() {
    sed -n 's/^Next: //p' <<<"$OUT" | grep -o '`deployphase [^`]*`' | sed -n "${1}p" | tr -d '`'
}
rm -f "$WORK/ran" "$WORK/fixed"
run run phase.md --state-dir 'next state'
expect_status 1
expect_match "the log of the failed step" "$OUT" $'\nThe log of two: next state/logs/2-two\\.log\n'
expect_eq "resume" "$(next_command 1)" "deployphase resume --state-dir 'next state'"
expect_eq "rollback" "$(next_command 2)" "deployphase rollback --state-dir 'next state'"
touch "$WORK/fixed"
resume_command=$(next_command 1)
(cd "$WORK" && eval "\"\$DEPLOYPHASE\"${resume_command#deployphase}" >/dev/null)
expect_eq "the printed resume finished the run" "$?" "0"
expect_eq ran "$(ran)" "one two two three "
rm -f "$WORK/ran"
run run manual.md --state-dir 'next manual' </dev/null
expect_status 4
expect_eq "confirm, then resume" "$(next_command 1) && $(next_command 2)" \
    "deployphase confirm train-team --state-dir 'next manual' && deployphase resume --state-dir 'next manual'"
expect_eq "or resume --yes" "$(next_command 3)" "deployphase resume --yes --state-dir 'next manual'"
run run phase.md --state-dir next-quiet -q --restart
case $OUT in *Next:*) fail "--quiet ends with the run's line, not what to do next" "$OUT" ;; esac

case_ "context values reach scripts as variables, never as code"
cat >"$WORK/hostile.md" <<'MD'
# Phase: Hostile
## Steps Sequence
1. **print**
## Step Actions
```sh step=print
printf '%s' "$DEPLOYPHASE_CTX_TICKET" > ticket
```
MD
run run hostile.md --state-dir hostile-state --set 'ticket=$(touch pwned); `touch pwned2`'
expect_status 0
expect_eq ticket "$(cat "$WORK/ticket")" '$(touch pwned); `touch pwned2`'
{ [ ! -e "$WORK/pwned" ] && [ ! -e "$WORK/pwned2" ]; } || fail "a context value was executed"

case_ "--dry-run prints the plan and creates nothing"
run run phase.md --dry-run --state-dir dry-state
expect_status 0
expect_match stdout "$OUT" '^Phase:    Demo'
[ ! -e "$WORK/dry-state" ] || fail "--dry-run created the state directory"

cat >"$WORK/slow.md" <<'MD'
# Phase: Slow
## Steps Sequence
1. **wait** - Waits until released
2. **after**
## Step Actions
```sh step=wait
if [ -e bg.pid ] && [ "$(sed 's/.*) //' /proc/"$(cat bg.pid)"/stat 2>/dev/null | cut -c1)" = S ]; then
  echo leftover-alive >> slow-ran
fi
echo $$ > wait.pid
echo wait >> slow-ran
sleep 300 &
echo $! > bg.pid
while [ ! -e release ]; do sleep 0.05; done
```
```sh step=after
echo after >> slow-ran
```
MD
wait_for() { for _ in $(seq 1 200); do [ -e "$1" ] && return 0; sleep 0.05; done; return 1; }
# Alive and not a zombie.
alive() { local s; s=$(sed 's/.*) //' /proc/"$1"/stat 2>/dev/null | cut -c1); [ -n "$s" ] && [ "$s" != Z ]; }

case_ "a second runner on the same state directory exits 5, naming the holder"
rm -f "$WORK/wait.pid" "$WORK/release" "$WORK/slow-ran"
(cd "$WORK" && exec "$DEPLOYPHASE" run slow.md --state-dir slow-state >/dev/null 2>&1) &
holder=$!
wait_for "$WORK/wait.pid" || fail "the first run never started its step"
run run slow.md --state-dir slow-state
expect_status 5
expect_match stderr "$ERR" "another run holds the lock \\(pid $holder on "
touch "$WORK/release"
wait "$holder"
expect_eq "first run's exit" "$?" "0"

case_ "SIGINT stops the step and the run: exit 130, status interrupted, resume finishes"
rm -f "$WORK/wait.pid" "$WORK/release" "$WORK/slow-ran"
(cd "$WORK" && exec "$DEPLOYPHASE" run slow.md --state-dir int-state >int.out 2>&1) &
runner=$!
wait_for "$WORK/wait.pid" || fail "the run never started its step"
kill -INT "$runner"
wait "$runner"
expect_eq "exit status" "$?" "130"
# The status says it once: not "interrupted (interrupted)".
expect_match "the progress line" "$(cat "$WORK/int.out")" $'\n\\[1/2\\] wait \\.\\.\\. interrupted\n'
run status --state-dir int-state
expect_match status "$OUT" 'of "Slow": interrupted'
expect_match "the step's row" "$OUT" $'1/2  wait   interrupted +1 attempt  [0-9.]+s\n'
touch "$WORK/release"
run resume --state-dir int-state
expect_status 0
expect_eq ran "$(tr '\n' ' ' <"$WORK/slow-ran")" "wait wait after "

case_ "a runner killed with SIGKILL: its step dies too, status says interrupted, resume reruns it"
rm -f "$WORK/wait.pid" "$WORK/release" "$WORK/slow-ran" "$WORK/bg.pid"
(cd "$WORK" && exec "$DEPLOYPHASE" run slow.md --state-dir kill-state >/dev/null 2>&1) &
runner=$!
wait_for "$WORK/wait.pid" || fail "the run never started its step"
step_pid=$(cat "$WORK/wait.pid")
kill -KILL "$runner"
wait "$runner" 2>/dev/null
for _ in $(seq 1 100); do kill -0 "$step_pid" 2>/dev/null || break; sleep 0.05; done
kill -0 "$step_pid" 2>/dev/null && fail "the step outlived its runner"
wait_for "$WORK/bg.pid" || fail "the step never started its background process"
background=$(cat "$WORK/bg.pid")
alive "$background" || fail "the background process should outlive the killed runner"
run status --state-dir kill-state -o json
expect_match status "$OUT" '"state": "interrupted"'
expect_match status "$OUT" '"status": "interrupted"'
run report --state-dir kill-state
expect_match report "$OUT" $'\n- State: \\*\\*interrupted\\*\\*\n'
touch "$WORK/release"
run resume --state-dir kill-state
expect_status 0
# The rerun found the old step's background process already gone.
expect_eq ran "$(tr '\n' ' ' <"$WORK/slow-ran")" "wait wait after "
alive "$background" && fail "a leftover of the killed runner survived the resume"

case_ "a damaged journal is refused and no step runs"
rm -f "$WORK/ran" "$WORK/fixed"
if only_directory_store; then
    run run phase.md --state-dir damaged --restart
    expect_status 1
    printf 'X' | dd of="$WORK/damaged/journal" bs=1 seek=40 conv=notrunc 2>/dev/null
    before=$(ran)
    run run phase.md --state-dir damaged --resume
    expect_status 2
    expect_match stderr "$ERR" 'damaged/journal: error: damaged record at byte [0-9]+ with intact records after it'
    expect_eq ran "$(ran)" "$before"
fi

case_ "resume refuses a phase that changed since the run began"
rm -f "$WORK/ran"
cp "$WORK/phase.md" "$WORK/changing.md"
run run changing.md --state-dir changed-state
expect_status 1
echo "<!-- edited -->" >>"$WORK/changing.md"
run resume --state-dir changed-state
expect_status 2
expect_match stderr "$ERR" 'the phase file changed since run'

suite_done
