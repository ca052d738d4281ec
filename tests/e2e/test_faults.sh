# Storage faults: the faultfs shim (LD_PRELOAD) fails the N-th write, fsync or rename of a
# state file with ENOSPC or EIO, once or forever, for every N of a whole run. Each time the
# runner stops (exit 6) naming the file, starts no further step, leaves no temporary file and
# no torn record, never retries a failed fsync, and resumes once the fault clears. Then a
# tiny tmpfs that fills up, and `ulimit -f`. tests/soak/faults.sh runs the full matrix.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/marker_phase.sh"
: "${FAULTFS:?set FAULTFS to the faultfs shim}"

STEPS=3
new_dir() {
    rm -rf "$WORK/f" && mkdir "$WORK/f"
    write_marker_phase "$WORK/f/phase.md" "$STEPS"
}

case_ "the shim sees the runner's state writes, and only those"
new_dir
faulty_run "$WORK/f" none 0 EIO once run phase.md -q --events events
expect_status 0
read -r _ writes < <(grep '^write ' "$WORK/f/.counts")
read -r _ fsyncs < <(grep '^fsync ' "$WORK/f/.counts")
read -r _ renames < <(grep '^rename ' "$WORK/f/.counts")
# A step's records take two journal writes, each with an fsync; its output reaches its log
# with a write.
[ "$writes" -ge $((STEPS * 3)) ] || fail "only $writes writes seen"
[ "$fsyncs" -ge $((STEPS * 2)) ] || fail "only $fsyncs fsyncs seen"
[ "$renames" -ge 1 ] || fail "no rename seen"
echo "a $STEPS-step run: $writes writes, $fsyncs fsyncs, $renames renames of state files"

case_ "every write, fsync and rename of a run fails in turn: ENOSPC/EIO, once/forever"
injected=0
for call in write fsync rename; do
    total=$(grep "^$call " "$WORK/f/.counts" | cut -d' ' -f2)
    for ((n = 1; n <= total; n++)); do
        sampled 3 || continue  # under the sanitizers
        combos=("ENOSPC once" "EIO forever" "EIO once" "ENOSPC forever")
        read -r error mode <<<"${combos[$((n % 4))]}"
        new_dir
        faulty_run "$WORK/f" "$call" "$n" "$error" "$mode" run phase.md -q --events events
        check_fault "$WORK/f" "$STEPS" "$call #$n $error $mode"
        injected=$((injected + 1))
    done
done
echo "faults injected and handled: $injected"

case_ "a tiny tmpfs fills up under the step log, then has room again"
mkdir -p "$WORK/tiny"
if mount -t tmpfs -o size=64k tmpfs "$WORK/tiny" 2>/dev/null; then
    trap 'umount "$WORK/tiny" 2>/dev/null' RETURN
    cat >"$WORK/big.md" <<'MD'
# Phase: Big
## Steps Sequence
1. **small**
2. **loud**
3. **after**
## Step Actions
```sh step=small
echo "start small" >> marks
```
```sh step=loud
echo "start loud" >> marks
head -c 200000 /dev/zero | tr '\0' x
```
```sh step=after
echo "start after" >> marks
```
MD
    run run big.md --state-dir "$WORK/tiny/state" -q
    expect_status 6
    expect_match stderr "$ERR" 'tiny/state/logs/2-loud.log: error: cannot write the step log: No space left on device'
    expect_eq "steps started" "$(cat "$WORK/marks")" $'start small\nstart loud'
    mount -o remount,size=4m "$WORK/tiny"
    run run big.md --state-dir "$WORK/tiny/state" --resume -q
    expect_status 0
    expect_eq "steps started" "$(cat "$WORK/marks")" $'start small\nstart loud\nstart loud\nstart after'
    umount "$WORK/tiny"
else
    echo "note: tmpfs not mounted (needs root); the ulimit case below covers a full file"
fi

case_ "ulimit -f: the journal or a log may not grow; EFBIG stops the run, resume finishes"
rm -f "$WORK/marks"
(cd "$WORK" && ulimit -f 16 && "$DEPLOYPHASE" run big.md --state-dir limited -q) \
    >"$WORK/.stdout" 2>"$WORK/.stderr"
STATUS=$?
ERR=$(cat "$WORK/.stderr")
expect_status 6
expect_match stderr "$ERR" 'limited/logs/2-loud.log: error: cannot write the step log: File too large'
expect_eq "steps started" "$(cat "$WORK/marks")" $'start small\nstart loud'
run run big.md --state-dir limited --resume -q
expect_status 0
expect_eq "steps started" "$(cat "$WORK/marks")" $'start small\nstart loud\nstart loud\nstart after'

suite_done
