# Secrets: the values of keys named secret (--secret KEY, or a name such as *_TOKEN or
# *PASSWORD*) reach the steps' environment as they are and appear nowhere else but as ***:
# not on the terminal, in logs, the journal, context.json, history, --events, -o json, JUnit,
# reports or plans, also when a step prints them or outputs them. A resumed run must be given
# them again, since nothing recorded holds them.
source "$(dirname "$0")/lib.sh"

# Every value below is secret; none may appear in anything deployphase writes or prints.
SECRET_VALUES=(hunter2-pw tok-abcdef custom-value-1 sess-998877 deep-pw-42)

cat >"$WORK/secrets.md" <<'MD'
# Phase: Secrets
## Steps Sequence
1. **emit** - prints the secrets and outputs one more [if hasContext('DB_PASSWORD')]
2. **use** - uses the output secret [if hasContext('session_token')]
3. **gate** - fails until the gate file exists
## Step Actions
```sh step=emit
printf '%s %s %s\n' "$DEPLOYPHASE_CTX_DB_PASSWORD" "$DEPLOYPHASE_CTX_CUSTOM" \
    "$DEPLOYPHASE_CTX_NOTE" > seen-emit
echo "password: $DEPLOYPHASE_CTX_DB_PASSWORD custom: $DEPLOYPHASE_CTX_CUSTOM"
echo "on stderr: $DEPLOYPHASE_CTX_DB_PASSWORD" >&2
# One value split across two writes with a pause: the masker must hold the first half back.
printf 'split: hun'; sleep 0.3; printf 'ter2-pw end\n'
cat "$DEPLOYPHASE_CONTEXT_FILE"
echo 'session_token=sess-998877' >> "$DEPLOYPHASE_OUTPUT"
echo 'plain=visible-output' >> "$DEPLOYPHASE_OUTPUT"
```
```sh step=use
printf '%s\n' "$DEPLOYPHASE_CTX_SESSION_TOKEN" > seen-use
echo "token: $DEPLOYPHASE_CTX_SESSION_TOKEN"
```
```sh step=gate
printf '%s %s\n' "$DEPLOYPHASE_CTX_DB_PASSWORD" "$DEPLOYPHASE_CTX_SESSION_TOKEN" >> seen-gate
echo "gate sees $DEPLOYPHASE_CTX_DB_PASSWORD"
test -e gate-open
```
```sh rollback=gate
echo "rollback sees $DEPLOYPHASE_CTX_DB_PASSWORD"
```
MD
cat >"$WORK/ctx.json" <<'JSON'
{"DB_PASSWORD": "hunter2-pw", "api": {"deploy_token": "tok-abcdef"}, "custom": "custom-value-1",
 "note": "the password is hunter2-pw", "db": {"pass": "deep-pw-42", "host": "db1"},
 "release": "v1.2.3"}
JSON

# leaks PLACE FILES...: fails for every secret value found in the files.
leaks() {
    local place=$1 value
    shift
    for value in "${SECRET_VALUES[@]}"; do
        if grep -rqaF -- "$value" "$@"; then
            fail "$place shows the secret $value" "$(grep -raF -- "$value" "$@" | head -5)"
        fi
    done
}
seen() { cat "$WORK/$1" 2>/dev/null; }

case_ "a run masks secrets everywhere, while its steps get the real values"
run run secrets.md -c ctx.json --secret custom --secret db.pass --state-dir s -v \
    --events events.jsonl --junit junit.xml
expect_status 1
expect_eq "the step saw the real values" "$(seen seen-emit)" \
    "hunter2-pw custom-value-1 the password is hunter2-pw"
expect_eq "the next step saw the output secret" "$(seen seen-use)" "sess-998877"
expect_match "the terminal shows *** for a printed secret" "$OUT" 'password: \*\*\* custom: \*\*\*'
expect_match "a secret split across writes is masked" "$OUT" 'split: \*\*\* end'
expect_match "the context file has *** for the secret" "$OUT" '"DB_PASSWORD": "\*\*\*"'
expect_match "plain values stay" "$OUT" 'db1'
printf '%s\n%s\n' "$OUT" "$ERR" >"$WORK/terminal"
leaks "the terminal" "$WORK/terminal"
leaks "the state directory" "$WORK/s"
recorded_events "$WORK/s" >"$WORK/records"
leaks "the recorded events" "$WORK/records"
leaks "--events" "$WORK/events.jsonl"
leaks "--junit" "$WORK/junit.xml"
expect_match "the journal records the key, masked" "$(cat "$WORK/records")" \
    '"DB_PASSWORD":"\*\*\*"'
expect_match "the output secret is recorded masked" "$(cat "$WORK/records")" \
    '"session_token":"\*\*\*"'
expect_match "a plain output is recorded as it is" "$(cat "$WORK/records")" 'visible-output'
expect_match "--secret keys are recorded" "$(cat "$WORK/records")" \
    '"secret_keys":\["custom","db.pass"\]'
expect_eq "no output file is left with a secret in it" \
    "$(find "$WORK/s/outputs" -type f -size +0)" ""
run status --state-dir s -o json
printf '%s\n' "$OUT" >"$WORK/status.json"
leaks "status -o json" "$WORK/status.json"
run report --state-dir s
printf '%s\n' "$OUT" >"$WORK/report.txt"
leaks "report" "$WORK/report.txt"
expect_match "the report lists the output, masked" "$OUT" 'session_token'

case_ "resume refuses until the secrets are given again, then uses them"
touch "$WORK/gate-open"
rm -f "$WORK/seen-gate"
run run --resume secrets.md --state-dir s
expect_status 2
expect_match "names every secret not given again" "$ERR" \
    'recorded the secrets .*DB_PASSWORD.*api.deploy_token.*custom.*db.pass.*session_token'
expect_eq "nothing ran" "$(seen seen-gate)" ""
run resume --state-dir s -c ctx.json
expect_status 2
expect_match "the output secret is still missing" "$ERR" 'recorded the secret session_token as'
expect_eq "still nothing ran" "$(seen seen-gate)" ""
run resume --state-dir s -c ctx.json --set session_token=sess-998877 -v -o json
expect_status 0
expect_eq "the step saw the real values again" "$(seen seen-gate)" "hunter2-pw sess-998877"
printf '%s\n%s\n' "$OUT" "$ERR" >"$WORK/terminal"
leaks "the resumed terminal" "$WORK/terminal"
leaks "the state directory after resume" "$WORK/s"
expect_match "the resumed run succeeded" "$OUT" '"status": "succeeded"'

case_ "a retried CI job with the same secrets does not deploy again"
run run --resume secrets.md -c ctx.json --secret custom --secret db.pass --state-dir s
expect_status 0
expect_match "nothing to do" "$OUT" 'already succeeded'
expect_eq "the gate did not run again" "$(seen seen-gate | wc -l)" "1"

case_ "rollback scripts see *** for secrets"
run rollback --state-dir s -v
expect_status 0
expect_match "the rollback saw the masked value" "$OUT" 'rollback sees \*\*\*'
leaks "the state directory after rollback" "$WORK/s"
# A new run moves this one to history/; neither holds a secret.
run run secrets.md -c ctx.json --secret custom --secret db.pass --state-dir s -q
expect_status 0
expect_eq "the old run is in history" "$(archived_runs "$WORK/s")" "1"
leaks "history" "$WORK/s"
all_recorded_events "$WORK/s" >"$WORK/all-records"
leaks "the store's history" "$WORK/all-records"

case_ "plan, run --dry-run and a saved plan show no secret"
for command in "plan" "plan -o json" "run --dry-run"; do
    # shellcheck disable=SC2086
    run $command secrets.md -c ctx.json --secret custom --secret db.pass --set x=hunter2-pw
    expect_status 0
    printf '%s\n%s\n' "$OUT" "$ERR" >"$WORK/plan.out"
    leaks "$command" "$WORK/plan.out"
    expect_match "$command shows the secret fact masked" "$OUT" 'DB_PASSWORD.*\*\*\*'
done
run plan secrets.md -c ctx.json --secret custom --secret db.pass --set note=plain --out saved.json
expect_status 0
leaks "plan --out" "$WORK/saved.json"
hash_of() { printf '%s' "$1" | sha256sum | cut -c1-64; }
expect_eq "no hash of a secret value is saved" \
    "$(grep -c "$(hash_of '"hunter2-pw"')" "$WORK/saved.json")" "0"
expect_eq "the secret key's hash is that of ***" \
    "$(grep -c "\"DB_PASSWORD\": \"$(hash_of '"***"')\"" "$WORK/saved.json")" "1"
# A rotated secret does not invalidate the reviewed plan; a changed plain value does.
run run secrets.md -c ctx.json --secret custom --secret db.pass --set note=plain \
    --set DB_PASSWORD=rotated-pw --plan saved.json --state-dir s2 --dry-run
expect_status 0
run run secrets.md -c ctx.json --secret custom --secret db.pass --set note=plain \
    --set release=v2 --plan saved.json --state-dir s2 --dry-run
expect_status 2
expect_match "a changed plain value is named" "$ERR" 'release'

case_ "the debug log shows the command line and events with secrets masked"
run --log-level debug --log-file debug.log run secrets.md -c ctx.json --secret custom \
    --secret db.pass --set DEPLOY_TOKEN=tok-abcdef --set=custom=custom-value-1 \
    --state-dir s3 -q
expect_match "the command line is logged, masked" "$(cat "$WORK/debug.log")" \
    'DEPLOY_TOKEN=\*\*\* --set=custom=\*\*\*'
expect_match "recorded events are logged" "$(cat "$WORK/debug.log")" 'recorded .*run_started'
leaks "the debug log" "$WORK/debug.log"

case_ "the debug log never shows a state URL's password"
# Port 1 refuses at once: the command fails (exit 6) after the command line is logged.
run --log-level debug --log-file url.log status --state-url \
    'postgresql://postgres:pg-pass-one@127.0.0.1:1/db' --state-key k
expect_status 6
run --log-level debug --log-file url.log status \
    '--state-url=host=127.0.0.1 port=1 password=pg-pass-two dbname=db' --state-key k
expect_status 6
run --log-level debug --log-file url.log status --state-key k --state-url \
    'postgresql://127.0.0.1:1/db?password=pg-pass-three'
expect_status 6
expect_match "the URLs are logged, masked" "$(cat "$WORK/url.log")" \
    'postgresql://postgres:\*\*\*@127\.0\.0\.1:1/db.*--state-url=host=127\.0\.0\.1 port=1 password=\*\*\* dbname=db.*db\?password=\*\*\*'
if grep -q 'pg-pass' "$WORK/url.log" "$WORK/.stderr"; then
    fail "a password reached the log or stderr" "$(grep 'pg-pass' "$WORK/url.log")"
fi

case_ "a malformed --set names its key, never its value"
run plan secrets.md --set 'DEPLOY_TOKEN.=tok-abcdef'
expect_status 2
expect_eq stderr "$ERR" "--set DEPLOY_TOKEN.=...: error: 'DEPLOY_TOKEN.' is not a usable key; use a name or a dotted path such as change.approved"
run plan secrets.md -c ctx.json --set 'note.x=hunter2-pw'
expect_status 2
expect_match stderr "$ERR" "^--set note.x=...: error: 'note' is a string"
printf '%s\n%s\n' "$OUT" "$ERR" >"$WORK/set-errors.txt"
leaks "the --set errors" "$WORK/set-errors.txt"

case_ "a secret shorter than three bytes is masked by key, not hunted in free text"
cat >"$WORK/short.md" <<'MD'
# Phase: Short
## Steps Sequence
1. **say** - prints it
## Step Actions
```sh step=say
echo "pin=$DEPLOYPHASE_CTX_PIN_PASSWORD"
```
MD
run run short.md --set PIN_PASSWORD=42 --state-dir short -v
expect_status 0
expect_match "the journal masks it by key" "$(recorded_events "$WORK/short")" \
    '"PIN_PASSWORD":"\*\*\*"'
expect_match "free text keeps it (documented limit)" "$OUT" 'pin=42'

case_ "a value a step prints and then outputs as a secret is masked in its log and reports"
# The value becomes a secret only when the step's output names it, after the step printed it:
# the log is rewritten masked before the output is recorded, so the step log, the GitHub
# Actions fold and every JUnit report (also one a later resume writes) show ***.
cat >"$WORK/late.md" <<'MD'
# Phase: Late
## Steps Sequence
1. **login** - prints a token, then outputs it
2. **gate** - fails until the gate file exists
## Step Actions
```sh step=login
T=sess-998877
echo "my token is $T"
echo "session_token=$T" >> "$DEPLOYPHASE_OUTPUT"
```
```sh step=gate
test -e late-gate-open
```
MD
GITHUB_ACTIONS=true run run late.md --secret session_token --state-dir late --junit late.xml
expect_status 1
expect_match "the fold shows the line, masked" "$OUT" 'my token is \*\*\*'
printf '%s\n%s\n' "$OUT" "$ERR" >"$WORK/terminal"
leaks "the GitHub Actions output" "$WORK/terminal"
expect_eq "the step log is masked" "$(tail -n +2 "$WORK/late/logs/1-login.log")" "my token is ***"
expect_eq "the rewritten log stays private" "$(stat -c %a "$WORK/late/logs/1-login.log")" "600"
leaks "the state directory" "$WORK/late"
leaks "--junit" "$WORK/late.xml"
touch "$WORK/late-gate-open"
run resume --state-dir late --set session_token=sess-998877 --junit late-resumed.xml
expect_status 0
leaks "the JUnit report of the resume" "$WORK/late-resumed.xml"
expect_match "that report has the masked line" "$(cat "$WORK/late-resumed.xml")" 'my token is \*\*\*'

suite_done
