# Rolling back with the real binary: `run --on-failure=rollback` and `deployphase rollback`,
# in the documented order, each rollback script counted.
source "$(dirname "$0")/lib.sh"

# a and c can be undone, b cannot; d fails until `d-works` exists. Every script appends to
# `ran`, rollbacks as "undo ID".
cat >"$WORK/phase.md" <<'MD'
# Phase: Undoable

## Steps Sequence
1. **a**
2. **b**
3. **c**
4. **d**

## Step Actions
```sh step=a
echo a >> ran
```
```sh rollback=a
echo "undo a" >> ran
```
```sh step=b
echo b >> ran
```
```sh step=c
echo c >> ran
```
```sh rollback=c
echo "undo c" >> ran
test -e c-undoable
```
```sh step=d
echo d >> ran
test -e d-works
```
```sh rollback=d
echo "undo d" >> ran
```
MD
ran() { tr '\n' ',' 2>/dev/null <"$WORK/ran"; }
touch "$WORK/c-undoable"

case_ "--on-failure=rollback: completed steps newest first, then the failed one, exit 1"
run run phase.md --on-failure=rollback
expect_status 1
expect_eq ran "$(ran)" "a,b,c,d,undo c,undo a,undo d,"
expect_match stdout "$OUT" ': rolled-back'
expect_match stdout "$OUT" $'\n  2/4  b  +succeeded'
run status -o json
expect_match status "$OUT" '"state": "rolled-back"'
expect_eq "rolled-back steps" "$(grep -c '"status": "rolled-back"' <<<"$OUT")" "3"

case_ "rollback of a run already rolled back: exit 0, nothing runs"
run rollback
expect_status 0
expect_eq stdout "$OUT" "Run $(sed -n 's/.*"run_id": "\([^"]*\)".*/\1/p' <<<"$(cd "$WORK" && "$DEPLOYPHASE" status -o json)") of \"Undoable\" is already rolled back."
expect_eq ran "$(ran)" "a,b,c,d,undo c,undo a,undo d,"

case_ "a rolled-back run cannot be resumed"
run resume
expect_status 2
expect_match stderr "$ERR" 'already ended \(rolled-back\); nothing to resume'

case_ "rollback --dry-run prints the order and runs nothing; rollback then does it, exit 0"
rm -f "$WORK/ran"
touch "$WORK/d-works"
run run phase.md --restart
expect_status 0
run rollback --dry-run
expect_status 0
expect_eq stdout "$OUT" "$(printf '%s\n' \
    "Rolling back run $(sed -n 's/^Run \([^ ]*\) .*/\1/p' <<<"$(cd "$WORK" && "$DEPLOYPHASE" status)") of \"Undoable\" would run, in this order:" \
    "  4/4  d  rollback of a step that succeeded" \
    "  3/4  c  rollback of a step that succeeded" \
    "  1/4  a  rollback of a step that succeeded" \
    "  2/4  b  succeeded, has no rollback script: left as it is")"
expect_eq ran "$(ran)" "a,b,c,d,"
run rollback
expect_status 0
expect_eq ran "$(ran)" "a,b,c,d,undo d,undo c,undo a,"

case_ "a failing rollback script stops the rollback (exit 1); rollback again continues there"
rm -f "$WORK/ran" "$WORK/d-works" "$WORK/c-undoable"
run run phase.md --restart --on-failure=rollback
expect_status 1
expect_eq ran "$(ran)" "a,b,c,d,undo c,"
expect_match stdout "$OUT" ': failed \(the rollback of step 3 \(c\) exited with 1; `deployphase rollback` tries it again\)'
expect_match stdout "$OUT" $'\n  3/4  c  +failed +1 attempt +[0-9.]+s +rollback exited with 1\n'
run resume
expect_status 2
expect_match stderr "$ERR" 'is part-way through its rollback; finish it with `deployphase rollback`'
run run phase.md
expect_status 2
expect_match stderr "$ERR" 'is part-way through its rollback; finish the rollback with `deployphase rollback`, or abandon it with --restart'
touch "$WORK/c-undoable"
run rollback
expect_status 0
expect_eq ran "$(ran)" "a,b,c,d,undo c,undo c,undo a,undo d,"

case_ "a run with nothing to undo: rollback says so, exit 0, the run stays as it was"
cat >"$WORK/plain.md" <<'MD'
# Phase: Plain
## Steps Sequence
1. **plain**
## Step Actions
```sh step=plain
false
```
MD
run run plain.md --state-dir plain-state
expect_status 1
run rollback --state-dir plain-state
expect_status 0
expect_match stdout "$OUT" '^Run [^ ]+ of "Plain" has no rollback script to run; nothing was changed\.'
run status --state-dir plain-state -o json
expect_match status "$OUT" '"state": "failed"'

case_ "rollback with no run: exit 2"
run rollback --state-dir nowhere
expect_status 2
if [ "$STORE" = directory ]; then
    expect_eq stderr "$ERR" "nowhere: error: no run to roll back"
else  # the store's name ends with the key, the state directory's path
    expect_match stderr "$ERR" "^postgresql://.*#$WORK/nowhere: error: no run to roll back\$"
fi

case_ "rollback refuses a changed phase unless --allow-changed"
rm -f "$WORK/ran"
touch "$WORK/d-works"
run run phase.md --restart
echo "<!-- edited -->" >>"$WORK/phase.md"
run rollback
expect_status 2
expect_match stderr "$ERR" 'phase.md: error: the phase file changed since run .* began; pass --allow-changed'
expect_eq ran "$(ran)" "a,b,c,d,"
run rollback --allow-changed
expect_status 0
expect_eq ran "$(ran)" "a,b,c,d,undo d,undo c,undo a,"

case_ "a rollback holds the lock: a second one exits 5"
cat >"$WORK/slow.md" <<'MD'
# Phase: Slow undo
## Steps Sequence
1. **only**
## Step Actions
```sh step=only
true
```
```sh rollback=only
echo $$ > undo.pid
while [ ! -e release ]; do sleep 0.05; done
```
MD
run run slow.md --state-dir slow-state
expect_status 0
(cd "$WORK" && exec "$DEPLOYPHASE" rollback --state-dir slow-state >/dev/null 2>&1) &
holder=$!
for _ in $(seq 1 200); do [ -e "$WORK/undo.pid" ] && break; sleep 0.05; done
run rollback --state-dir slow-state
expect_status 5
expect_match stderr "$ERR" "another run holds the lock \\(pid $holder on "
touch "$WORK/release"
wait "$holder"
expect_eq "first rollback's exit" "$?" "0"

suite_done
