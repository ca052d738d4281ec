# Inputs that would hang, exhaust memory or crash deployphase after it recorded a run: an
# endless phase or context (/dev/zero), one larger than the documented limit, invalid UTF-8 in
# --set, a --set path 50,000 levels deep, values too large together for a step to start.
# Each is an error naming what was read (exit 2),
# quickly, before anything is recorded; a pipe is still read.
source "$(dirname "$0")/lib.sh"

cat >"$WORK/one.md" <<'MD'
# Phase: One
## Steps Sequence
1. **a** - writes a mark and an output
## Step Actions
```sh step=a
echo a >> marks
```
MD

limit_error='error: input is larger than 16 MiB, the most deployphase reads from a phase, context or plan file'

# bounded CMD...: runs deployphase, but never for more than 60 s (an input that hangs or
# grows without end fails the case instead of the suite's timeout).
bounded() {
    (cd "$WORK" && timeout 60 "$DEPLOYPHASE" "$@") >"$WORK/.stdout" 2>"$WORK/.stderr"
    STATUS=$?
    OUT=$(cat "$WORK/.stdout")
    ERR=$(cat "$WORK/.stderr")
}

case_ "an endless phase or context (/dev/zero) is an error at the size limit"
bounded validate /dev/zero
expect_status 2
expect_eq stderr "$ERR" "/dev/zero: $limit_error"
bounded plan one.md --context /dev/zero
expect_status 2
expect_eq stderr "$ERR" "/dev/zero: $limit_error"
bounded run /dev/zero --state-dir zero -q
expect_status 2
[ -e "$WORK/zero" ] && fail "a run of /dev/zero made its state directory"

case_ "a phase over 16 MiB is refused; one through a pipe is read"
{ cat "$WORK/one.md"; head -c $((16 * 1024 * 1024)) /dev/zero | tr '\0' ' '; } >"$WORK/big.md"
bounded validate big.md
expect_status 2
expect_eq stderr "$ERR" "big.md: $limit_error"
(cd "$WORK" && "$DEPLOYPHASE" validate <(cat one.md) >.stdout 2>&1)
STATUS=$?
expect_status 0
expect_match "a phase read from a pipe" "$(cat "$WORK/.stdout")" 'valid phase "One": 1 step'
(cd "$WORK" && "$DEPLOYPHASE" plan one.md --context <(echo '{"a": 1}') >.stdout 2>&1)
STATUS=$?
expect_status 0

case_ "invalid UTF-8 in --set is an error naming the key, before a run is recorded"
bounded run one.md --set $'release=\xff\xfe' --state-dir bad-utf8 -q
expect_status 2
expect_eq stderr "$ERR" '--set release=...: error: the value is not valid UTF-8 (byte 0xFF at byte 9)'
[ -e "$WORK/bad-utf8" ] && fail "the refused run made its state directory"
[ -e "$WORK/marks" ] && fail "the refused run ran its step"
bounded run one.md --set $'k\xffey=1' --state-dir bad-utf8 -q
expect_status 2
expect_eq stderr "$ERR" $'--set k\xef\xbf\xbdey=...: error: the key is not valid UTF-8 (byte 0xFF at byte 2)'
bounded plan one.md --set $'release=\xff' --out plan.json
expect_status 2
[ -e "$WORK/plan.json" ] && fail "plan --out wrote a plan"

case_ "invalid UTF-8 in --set on resume leaves the recorded run as it was"
cat >"$WORK/fails.md" <<'MD'
# Phase: Fails
## Steps Sequence
1. **b** - fails
## Step Actions
```sh step=b
exit 1
```
MD
bounded run fails.md --state-dir resumed -q
expect_status 1
cp "$WORK/resumed/journal" "$WORK/journal.before"
bounded run fails.md --resume --set $'k=\xff' --state-dir resumed -q
expect_status 2
expect_eq stderr "$ERR" '--set k=...: error: the value is not valid UTF-8 (byte 0xFF at byte 3)'
cmp -s "$WORK/journal.before" "$WORK/resumed/journal" || fail "the journal changed"
bounded resume --set $'k=\xff' --state-dir resumed -q
expect_status 2
cmp -s "$WORK/journal.before" "$WORK/resumed/journal" || fail "the journal changed on resume"

case_ "a --set path deeper than 100 levels is an error at once"
deep=$(printf 'a.%.0s' $(seq 50000))
bounded plan one.md --set "${deep}b=1"
expect_status 2
expect_match stderr "$ERR" \
    '^--set a\.a\.a.*\.\.\.=\.\.\.: error: the key is a path of 50001 levels; at most 100 are allowed, as in a JSON file$'
bounded plan one.md --set "$(printf 'a.%.0s' $(seq 99))b=1"
expect_status 0
expect_eq "stderr of a 100-level path" "$ERR" ""

case_ "a --set value nested deeper than 100 levels is an error, not a crash"
# 60,000 levels once overflowed the stack when the context was printed (exit 139).
deep=$(printf '[%.0s' $(seq 60000))$(printf ']%.0s' $(seq 60000))
bounded plan one.md --set "k=$deep"
expect_status 2
expect_eq stderr "$ERR" "--set k=...: error: the value nests deeper than the 100 levels a JSON file may have, counting the key's 1"

case_ "a context value too long for a step's environment is refused before the run"
# Linux holds at most 128 KiB in one environment string; a longer one made every step
# "exit 127" (execve: E2BIG).
big=$(head -c 140000 /dev/zero | tr '\0' x)
printf '{"big": "%s"}\n' "$big" >"$WORK/big.json"
bounded run one.md -c big.json --state-dir too-big -q
expect_status 2
expect_eq stderr "$ERR" "context key big: error: its value is 140020 bytes as DEPLOYPHASE_CTX_BIG=...; a step's environment holds at most 131071 bytes in one variable (Linux's limit): keep large data in a file and put its path in the context"
[ -e "$WORK/too-big" ] && fail "the refused run made its state directory"
[ -e "$WORK/marks" ] && fail "the refused run ran its step"
bounded run fails.md --state-dir resumed-big -q
bounded run fails.md --resume -c big.json --state-dir resumed-big -q
expect_status 2
expect_match "the resume names the key" "$ERR" '^context key big: error: its value is 140020 bytes'

case_ "a step output too long for the next step's environment is reported, and the next step runs"
cat >"$WORK/outputs.md" <<'MD'
# Phase: Outputs
## Steps Sequence
1. **write** - outputs a value too long for an environment
2. **read** - runs after it
## Step Actions
```sh step=write
printf 'huge=%0140000d\nsmall=ok\n' 0 >> "$DEPLOYPHASE_OUTPUT"
```
```sh step=read
echo "small=$DEPLOYPHASE_CTX_SMALL huge=${#DEPLOYPHASE_CTX_HUGE}" > read-saw
```
MD
bounded run outputs.md --state-dir outputs -q
expect_status 0
expect_eq "what the next step saw" "$(cat "$WORK/read-saw" 2>/dev/null)" "small=ok huge=0"
expect_match "the problem is recorded" "$(cat "$WORK/outputs/journal")" \
    'line 1: huge is 140021 bytes as DEPLOYPHASE_CTX_HUGE=\.\.\.; .*; ignored'

case_ "values that fit one by one but not together are refused before the run, with their sizes"
# Linux starts a program with at most a quarter of the stack limit of arguments and
# environment (2 MiB under the usual 8 MiB); past it every step "exited with 127".
python3 -c 'import json; print(json.dumps({"k%d" % i: "x" * 120000 for i in range(20)}))' \
    >"$WORK/many.json"
bounded run one.md -c many.json --state-dir too-many -q
expect_status 2
expect_match stderr "$ERR" \
    '^step environment: error: a step would start with [0-9]+ bytes \(context [0-9]+, inherited environment [0-9]+, longest script [0-9]+\); Linux starts a program with at most [0-9]+: keep large data in a file and put its path in the context$'
[ -e "$WORK/too-many" ] && fail "the refused run made its state directory"
[ -e "$WORK/marks" ] && fail "the refused run ran its step"

case_ "outputs that outgrow what a step can start with fail the next step with their size"
cat >"$WORK/grow.md" <<'MD'
# Phase: Grow
## Steps Sequence
1. **write** - outputs 20 values that fit one by one
2. **read** - cannot start with all of them
## Step Actions
```sh step=write
for i in $(seq 20); do printf 'k%s=%0120000d\n' "$i" 0 >> "$DEPLOYPHASE_OUTPUT"; done
```
```sh step=read
echo ran > read-ran
```
MD
bounded run grow.md --state-dir grow
expect_status 1
expect_match "the step's reason" "$OUT" \
    'not started: its environment and script are [0-9]+ bytes, more than the [0-9]+ Linux starts a program with'
case $OUT in *"exited with 127"*) fail "the step was reported as exiting with 127" ;; esac
[ -e "$WORK/read-ran" ] && fail "the step that could not start ran"

suite_done
