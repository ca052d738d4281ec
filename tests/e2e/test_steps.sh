# How single steps behave with the real binary: timeouts that reach grandchildren, retries,
# checks, manual steps at a terminal, SIGTERM, and `status` of a live run.
source "$(dirname "$0")/lib.sh"

wait_for() { for _ in $(seq 1 200); do [ -e "$1" ] && return 0; sleep 0.05; done; return 1; }
alive() { local s; s=$(sed 's/.*) //' /proc/"$1"/stat 2>/dev/null | cut -c1); [ -n "$s" ] && [ "$s" != Z ]; }

case_ "a timeout kills the whole process group, grandchildren that ignore SIGTERM included"
cat >"$WORK/timeout.md" <<'MD'
# Phase: Timeout
## Steps Sequence
1. **hang**
## Step Actions
```sh step=hang timeout=300ms
(trap '' TERM; while :; do sleep 0.1; done) &
echo $! > grandchild.pid
sleep 300
```
MD
run run timeout.md --state-dir timeout-state --kill-after 200ms
expect_status 1
expect_match stdout "$OUT" 'hang +failed +1 attempt +[0-9.]+s +timed out after 300ms'
wait_for "$WORK/grandchild.pid" || fail "the step never started its grandchild"
sleep 0.2
alive "$(cat "$WORK/grandchild.pid")" && fail "a grandchild survived the timeout"

case_ "retries: attempts up to retries+1, retry-delay apart, DEPLOYPHASE_ATTEMPT counts"
cat >"$WORK/flaky.md" <<'MD'
# Phase: Flaky
## Steps Sequence
1. **flaky**
2. **hopeless**
## Step Actions
```sh step=flaky retries=3 retry-delay=50ms
echo "flaky $DEPLOYPHASE_ATTEMPT" >> ran
test "$DEPLOYPHASE_ATTEMPT" -ge 3
```
```sh step=hopeless retries=1
echo "hopeless $DEPLOYPHASE_ATTEMPT" >> ran
exit 7
```
MD
run run flaky.md --state-dir flaky-state
expect_status 1
expect_eq ran "$(cat "$WORK/ran")" "$(printf '%s\n' 'flaky 1' 'flaky 2' 'flaky 3' 'hopeless 1' 'hopeless 2')"
expect_match stdout "$OUT" 'flaky +succeeded +3 attempts'
expect_match stdout "$OUT" 'hopeless +failed +2 attempts +[0-9.]+s +exited with 7'
run status --state-dir flaky-state -o json
expect_match status "$OUT" '"attempts": 2,[[:space:]]+"exit_code": 7'

case_ "a check that passes marks the step satisfied and its script does not run"
cat >"$WORK/idempotent.md" <<'MD'
# Phase: Idempotent
## Steps Sequence
1. **install**
## Step Actions
```sh step=install
echo install >> installs
touch installed
```
```sh check=install
test -e installed
```
MD
run run idempotent.md --state-dir idem-state
expect_status 0
run run idempotent.md --state-dir idem-state
expect_status 0
expect_match stdout "$OUT" 'install +satisfied'
expect_eq installs "$(cat "$WORK/installs")" "install"

cat >"$WORK/manual.md" <<'MD'
# Phase: Manual
## Steps Sequence
1. **train-team** - Walk the team through it
2. **after**
## Step Actions
```sh step=after
echo after >> manual-ran
```
MD
# at_terminal ANSWER ARGS...: runs deployphase on a pseudo-terminal (util-linux `script`),
# typing ANSWER. Outside CI, whatever this suite runs under: set TERMINAL_CI=true to be in it.
at_terminal() {
    local answer=$1
    shift
    (cd "$WORK" && printf '%s\n' "$answer" |
        env -u CI ${TERMINAL_CI:+CI=$TERMINAL_CI} \
            script -qec "$(printf '%q ' "$DEPLOYPHASE" "$@")" /dev/null) >"$WORK/.stdout" 2>&1
    STATUS=$?
    OUT=$(tr -d '\r' <"$WORK/.stdout")
}

case_ "a manual step at a terminal: the operator is asked; y confirms, the run goes on"
at_terminal y run manual.md --state-dir tty-yes
expect_status 0
expect_match output "$OUT" 'Step 1 "train-team" is manual: Walk the team through it. Is it done\? \[y/N\]'
expect_eq ran "$(cat "$WORK/manual-ran")" "after"

case_ "a manual step at a terminal: anything but y leaves it awaiting confirmation, exit 4"
rm -f "$WORK/manual-ran"
at_terminal n run manual.md --state-dir tty-no
expect_status 4
expect_match output "$OUT" 'train-team +awaiting-confirmation'
[ -e "$WORK/manual-ran" ] && fail "the step after an unconfirmed manual step ran"

case_ "with CI=true a terminal is not asked: a manual step stops with exit 4"
rm -f "$WORK/manual-ran"
TERMINAL_CI=true at_terminal y run manual.md --state-dir tty-ci
expect_status 4
case $OUT in *"[y/N]"*) fail "the operator was asked in CI" "$OUT" ;; esac
expect_match output "$OUT" 'train-team +awaiting-confirmation'
[ -e "$WORK/manual-ran" ] && fail "the step after an unconfirmed manual step ran"
TERMINAL_CI=false at_terminal y run manual.md --state-dir tty-ci-false
expect_status 0
expect_match "CI=false asks" "$OUT" 'Is it done\? \[y/N\]'

case_ "report paths that cannot be written are refused before the first step"
rm -f "$WORK/manual-ran"
for flag in --junit --events; do
    run run manual.md --yes --state-dir "unwritable$flag" "$flag" "$WORK/no-such-dir/report"
    expect_status 2
    expect_eq "stderr ($flag)" "$ERR" "$WORK/no-such-dir/report: error: $flag cannot be written: there is no directory $WORK/no-such-dir"
    [ -e "$WORK/manual-ran" ] && fail "a step ran before $flag was refused"
    [ -e "$WORK/unwritable$flag" ] && fail "the refused run made its state directory ($flag)"
done
run run manual.md --yes --state-dir unwritable-dir --junit "$WORK"
expect_status 2
expect_eq stderr "$ERR" "$WORK: error: --junit cannot be written: it is a directory; give a file's path"
run plan manual.md --out "$WORK/no-such-dir/plan.json"
expect_status 2
expect_eq "plan --out" "$ERR" "$WORK/no-such-dir/plan.json: error: --out cannot be written: there is no directory $WORK/no-such-dir"

cat >"$WORK/slow.md" <<'MD'
# Phase: Slow
## Steps Sequence
1. **wait**
## Step Actions
```sh step=wait
echo $$ > wait.pid
while [ ! -e release ]; do sleep 0.05; done
```
MD

case_ "status of a live run says running; SIGTERM stops it with exit 143"
(cd "$WORK" && exec "$DEPLOYPHASE" run slow.md --state-dir term-state >/dev/null 2>&1) &
runner=$!
wait_for "$WORK/wait.pid" || fail "the run never started its step"
run status --state-dir term-state -o json
expect_match status "$OUT" '"state": "running"'
expect_match status "$OUT" '"status": "running"'
kill -TERM "$runner"
wait "$runner"
expect_eq "exit status" "$?" "143"
alive "$(cat "$WORK/wait.pid")" && fail "the step outlived SIGTERM to its runner"
run status --state-dir term-state -o json
expect_match status "$OUT" '"state": "interrupted"'

case_ "--set and outputs type a value only when it prints back as written; --set-string never"
cat >"$WORK/types.md" <<'MD'
# Phase: Types
## Steps Sequence
1. **show** - writes what it got, and outputs a version
2. **after** - sees the outputs
## Step Actions
```sh step=show
printf '%s|%s|%s\n' "$DEPLOYPHASE_CTX_RELEASE_VERSION" "$DEPLOYPHASE_CTX_N" \
    "$DEPLOYPHASE_CTX_COUNT" > types-seen
echo 'out_version=1.10' >> "$DEPLOYPHASE_OUTPUT"
echo 'out_count=3' >> "$DEPLOYPHASE_OUTPUT"
```
```sh step=after
cat "$DEPLOYPHASE_CONTEXT_FILE" > types-context
```
MD
run run types.md --set release_version=1.10 --set-string n=42 --set count=42 --set-string n=007 \
    --state-dir types -q
expect_status 0
# 1.10 as a number would deploy release 1.1.
expect_eq "what the step saw" "$(cat "$WORK/types-seen")" "1.10|007|42"
context=$(tr -d ' \n' <"$WORK/types-context")
expect_match "typed as written" "$context" '"count":42,'
expect_match "--set-string, the later one" "$context" '"n":"007"'
expect_match "a version stays a string" "$context" '"release_version":"1.10"'
expect_match "an output version stays a string" "$context" '"out_version":"1.10"'
expect_match "an output count is a number" "$context" '"out_count":3'
run plan types.md --set 'version = 2'
expect_status 2
expect_eq stderr "$ERR" "--set version =...: error: the key 'version ' has blanks around it; write version=VALUE, with nothing between the key and '='"

suite_done
