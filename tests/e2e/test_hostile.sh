# Hostile values and a hostile state directory. Context values and step outputs full of shell
# syntax reach steps as data only: no canary file is ever created. The state directory is
# 0700 and its files 0600 under any umask; a state directory that is a symbolic link or
# belongs to another user, and a journal that is a symbolic link, are refused (exit 2).
source "$(dirname "$0")/lib.sh"

cat >"$WORK/hostile.md" <<'MD'
# Phase: Hostile
## Steps Sequence
1. **emit** - outputs hostile values
2. **use** - reads them back [if hasContext('evil_output')]
## Step Actions
```sh step=emit
printf '%s\n' "$DEPLOYPHASE_CTX_SUBST" "$DEPLOYPHASE_CTX_TICKS" "$DEPLOYPHASE_CTX_SEMI" \
    "$DEPLOYPHASE_CTX_LINES" "$DEPLOYPHASE_CTX_QUOTES" > seen-context
stat -c %a "$DEPLOYPHASE_OUTPUT" > output-mode
echo 'evil_output=$(touch pwned-output)' >> "$DEPLOYPHASE_OUTPUT"
echo 'ticks_output=`touch pwned-output-ticks`; touch pwned-output-semi' >> "$DEPLOYPHASE_OUTPUT"
printf 'nul_output=a\000b\n' >> "$DEPLOYPHASE_OUTPUT"
```
```sh step=use
printf '%s\n' "$DEPLOYPHASE_CTX_EVIL_OUTPUT" "$DEPLOYPHASE_CTX_TICKS_OUTPUT" > seen-output
```
MD
cat >"$WORK/hostile.json" <<'JSON'
{"subst": "$(touch pwned-subst)", "ticks": "`touch pwned-ticks`", "semi": "x; touch pwned-semi",
 "lines": "x\ntouch pwned-lines\n", "quotes": "'\"; touch pwned-quotes; echo \"'",
 "nul": "a\u0000$(touch pwned-nul)"}
JSON

canaries() { find "$WORK" -name 'pwned*' | sort; }

case_ "context values and step outputs never become shell text"
run run hostile.md -c hostile.json --set 'set=$(touch pwned-set)' --state-dir h1 -q
expect_status 0
expect_eq "values seen by the step" "$(cat "$WORK/seen-context")" \
    "$(printf '%s\n' '$(touch pwned-subst)' '`touch pwned-ticks`' 'x; touch pwned-semi' \
        $'x\ntouch pwned-lines\n' $'\'"; touch pwned-quotes; echo "\'')"
expect_eq "outputs seen by the next step" "$(cat "$WORK/seen-output")" \
    "$(printf '%s\n' '$(touch pwned-output)' '`touch pwned-output-ticks`; touch pwned-output-semi')"
run plan hostile.md -c hostile.json
run status --state-dir h1 -o json
run report --state-dir h1
expect_eq "canaries triggered" "$(canaries)" ""
expect_match "the NUL output line is a problem, not a value" "$(cat "$WORK/h1/journal")" \
    '"problems":\["line 3: a NUL byte; ignored"\]'

case_ "a step whose output is not UTF-8 fails, and nothing it output is used"
cat >"$WORK/garbled.md" <<'MD'
# Phase: Garbled
## Steps Sequence
1. **emit** - outputs a good line, then a garbled one
2. **after** - must not run
## Step Actions
```sh step=emit
echo emitted >> emit-count
printf 'good=1\nbad=\377\376\n' >> "$DEPLOYPHASE_OUTPUT"
```
```sh step=after
echo ran > after-ran
```
MD
run run garbled.md --state-dir garbled
expect_status 1
expect_match "the step's reason names the line and byte" "$OUT" \
    'emit +failed .*line 2 of its output is not valid UTF-8 \(byte 0xFF at byte 5\); nothing it output was used'
expect_eq "the step ran once" "$(wc -l <"$WORK/emit-count")" "1"
[ -e "$WORK/after-ran" ] && fail "the next step ran"
records=$(recorded_events "$WORK/garbled")
case $records in *output_recorded*) fail "an output was recorded" "$records" ;; esac
expect_eq "the output file was emptied" "$(find "$WORK/garbled/outputs" -type f -size +0)" ""

case_ "state directory 0700 and files 0600 under umask 000 and 077"
for mask in 000 077 022; do
    (cd "$WORK" && umask "$mask" && "$DEPLOYPHASE" run hostile.md -c hostile.json \
        --state-dir "mask-$mask" -q >/dev/null 2>&1 &&
        "$DEPLOYPHASE" run hostile.md -c hostile.json --state-dir "mask-$mask" -q >/dev/null 2>&1)
    modes=$(cd "$WORK/mask-$mask" && find . -printf '%y %m %p\n' | sort -k3)
    bad=$(printf '%s\n' "$modes" | awk '($1 == "d" && $2 != "700") || ($1 == "f" && $2 != "600")')
    expect_eq "modes not private under umask $mask" "$bad" ""
    expect_match "history kept under umask $mask" "$modes" 'f 600 ./history/'
    expect_eq "the output file as the step found it, umask $mask" "$(cat "$WORK/output-mode")" 600
    expect_eq "output files emptied once recorded, umask $mask" \
        "$(find "$WORK/mask-$mask/outputs" -type f -size +0)" ""
done

case_ "an existing state directory others can read is made private by a run, not by status"
mkdir -m 0755 "$WORK/open"
cp -r "$WORK/h1/." "$WORK/open/"
chmod 0755 "$WORK/open"
run status --state-dir open
expect_status 0
expect_eq "mode after status" "$(stat -c %a "$WORK/open")" "755"
run run hostile.md -c hostile.json --state-dir open -q
expect_status 0
expect_eq "mode after run" "$(stat -c %a "$WORK/open")" "700"

case_ "a state directory that is a symbolic link is refused"
mkdir "$WORK/real-state"
ln -s real-state "$WORK/linked-state"
for command in "run hostile.md --state-dir linked-state" "status --state-dir linked-state"; do
    run $command
    expect_status 2
    expect_match "$command" "$ERR" '^linked-state: error: the state directory is a symbolic link'
done
expect_eq "nothing written through the link" "$(ls -A "$WORK/real-state")" ""

case_ "a journal that is a symbolic link is refused"
mkdir -m 0700 "$WORK/linked-journal"
printf 'not yours\n' >"$WORK/elsewhere"
ln -s ../elsewhere "$WORK/linked-journal/journal"
run run hostile.md -c hostile.json --state-dir linked-journal --resume
expect_status 2
expect_match stderr "$ERR" "linked-journal/journal: error: a symbolic link where deployphase keeps a regular file; refusing to use it. Remove it \\(rm 'linked-journal/journal'\\), and deployphase makes its own"
expect_eq "the link's target" "$(cat "$WORK/elsewhere")" "not yours"

cat >"$WORK/quiet.md" <<'MD'
# Phase: Quiet
## Steps Sequence
1. **speak** - prints a line and records an output
## Step Actions
```sh step=speak
echo spoken >> spoke
echo said
echo word=hello >> "$DEPLOYPHASE_OUTPUT"
```
MD

# bounded CMD...: `run`, but never for more than 20 s: a command that blocks on a FIFO fails
# its case instead of the suite's timeout.
bounded() {
    (cd "$WORK" && timeout 20 "$DEPLOYPHASE" "$@") >"$WORK/.stdout" 2>"$WORK/.stderr"
    STATUS=$?
    ERR=$(cat "$WORK/.stderr")
}
# planted PATH KIND EXPECTED: the error for KIND found at PATH where a file or folder belongs.
planted() {
    printf "%s: error: %s where deployphase keeps %s; refusing to use it. Remove it (rm '%s'), and deployphase makes its own" \
        "$1" "$2" "$3" "$1"
}

case_ "a FIFO in the state directory is refused by every command, never waited on"
mkdir -m 0700 "$WORK/fifo-journal"
mkfifo -m 0600 "$WORK/fifo-journal/journal"
for command in "status" "run quiet.md -q" "run quiet.md --resume -q" "resume" "report" \
    "rollback" "confirm 1"; do
    # shellcheck disable=SC2086 # the command's words
    bounded $command --state-dir fifo-journal
    expect_status 2
    expect_eq "stderr of $command" "$ERR" "$(planted fifo-journal/journal "a FIFO" "a regular file")"
done
mkdir -m 0700 "$WORK/fifo-lock"
mkfifo -m 0600 "$WORK/fifo-lock/lock"
bounded run quiet.md --state-dir fifo-lock -q
expect_status 2
expect_eq "stderr with a FIFO lock" "$ERR" "$(planted fifo-lock/lock "a FIFO" "a regular file")"
[ -e "$WORK/spoke" ] && fail "a step ran"
mkdir -m 0700 "$WORK/fifo-log" "$WORK/fifo-log/logs"
mkfifo -m 0600 "$WORK/fifo-log/logs/1-speak.log"
bounded run quiet.md --state-dir fifo-log -q
expect_status 2
expect_eq "stderr with a FIFO step log" "$ERR" \
    "$(planted fifo-log/logs/1-speak.log "a FIFO" "a regular file")"
rm -f "$WORK/spoke"

case_ "a symbolic link inside the state directory is never written through"
mkdir "$WORK/victim"
for dir in logs outputs; do
    mkdir -m 0700 "$WORK/linked-$dir"
    ln -s ../victim "$WORK/linked-$dir/$dir"
    bounded run quiet.md --state-dir "linked-$dir" -q
    expect_status 2
    expect_eq "stderr with $dir/ a link" "$ERR" \
        "$(planted "linked-$dir/$dir" "a symbolic link" "a directory")"
done
[ -e "$WORK/spoke" ] && fail "a step ran"
mkdir -m 0700 "$WORK/linked-history"
bounded run quiet.md --state-dir linked-history -q
expect_status 0
ln -s ../victim "$WORK/linked-history/history"
bounded run quiet.md --state-dir linked-history -q
expect_status 2
expect_match "stderr with history/ a link" "$ERR" \
    '^linked-history/history: error: a symbolic link where deployphase keeps a directory'
mkdir -m 0700 "$WORK/linked-log" "$WORK/linked-log/logs"
ln -s ../../victim/log "$WORK/linked-log/logs/1-speak.log"
bounded run quiet.md --state-dir linked-log -q
expect_status 2
expect_match "stderr with a step log a link" "$ERR" \
    '^linked-log/logs/1-speak.log: error: a symbolic link where deployphase keeps a regular file'
expect_eq "what reached the link's target" "$(ls -A "$WORK/victim")" ""

case_ "a state directory of another user is refused"
if [ "$(id -u)" -eq 0 ]; then
    mkdir -m 0700 "$WORK/theirs"
    chown nobody "$WORK/theirs"
    run run hostile.md --state-dir theirs
    expect_status 2
    expect_match stderr "$ERR" '^theirs: error: the state directory belongs to uid [0-9]+, not to this user \(uid 0\)'
    expect_eq "nothing written" "$(ls -A "$WORK/theirs")" ""
else
    echo "note: not root, so no directory of another user to try"
fi

suite_done
