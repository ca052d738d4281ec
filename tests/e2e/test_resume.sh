# What an operator can say when resuming (--interrupted, --context/--set) and what a saved
# plan guards (run --plan), with the real binary.
source "$(dirname "$0")/lib.sh"

# Step two waits for `release` (writing its pid first); three runs only if `notify`.
cat >"$WORK/phase.md" <<'MD'
# Phase: Resumable

## Steps Sequence
1. **one**
2. **two**
3. **three** [if notify]

## Step Actions
```sh step=one
echo one >> ran
```
```sh step=two
echo two >> ran
echo "$$" > two.pid
while [ ! -e release ]; do sleep 0.05; done
```
```sh step=three
echo three >> ran
```
MD
ran() { tr '\n' ',' 2>/dev/null <"$WORK/ran"; }
wait_for() { for _ in $(seq 1 200); do [ -e "$1" ] && return 0; sleep 0.05; done; return 1; }

# Starts a run in STATE_DIR and SIGKILLs the runner while step two is running.
kill_during_two() {
    rm -f "$WORK/two.pid" "$WORK/release" "$WORK/ran"
    (cd "$WORK" && exec "$DEPLOYPHASE" run phase.md --state-dir "$1" "${@:2}" >/dev/null 2>&1) &
    local runner=$!
    wait_for "$WORK/two.pid" || fail "step two never started"
    kill -KILL "$runner"
    wait "$runner" 2>/dev/null
}

case_ "--interrupted=done: the cut-off step is taken as done and not run again"
kill_during_two done-state
touch "$WORK/release"
run resume --state-dir done-state --interrupted=done
expect_status 0
expect_eq ran "$(ran)" "one,two,"
expect_match stdout "$OUT" $'\n  2/3  two    succeeded +1 attempt +[0-9.]+s +marked done on resume \\(--interrupted=done\\)\n'
expect_match stdout "$OUT" $'\n  3/3  three  skipped'

case_ "--interrupted=fail: the cut-off step fails the run (exit 1); a later resume reruns it"
kill_during_two fail-state
run resume --state-dir fail-state --interrupted=fail
expect_status 1
expect_match stdout "$OUT" 'marked failed on resume \(--interrupted=fail\)'
expect_eq ran "$(ran)" "one,two,"
touch "$WORK/release"
run run phase.md --state-dir fail-state --resume
expect_status 0
expect_eq ran "$(ran)" "one,two,two,"

case_ "--interrupted needs --resume on run; a bad value is a usage error"
run run phase.md --interrupted=done
expect_status 2
expect_match stderr "$ERR" '--interrupted requires --resume'
run resume --interrupted=maybe
expect_status 2

case_ "resume --set: the context drift is printed, recorded, and opens a guard"
kill_during_two drift-state
touch "$WORK/release"
run resume --state-dir drift-state --set notify=true
expect_status 0
expect_eq "drift report" "$(grep -A1 '^Context ' <<<"$OUT")" "$(printf '%s\n' \
    'Context changed: notify' \
    '  step 3 three: skipped before, runs now (fact notify is true)')"
expect_eq ran "$(ran)" "one,two,two,three,"
expect_match journal "$(recorded_events "$WORK/drift-state")" '"type":"context_changed"'

case_ "resume --set with --output json: the drift report goes to stderr, stdout stays JSON"
kill_during_two json-drift-state
touch "$WORK/release"
run resume --state-dir json-drift-state --set notify=true -o json
expect_status 0
expect_eq "first line" "$(head -1 <<<"$OUT")" "{"
expect_match stderr "$ERR" 'Context changed: notify'

case_ "resume --context FILE replaces the base; a malformed --set records nothing"
kill_during_two ctx-state
before=$(recorded_events "$WORK/ctx-state" | wc -l)
run resume --state-dir ctx-state --set 'notify.deep'
expect_status 2
expect_match stderr "$ERR" '--set notify.deep: error: '
expect_eq "records" "$(recorded_events "$WORK/ctx-state" | wc -l)" "$before"
echo '{"notify": false, "region": "eu"}' >"$WORK/ctx.json"
touch "$WORK/release"
run resume --state-dir ctx-state --context ctx.json
expect_status 0
expect_eq "drift report" "$(grep -A1 '^Context ' <<<"$OUT")" "$(printf '%s\n' \
    'Context changed: notify, region' \
    "  no pending step's guard decision changed")"
expect_eq ran "$(ran)" "one,two,two,"

case_ "run --plan: a matching saved plan runs; a changed context or phase is refused by name"
cat >"$WORK/quick.md" <<'MD'
# Phase: Quick
## Steps Sequence
1. **only** [if go]
## Step Actions
```sh step=only
echo only >> ran
```
MD
rm -f "$WORK/ran"
echo '{"go": true, "replicas": 3}' >"$WORK/quick.json"
run plan quick.md -c quick.json --out saved.json
expect_status 0
run run quick.md -c quick.json --set replicas=4 --set canary=true --plan saved.json \
    --state-dir plan-state
expect_status 2
line=$(grep -n '"fingerprint"' "$WORK/saved.json" | cut -d: -f1)
column=$(($(sed -n "${line}p" "$WORK/saved.json" | grep -bo '{' | head -1 | cut -d: -f1) + 1))
expect_match stderr "$ERR" "^saved.json:$line:$column: error: the phase or context no longer matches this saved plan; changed: context key \"canary\" \\(added\\), context key \"replicas\" \\(changed\\); review a new plan before running"
[ -e "$WORK/plan-state" ] && fail "a refused run created its state directory"
echo "<!-- edited -->" >>"$WORK/quick.md"
run run quick.md -c quick.json --plan saved.json --state-dir plan-state
expect_status 2
expect_match stderr "$ERR" 'changed: the phase file;'
expect_eq ran "$(ran)" ""
run plan quick.md -c quick.json --out saved.json
run run quick.md -c quick.json --plan saved.json --state-dir plan-state
expect_status 0
expect_eq ran "$(ran)" "only,"

case_ "run --plan with a file that is not a saved plan: FILE:LINE:COL, exit 2"
echo '{"format_version": 1, "decision": "run"}' >"$WORK/nofp.json"
run run quick.md -c quick.json --plan nofp.json
expect_status 2
expect_match stderr "$ERR" '^nofp.json:1:1: error: the plan has no fingerprint; save it with `deployphase plan --out FILE`'
printf '{"format_version": 1,\n "fingerprint": {"phase_sha256": "xyz"}}' >"$WORK/badfp.json"
run run quick.md -c quick.json --plan badfp.json
expect_status 2
expect_match stderr "$ERR" '^badfp.json:2:34: error: fingerprint.phase_sha256 must be a SHA-256 in hex'

case_ "resume with no run: exit 2 naming the directory, nothing created; run --resume starts one"
run resume --state-dir none-here
expect_status 2
if [ "$STORE" = directory ]; then
    expect_eq stderr "$ERR" "none-here: error: no run to resume"
else  # the store's name ends with the key, the state directory's path
    expect_match stderr "$ERR" "^postgresql://.*#$WORK/none-here: error: no run to resume\$"
fi
[ ! -e "$WORK/none-here" ] || fail "resume created the state directory of a run that is not there"
rm -f "$WORK/ran"
touch "$WORK/release"
run run phase.md --state-dir none-here --resume --set notify=true
expect_status 0
expect_eq ran "$(ran)" "one,two,three,"

suite_done
