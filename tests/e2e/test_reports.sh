# What a run prints and leaves for CI: progress lines, --quiet/--verbose, colours only on a
# terminal, --output json, --events, --junit (checked with xmllint) and GitHub Actions output.
source "$(dirname "$0")/lib.sh"

cat >"$WORK/phase.md" <<'MD'
# Phase: Reported

## Steps Sequence
1. **build** - Builds
2. **notify** - Only when asked [if notify]
3. **ship** - Fails unless `ship-ok` exists

## Step Actions
```sh step=build
echo "building <release> & more"
```
```sh step=ship retries=1
echo "shipping attempt $DEPLOYPHASE_ATTEMPT"
test -e ship-ok
```
MD
esc=$'\033['
sgr=$'\033''\[[0-9;]*m'  # a colour code (a terminal's line-clearing \033[K is not one)

case_ "without a terminal: one plain line per event, a failure shows its log's last lines"
run run phase.md --state-dir plain
expect_status 1
expect_eq progress "$(grep '^\[' <<<"$OUT")" "$(printf '%s\n' \
    '[1/3] build ... ok (0.0s)' \
    '[2/3] notify ... skipped (fact notify is missing)' \
    '[3/3] ship ... attempt 1 of 2 failed (exited with 1; retrying)' \
    '[3/3] ship ... FAILED (exited with 1)')"
# The attempt that failed, under its header; not the attempt before it (issue 16, case 10).
expect_match "log tail" "$OUT" $'\n    \\| === deployphase: run [0-9TZa-f-]+, step attempt 2, [0-9T:-]+Z ===\n    \\| shipping attempt 2\n'
[[ "$OUT" == *"shipping attempt 1"* ]] && fail "the tail shows an earlier attempt" "$OUT"
[[ "$OUT" =~ $sgr ]] && fail "colour codes without a terminal"
[[ "$OUT" == *"building <release>"* ]] && fail "a succeeding step's output was printed without --verbose"

case_ "--verbose streams script output; --quiet prints only failures and one final line"
run run phase.md --state-dir verbose --verbose
expect_status 1
expect_match stdout "$OUT" $'\nbuilding <release> & more\n'
expect_match stdout "$OUT" '\[3/3\] ship \.\.\. attempt 2'
run run phase.md --state-dir quiet --quiet
expect_status 1
expect_eq stdout "$OUT" "$(printf '%s\n' \
    '[3/3] ship ... FAILED (exited with 1)' \
    "    | === deployphase: run $(sed -n 's/^Run \([^ ]*\) .*/\1/p' <<<"$OUT"), step attempt 2, $(sed -n 's/.*step attempt 2, \([^ ]*\) ===$/\1/p' <<<"$OUT") ===" \
    '    | shipping attempt 2' \
    "Run $(sed -n 's/^Run \([^ ]*\) .*/\1/p' <<<"$OUT") of \"Reported\": failed")"
run run phase.md --quiet --verbose
expect_status 2

case_ "colours: on a terminal, not with NO_COLOR or --color=never, always with --color=always"
on_tty() {  # on_tty ENV... -- ARGS...: runs deployphase on a pseudo-terminal
    local env=()
    while [ "$1" != -- ]; do env+=("$1"); shift; done
    shift
    (cd "$WORK" && env "${env[@]}" TERM=xterm script -qec "$(printf '%q ' "$DEPLOYPHASE" "$@")" /dev/null) \
        >"$WORK/.stdout" 2>&1 </dev/null
    STATUS=$?
    OUT=$(cat "$WORK/.stdout")
}
on_tty -- run phase.md --state-dir tty1 --set notify=true
[[ "$OUT" == *"${esc}32mok${esc}0m"* ]] || fail "no colour on a terminal" "$OUT"
on_tty NO_COLOR=1 -- run phase.md --state-dir tty2
[[ "$OUT" =~ $sgr ]] && fail "colour despite NO_COLOR"
on_tty -- --color=never run phase.md --state-dir tty3
[[ "$OUT" =~ $sgr ]] && fail "colour despite --color=never"
run --color=always run phase.md --state-dir always
[[ "$OUT" == *"${esc}31mFAILED${esc}0m"* ]] || fail "--color=always gave no colour"

case_ "--output json: stdout is the status report only; progress goes to stderr"
run run phase.md --state-dir json -o json
expect_status 1
expect_eq "first line" "$(head -1 <<<"$OUT")" "{"
expect_eq "last line" "$(tail -1 <<<"$OUT")" "}"
expect_match stdout "$OUT" '"state": "failed"'
expect_match stdout "$OUT" '"id": "ship",[[:space:]]+"status": "failed",[[:space:]]+"attempts": 2'
expect_match stderr "$ERR" '\[3/3\] ship \.\.\. FAILED'
run status --state-dir json -o json
expect_match status "$OUT" '"finished": true'

case_ "--events: one JSON object per recorded event, in order"
run run phase.md --state-dir events --events events.jsonl
expect_eq "event lines" "$(wc -l <"$WORK/events.jsonl")" "$(recorded_events "$WORK/events" | wc -l)"
expect_eq "first event" "$(head -1 "$WORK/events.jsonl" | grep -o '"type":"[a-z_]*"')" '"type":"run_started"'
expect_match "last event" "$(tail -1 "$WORK/events.jsonl")" '^\{"at":"[0-9-]+T[0-9:]+\.[0-9]{3}Z","seq":13,"status":"failed","type":"run_finished"\}$'
# A step's events name it by id as well as by index.
expect_match "a step's event" "$(grep '"type":"step_finished"' "$WORK/events.jsonl" | tail -1)" '"id":"ship","index":3,'

case_ "--junit: well-formed XML, a testcase per step, skipped and failed marked, logs included"
touch "$WORK/ship-ok"
run run phase.md --state-dir junit --junit report.xml --set 'notify=false'
expect_status 0
xmllint --noout "$WORK/report.xml" || fail "report.xml is not well-formed XML"
expect_eq testcases "$(grep -c '<testcase ' "$WORK/report.xml")" "3"
expect_match junit "$(cat "$WORK/report.xml")" '<testsuite name="Reported" tests="3" failures="0" skipped="1"'
expect_match junit "$(cat "$WORK/report.xml")" '<skipped message="fact notify is false"/>'
expect_match junit "$(cat "$WORK/report.xml")" 'building &lt;release&gt; &amp; more'
rm "$WORK/ship-ok"
run run phase.md --state-dir junit-failed --junit failed.xml
xmllint --noout "$WORK/failed.xml" || fail "failed.xml is not well-formed XML"
expect_match junit "$(cat "$WORK/failed.xml")" '<failure message="exited with 1" type="failed"/>'

case_ "--junit shows what this run's last attempt printed, never an earlier attempt or run"
run run phase.md --state-dir sections --junit first.xml
expect_status 1
junit=$(cat "$WORK/first.xml")
expect_match junit "$junit" 'step attempt 2, [0-9T:-]+Z ===&#10;shipping attempt 2|step attempt 2, [0-9T:-]+Z ===
shipping attempt 2'
[[ $junit == *"shipping attempt 1"* ]] && fail "JUnit shows the failed attempt before" "$junit"
# A new run (--restart) in which build fails before ship: ship's old log is the old run's.
printf 'exit 3\n' >"$WORK/build-fails"
sed -i 's/^echo "building <release> & more"$/echo "building again"; test ! -e build-fails/' "$WORK/phase.md"
run run phase.md --state-dir sections --restart --junit second.xml
expect_status 1
junit=$(cat "$WORK/second.xml")
expect_match junit "$junit" 'building again'
[[ $junit == *"building &lt;release&gt;"* ]] && fail "JUnit shows the earlier run's build log" "$junit"
[[ $junit == *"shipping attempt"* ]] && fail "JUnit shows the earlier run's log for a step not run" "$junit"
# Both runs are in the log file, each section named by its run and attempt.
expect_eq sections "$(grep -c '^=== deployphase: run ' "$WORK/sections/logs/1-build.log")" "2"
sed -i 's/^echo "building again"; test ! -e build-fails$/echo "building <release> \& more"/' "$WORK/phase.md"
rm -f "$WORK/build-fails"

case_ "GITHUB_ACTIONS=true: folded logs, an ::error:: annotation, a job summary"
: >"$WORK/summary.md"
(cd "$WORK" && GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$WORK/summary.md" \
    "$DEPLOYPHASE" run phase.md --state-dir gh) >"$WORK/.stdout" 2>&1
OUT=$(cat "$WORK/.stdout")
expect_match stdout "$OUT" $'::group::\\[1/3\\] build \\.\\.\\. ok \\([0-9.]+s\\)\n=== deployphase: run [^\n]*, step attempt 1, [0-9T:-]+Z ===\nbuilding <release> & more\n::endgroup::'
expect_match stdout "$OUT" $'::group::\\[3/3\\] ship \\.\\.\\. failed \\(exited with 1\\)\n=== deployphase: run [^\n]*, step attempt 2, [0-9T:-]+Z ===\nshipping attempt 2\n::endgroup::'
expect_match stdout "$OUT" $'\n::error title=deployphase: step 3 ship::step 3 ship failed: exited with 1\n'
expect_match summary "$(cat "$WORK/summary.md")" '^# Post-deployment report: Reported'
expect_match summary "$(cat "$WORK/summary.md")" $'\n- State: \\*\\*failed\\*\\*\n'
expect_match summary "$(cat "$WORK/summary.md")" $'\n\\| 3 \\| ship \\| failed \\| 2 \\| [0-9.]+s \\| 1 \\| exited with 1 \\|\n'

case_ "--log-level debug --log-file: deployphase's own diagnostics, each recorded event"
run --log-level debug --log-file debug.log run phase.md --state-dir logged
expect_status 1
expect_match log "$(cat "$WORK/debug.log")" 'debug \[[0-9]+\] recorded \{"at":"[^"]+","id":"ship","index":3,"seq":12,"status":"failed","type":"step_finished"\}'
[[ "$ERR" == *recorded* ]] && fail "diagnostics went to stderr despite --log-file"
run --log-level debug run phase.md --state-dir logged-stderr
expect_match stderr "$ERR" 'debug \[[0-9]+\] recorded \{'
run run phase.md --state-dir quiet-log
[[ "$ERR" == *recorded* ]] && fail "debug diagnostics without --log-level debug"

case_ "a live elapsed timer on a terminal only"
cat >"$WORK/slow.md" <<'MD'
# Phase: Slow
## Steps Sequence
1. **wait**
## Step Actions
```sh step=wait
sleep 0.5
```
MD
on_tty -- run slow.md --state-dir timer-tty
[[ "$OUT" == *$'\r'"${esc}K[1/1] wait ... "* ]] || fail "no live timer on a terminal" "$OUT"
expect_match "final line" "$OUT" $'\\[1/1\\] wait \\.\\.\\. .*ok.* \\(0\\.[0-9]s\\)'
run run slow.md --state-dir timer-plain
[[ "$OUT" == *$'\r'* ]] && fail "carriage returns without a terminal"

suite_done
