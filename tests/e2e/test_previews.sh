# Previews that match the run (issue 16, case 6) and an unfinished run that stays whose it is
# (case 13): `run --dry-run`, `run --resume --dry-run` and `resume --dry-run` against what the
# store records, and `--allow-changed` binding a run to the phase it accepted.
source "$(dirname "$0")/lib.sh"

# Step two fails until `ok` exists; three is manual; four has a check that always fails.
cat >"$WORK/phase.md" <<'MD'
# Phase: Preview

## Steps Sequence
1. **one** - counted
2. **two** - fails until ok exists
3. **three** - done by hand
4. **four** - checked first [if later]

## Step Actions
```sh step=one
echo one >> ran
```
```sh step=two
echo two >> ran
test -f ok
```
```sh step=four
echo four >> ran
```
```sh check=four
false
```
MD
printf '{"later": true}\n' >"$WORK/context.json"
ran() { tr '\n' ',' 2>/dev/null <"$WORK/ran"; }
# The files of a state directory with their sizes and times, the lock's too: a preview reads as
# `status` does, and must leave all of them alone.
snapshot() { find "$WORK/$1" -printf '%P %s %T@\n' 2>/dev/null | sort; }

case_ "run --dry-run of a new run: how each step runs, and nothing is created"
run run --dry-run phase.md -c context.json --state-dir fresh
expect_status 0
expect_match stdout "$OUT" $'\n  1/4  one    will run  no guard\n'
expect_match stdout "$OUT" $'\n  3/4  three  will run  no guard; stops for confirmation \\(exit 4 without a terminal\\)\n'
expect_match stdout "$OUT" $'\n  4/4  four   will run  fact later is true; runs unless its check passes\n'
[ ! -e "$WORK/fresh" ] || fail "run --dry-run created the state directory"
[ ! -e "$WORK/ran" ] || fail "run --dry-run ran a step"

case_ "run --dry-run -o json prints the plan's JSON, with each step's action"
run run --dry-run phase.md -c context.json --state-dir fresh -o json
expect_status 0
expect_eq actions "$(jq -c '[.steps[] | [.id, .will_run, .action, .recorded]]' <<<"$OUT")" \
    '[["one",true,"script",null],["two",true,"script",null],["three",true,"confirm",null],["four",true,"check",null]]'
run plan phase.md -c context.json -o json
expect_eq "plan's actions" "$(jq -c '[.steps[].action]' <<<"$OUT")" '["script","script","confirm","check"]'

# A run that failed at step two: one is done, two is next.
run run phase.md -c context.json --state-dir st
expect_status 1
expect_eq ran "$(ran)" "one,two,"

case_ "run --resume --dry-run shows finished steps as done and the step it resumes at"
before=$(snapshot st)
run run --resume --dry-run phase.md -c context.json --state-dir st
expect_status 0
run_id=$(jq -r 'select(.type == "run_started") | .run_id' < <(recorded_events "$WORK/st"))
expect_match stdout "$OUT" "Decision: RUN \\(resumes run $run_id at step 2 \\(two\\)\\)"
expect_match stdout "$OUT" $'\n  1/4  one    done      recorded: succeeded\n  2/4  two    will run  no guard\n  3/4  three  will run  no guard; stops for confirmation'
expect_eq "state directory" "$(snapshot st)" "$before"
expect_eq ran "$(ran)" "one,two,"

case_ "resume --dry-run says the same, in text and JSON, and changes nothing"
before=$(snapshot st)
run resume --dry-run --state-dir st
expect_status 0
expect_match stdout "$OUT" $'\n  1/4  one    done      recorded: succeeded\n  2/4  two    will run  no guard\n'
run resume --dry-run --state-dir st -o json
expect_status 0
expect_eq steps "$(jq -c '[.steps[] | [.id, .will_run, .recorded]]' <<<"$OUT")" \
    '[["one",false,"succeeded"],["two",true,null],["three",true,null],["four",true,null]]'
expect_eq "state directory" "$(snapshot st)" "$before"
expect_eq ran "$(ran)" "one,two,"

case_ "the real resume does what its preview said"
touch "$WORK/ok"
run resume --state-dir st </dev/null
expect_status 4
expect_eq ran "$(ran)" "one,two,two,"
run resume --dry-run --state-dir st
expect_match stdout "$OUT" $'\n  2/4  two    done      recorded: succeeded\n  3/4  three  will run  no guard; stops for confirmation \\(exit 4 without a terminal\\)\n'

case_ "a preview refuses what the resume would refuse"
run resume --dry-run --state-dir st --set 'later = 1'
expect_status 2
expect_match stderr "$ERR" "the key 'later ' has blanks around it"
run resume --dry-run --state-dir nowhere
expect_status 2
expect_match stderr "$ERR" 'no run to resume'

case_ "run --dry-run on an unfinished run refuses as the run would"
run run --dry-run phase.md -c context.json --state-dir st
expect_status 2
expect_match stderr "$ERR" "run $run_id has not finished; continue it with --resume, or abandon it with --restart"
run run --dry-run --restart phase.md -c context.json --state-dir st
expect_status 0

case_ "another phase against an unfinished run: says whose run it is and the three ways on"
printf '# Phase: Other\n\n## Steps Sequence\n1. **x** - x\n\n```sh step=x\necho x >> ran\n```\n' >"$WORK/other.md"
for resume in "" --resume; do
    run run other.md $resume --state-dir st
    expect_status 2
    # After the store's name (a journal file, or a PostgreSQL key):
    expect_eq stderr "${ERR#*: error: }" "run $run_id of another phase, \"Preview\" ($WORK/phase.md), has not finished; finish it with \`deployphase resume --state-dir st\`, roll it back with \`deployphase rollback --state-dir st\`, or abandon it (it is kept in the history) and run this phase with --restart"
done
expect_eq ran "$(ran)" "one,two,two,"

case_ "an accepted change binds the run: resume, status and report do not refuse it again"
sed -i 's/^echo four >> ran$/echo four >> ran; test -f ok4/' "$WORK/phase.md"
run resume --state-dir st --yes
expect_status 2
expect_match stderr "$ERR" 'the phase file changed since run .* began; pass --allow-changed'
run resume --state-dir st --yes --allow-changed
expect_status 1
expect_eq ran "$(ran)" "one,two,two,four,"
# No --allow-changed from here on: the run is of the version it accepted.
run resume --dry-run --state-dir st
expect_status 0
expect_match stdout "$OUT" $'\n  4/4  four   will run  fact later is true; runs unless its check passes\n'
touch "$WORK/ok4"
run resume --state-dir st
expect_status 0
expect_eq ran "$(ran)" "one,two,two,four,four,"
run report --state-dir st -o json
expect_eq phase_changed "$(jq .phase_changed <<<"$OUT")" false

case_ "run --resume --dry-run of a run that succeeded: every step as recorded, nothing to do"
run run --resume --dry-run phase.md -c context.json --state-dir st
expect_status 0
expect_match stdout "$OUT" "already succeeded with this phase and context; nothing to do"
expect_match stdout "$OUT" $'\n  4/4  four   done      recorded: succeeded\n'

suite_done
