# Who did what and when (issue 19, point 1): every record carries its UTC time; a run records
# who started it and with which deployphase; confirm records who confirmed and why; a
# requested rollback, who asked. status, --events, report and JUnit show them, and a state
# directory written in journal format 1 is read and continued.
source "$(dirname "$0")/lib.sh"

cat >"$WORK/phase.md" <<'MD'
# Phase: Recorded

## Steps Sequence
1. **build** - builds
2. **approve** - by hand
3. **ship** - ships

## Step Actions
```sh step=build
echo built
```
```sh step=ship
echo shipped
```
```sh rollback=ship
echo unshipped
```
MD
iso='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$'
user=$(id -un)
host=$(hostname)
version=$("$DEPLOYPHASE" --version | awk '{ print $2 }')

case_ "a run records when and by whom it started, and when each step ran"
run run phase.md --state-dir st --events events.jsonl </dev/null
expect_status 4
run status --state-dir st -o json
expect_status 0
expect_match started_at "$(jq -r .started_at <<<"$OUT")" "$iso"
expect_match finished_at "$(jq -r .finished_at <<<"$OUT")" "$iso"
expect_eq started_by "$(jq -c '.started_by | [.user, .uid, .host]' <<<"$OUT")" "[\"$user\",$(id -u),\"$host\"]"
expect_eq version "$(jq -r .deployphase_version <<<"$OUT")" "$version"
expect_match context_sha256 "$(jq -r .context_sha256 <<<"$OUT")" '^[0-9a-f]{64}$'
expect_match "build's start" "$(jq -r '.steps[0].started_at' <<<"$OUT")" "$iso"
expect_match "build's end" "$(jq -r '.steps[0].finished_at' <<<"$OUT")" "$iso"
expect_eq "ship has not started" "$(jq -r '.steps[2].started_at' <<<"$OUT")" "null"
run status --state-dir st
expect_match status "$OUT" $'\n  started [0-9T:.-]+Z by '"$user@$host, deployphase $version; ended [0-9T:.-]+Z"$'\n'

case_ "every event says when; a step's events name the step by id"
events=$(cat "$WORK/events.jsonl")
expect_eq "events without a time" "$(jq -c 'select(.at == null)' <<<"$events")" ""
expect_eq "step events without an id" "$(jq -c 'select(.index != null and .id == null)' <<<"$events")" ""
expect_eq "build's events" "$(jq -r 'select(.index == 1) | .id' <<<"$events" | sort -u)" "build"

case_ "confirm records who confirmed, when, and --reason"
run confirm approve --state-dir st --reason "checked the dashboard"
expect_status 0
run status --state-dir st -o json
expect_eq confirmed_by "$(jq -c '.steps[1].confirmed_by | [.user, .host]' <<<"$OUT")" "[\"$user\",\"$host\"]"
expect_eq reason "$(jq -r '.steps[1].confirm_reason' <<<"$OUT")" "checked the dashboard"
expect_match confirmed_at "$(jq -r '.steps[1].confirmed_at' <<<"$OUT")" "$iso"
run status --state-dir st
expect_match status "$OUT" "approve +succeeded +confirmed by $user@$host: checked the dashboard"
run resume --state-dir st
expect_status 0

case_ "report and JUnit show when and who"
run report --state-dir st
expect_match report "$OUT" $'\n- Started: [0-9T:.-]+Z by '"$user@$host, ended [0-9T:.-]+Z"$'\n'
run report --state-dir st -o json
expect_eq "report's started_by" "$(jq -r .started_by.user <<<"$OUT")" "$user"
expect_eq "report's confirmed_by" "$(jq -r '.steps[1].confirmed_by.user' <<<"$OUT")" "$user"
run run phase.md --state-dir junit-st --yes --junit report.xml
expect_status 0
xmllint --noout "$WORK/report.xml" || fail "report.xml is not well-formed XML"
expect_match junit "$(cat "$WORK/report.xml")" "<testsuite name=\"Recorded\" [^>]* timestamp=\"[0-9T:-]{19}\" hostname=\"$host\">"
expect_match junit "$(cat "$WORK/report.xml")" "<property name=\"started_by\" value=\"$user@$host\"/>"

case_ "a requested rollback records who asked for it"
run rollback --state-dir st
expect_status 0
run status --state-dir st -o json
expect_eq rollback_by "$(jq -r .rollback_by.user <<<"$OUT")" "$user"
run status --state-dir st
expect_match status "$OUT" "; rollback asked for by $user@$host"

case_ "a state directory of journal format 1 is read, and continued"
if only_directory_store; then
    cp -r "$FIXTURES/format1" "$WORK/old"
    chmod 700 "$WORK/old/state"
    expect_eq header "$(head -1 "$WORK/old/state/journal")" "deployphase-journal 1"
    (cd "$WORK/old" && "$DEPLOYPHASE" status --state-dir state) >"$WORK/.stdout" 2>"$WORK/.stderr"
    expect_eq "status" "$?" "0"
    status_text=$(cat "$WORK/.stdout")
    expect_match status "$status_text" $'^Run 20261129T111106Z-8aa520 of "Written by format 1": failed\n  1/3  prepare'
    (cd "$WORK/old" && "$DEPLOYPHASE" status --state-dir state -o json) >"$WORK/.stdout"
    expect_eq "no times in format 1" "$(jq -c '[.started_at, .started_by, .steps[0].started_at]' "$WORK/.stdout")" "[null,null,null]"
    touch "$WORK/old/ok"
    (cd "$WORK/old" && "$DEPLOYPHASE" run phase.md --state-dir state --resume) >"$WORK/.stdout" 2>&1
    expect_eq "resume" "$?" "0"
    # Only the failed step ran again; what it recorded now carries its time.
    expect_eq ran "$(tr '\n' , <"$WORK/old/ran")" "prepare,finish,finish,"
    expect_match "a new record" "$(tail -1 "$WORK/old/state/journal")" '"at":"[0-9T:.-]+Z"'
    expect_eq "header kept" "$(head -1 "$WORK/old/state/journal")" "deployphase-journal 1"
    # A log of that time has no section headers: it is the run's own.
    (cd "$WORK/old" && "$DEPLOYPHASE" logs prepare --state-dir state) >"$WORK/.stdout" 2>&1
    expect_eq "an old log" "$(cat "$WORK/.stdout")" "prepared"
fi

# Issue 19, point 5: four eyes.
cat >"$WORK/four.md" <<'MD'
# Phase: Four

## Steps Sequence
1. **build** - builds
2. **approve-change** - a second person signs off [four eyes]
3. **ship** - ships

## Step Actions
```sh step=build
echo built
```
```sh step=ship
echo shipped >> shipped
```
MD

case_ "four eyes: whoever started the run cannot confirm the step, by --yes, prompt or confirm"
run run four.md --state-dir four-st --yes
expect_status 4
expect_match stdout "$OUT" "Next: step 2 \(approve-change\) needs four eyes: once it is done, a user other than $user confirms it with \`deployphase confirm approve-change --state-dir four-st\`"
run confirm approve-change --state-dir four-st
expect_status 2
expect_match stderr "$ERR" "step 2 \(approve-change\) needs four eyes: $user started run [^ ]+, so another user must confirm it"
run resume --state-dir four-st --yes
expect_status 4
[ -e "$WORK/shipped" ] && fail "a four-eyes step was passed by the one who started the run"
run status --state-dir four-st -o json
expect_eq "still waiting" "$(jq -r '.steps[1].status' <<<"$OUT")" "awaiting-confirmation"

case_ "four eyes: another user confirms, and the run goes on"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
if [ "$STORE" = postgresql ] && command -v setpriv >/dev/null &&
    as_nobody test -x "${REAL_DEPLOYPHASE:-}" 2>/dev/null; then
    # Another operating-system user, on the shared store: as a second operator would, with a
    # state directory of their own (/tmp: one they may create).
    key=$(realpath -m -- "$WORK/four-st")
    (cd / && as_nobody env HOME=/ PGHOST="$PGHOST" PGPORT="$PGPORT" PGUSER="$PGUSER" PGDATABASE="$PGDATABASE" \
        PGPASSWORD="${PGPASSWORD:-}" DEPLOYPHASE_STATE_URL="$DEPLOYPHASE_STATE_URL" \
        DEPLOYPHASE_STATE_SCHEMA="$DEPLOYPHASE_STATE_SCHEMA" DEPLOYPHASE_STATE_KEY="$key" \
        "$REAL_DEPLOYPHASE" confirm approve-change --reason "read the change" \
        --state-dir "/tmp/deployphase-nobody-$$") >"$WORK/confirmed" 2>&1
    expect_eq "confirm as another user" "$?" "0"
    rm -rf "/tmp/deployphase-nobody-$$"  # its local files; the run is in the shared store
    run status --state-dir four-st -o json
    expect_eq "confirmed by" "$(jq -r '.steps[1].confirmed_by.user' <<<"$OUT")" "$(id -un 65534)"
    run resume --state-dir four-st
    expect_status 0
    expect_eq shipped "$(cat "$WORK/shipped")" "shipped"
else
    echo "the second user needs the shared store (STORE=postgresql) and a binary user nobody" \
        "may run: case skipped here"
fi

case_ "four eyes is for manual steps"
printf '# Phase: F\n\n## Steps Sequence\n1. **a** - a [four eyes]\n\n```sh step=a\ntrue\n```\n' >"$WORK/bad-four.md"
run validate bad-four.md
expect_status 2
expect_match stderr "$ERR" '^bad-four.md:4:6: error: step 1 \(a\) is marked \[four eyes\] but has a step= script'

suite_done
