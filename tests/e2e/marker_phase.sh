# Shared by the crash, fault and race suites (and tests/soak): a phase whose every step writes
# "start sN" and "end sN" to a `marks` file beside it, so a test can count how often each step
# really ran. Sourced, not run; expects lib.sh to be sourced first.

# write_marker_phase FILE STEPS [SLEEP]: STEPS steps s1..sSTEPS, each sleeping SLEEP seconds
# between its markers.
write_marker_phase() {
    local file=$1 steps=$2 pause=${3:-0} i
    {
        printf '# Phase: Markers\n## Steps Sequence\n'
        for ((i = 1; i <= steps; i++)); do printf '%s. **s%s**\n' "$i" "$i"; done
        printf '## Step Actions\n'
        for ((i = 1; i <= steps; i++)); do
            printf '```sh step=s%s\necho "start $DEPLOYPHASE_STEP" >> marks\n' "$i"
            printf 'echo "s%s writes to its log"\n' "$i"
            [ "$pause" != 0 ] && printf 'sleep %s\n' "$pause"
            printf 'echo "end $DEPLOYPHASE_STEP" >> marks\n```\n'
        done
    } >"$file"
}

# count_marks DIR LINE: how many times LINE is in DIR/marks.
count_marks() { grep -cx "$2" "$1/marks" 2>/dev/null; }

# succeeded_steps DIR: the ids `status` shows as succeeded for the run in DIR/.deployphase.
succeeded_steps() { (cd "$1" && "$DEPLOYPHASE" status) | awk '$3 == "succeeded" { print $2 }'; }

# The invariants after each interruption. FROZEN maps a step to its start count when it was
# first seen recorded as succeeded; a later start would mean a finished step ran again.
declare -A FROZEN
reset_frozen() { FROZEN=(); }

# check_recorded DIR WHAT: status loads, and no step recorded as finished started again.
check_recorded() {
    local dir=$1 what=$2 step starts
    if ! (cd "$dir" && "$DEPLOYPHASE" status >/dev/null 2>"$dir/.status-err"); then
        # Killed before the run's first record: there is no run, and nothing may have run.
        if grep -q ': error: no run here$' "$dir/.status-err" &&
            ! grep -qs '^start ' "$dir/marks"; then
            return
        fi
        fail "status did not load after $what" "$(cat "$dir/.status-err")"
        return
    fi
    for step in $(succeeded_steps "$dir"); do
        starts=$(count_marks "$dir" "start $step")
        if [ -z "${FROZEN[$step]:-}" ]; then
            FROZEN[$step]=$starts
        elif [ "$starts" != "${FROZEN[$step]}" ]; then
            fail "$step, recorded finished with $starts start(s), started again after $what"
        fi
    done
}

# check_finished DIR STEPS INTERRUPTIONS [WHAT]: every step ended, reruns <= interruptions.
check_finished() {
    local dir=$1 steps=$2 interruptions=$3 what=${4:-the run} i starts reruns=0
    for ((i = 1; i <= steps; i++)); do
        starts=$(count_marks "$dir" "start s$i")
        [ "$(count_marks "$dir" "end s$i")" -ge 1 ] || fail "$what: s$i never finished"
        reruns=$((reruns + starts - 1))
    done
    [ "$reruns" -le "$interruptions" ] ||
        fail "$what: $reruns reruns for $interruptions interruptions"
    check_recorded "$dir" "$what, once the run finished"
}

# whole_run_ms STEPS: how long one uninterrupted run of a STEPS-step marker phase takes here
# (a sanitizer build is several times slower), so random kills can spread over whole runs.
whole_run_ms() {
    local dir=$WORK/timing start end
    mkdir -p "$dir" && write_marker_phase "$dir/phase.md" "$1"
    start=$(date +%s%N)
    (cd "$dir" && "$DEPLOYPHASE" run phase.md -q >/dev/null 2>&1)
    end=$(date +%s%N)
    rm -rf "$dir"
    echo $(((end - start) / 1000000))
}

# random_kills ROOT STEPS KILLS MAX_DELAY_MS: whole runs of a STEPS-step marker phase, each
# started and restarted with `run --resume` (the command a retried CI job uses) and SIGKILLed
# after a random delay of up to MAX_DELAY_MS, until KILLS kills landed. After each kill and at
# the end of each run the invariants are checked. Sets KILLS_LANDED and RUNS_FINISHED.
# One run takes at most half the kills, then finishes unkilled: with the few kills of a
# sanitizer run, chance alone once put all four into the first run.
random_kills() {
    local root=$1 steps=$2 wanted=$3 max_delay=$4 dir status kills=0 delay
    local per_run=$(((wanted + 1) / 2))
    KILLS_LANDED=0
    RUNS_FINISHED=0
    while :; do
        dir="$root/run$RUNS_FINISHED"
        mkdir -p "$dir"
        [ -e "$dir/phase.md" ] || { write_marker_phase "$dir/phase.md" "$steps"; reset_frozen; }
        if [ "$KILLS_LANDED" -ge "$wanted" ] || [ "$kills" -ge "$per_run" ]; then
            (cd "$dir" && "$DEPLOYPHASE" run phase.md --resume -q >"$dir/.out" 2>&1)
            status=$?
        else
            # SIGKILL after the delay, or not at all when the run ends first: a round never
            # outlasts its run (sleeping out every delay, on a loaded machine, took the suite
            # past its timeout). timeout(1) exits 137 when it killed the runner.
            delay=$((RANDOM % (max_delay + 1) + 1))
            (cd "$dir" && exec timeout -s KILL "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))" \
                "$DEPLOYPHASE" run phase.md --resume -q >"$dir/.out" 2>&1)
            status=$?
        fi
        if [ "$status" -eq 137 ]; then
            kills=$((kills + 1))
            KILLS_LANDED=$((KILLS_LANDED + 1))
            check_recorded "$dir" "kill $KILLS_LANDED (after ${delay} ms)"
            continue
        fi
        [ "$status" -eq 0 ] || fail "run --resume exited $status" "$(cat "$dir/.out")"
        if ! (cd "$dir" && "$DEPLOYPHASE" status | grep -q ': succeeded$'); then
            fail "the run in $dir did not end succeeded"
        fi
        check_finished "$dir" "$steps" "$kills" "run $RUNS_FINISHED"
        RUNS_FINISHED=$((RUNS_FINISHED + 1))
        kills=0
        rm -rf "$dir"
        [ "$KILLS_LANDED" -ge "$wanted" ] && return
    done
}

# faulty_run DIR CALL N ERRNO MODE ARGS...: deployphase ARGS in DIR with the faultfs shim
# failing the N-th CALL on a file of DIR/.deployphase. Sets STATUS; stderr in DIR/.err.
faulty_run() {
    local dir=$1 call=$2 n=$3 error=$4 mode=$5
    shift 5
    (cd "$dir" && LD_PRELOAD="$FAULTFS" ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
        FAULTFS_DIR="$dir/.deployphase" FAULTFS_CALL="$call" FAULTFS_N="$n" \
        FAULTFS_ERRNO="$error" FAULTFS_MODE="$mode" FAULTFS_MARK="$dir/marks" \
        FAULTFS_COUNT="$dir/.counts" "$DEPLOYPHASE" "$@" >"$dir/.out" 2>"$dir/.err")
    STATUS=$?
}

# check_fault DIR STEPS WHAT: after a run stopped by an injected fault: exit 6 naming a state
# file, no step started after the fault, no temporary file left, the journal holds exactly
# the events that were reported as recorded (a record whose write or fsync failed is not
# there), and `run --resume` without the fault finishes the run with at most one rerun.
check_fault() {
    local dir=$1 steps=$2 what=$3 records events
    if [ "$STATUS" -ne 6 ]; then
        fail "$what: exit $STATUS, expected 6" "$(cat "$dir/.err")"
        return
    fi
    grep -qE '^(\S*/)?\.deployphase(/\S*)?: error: .+: (No space left on device|Input/output error|File too large)$' \
        "$dir/.err" || fail "$what: the error does not name a state file" "$(cat "$dir/.err")"
    if sed -n '/^fault /,$p' "$dir/marks" | grep -q '^start '; then
        fail "$what: a step started after the fault" "$(cat "$dir/marks")"
    fi
    [ -z "$(find "$dir/.deployphase" -name '*.tmp*')" ] ||
        fail "$what: temporary files left" "$(find "$dir/.deployphase" -name '*.tmp*')"
    if [ -e "$dir/.deployphase/journal" ]; then
        records=$(grep -c '^R ' "$dir/.deployphase/journal")
        events=$(wc -l <"$dir/events" 2>/dev/null || echo 0)
        [ "$records" -eq "$events" ] ||
            fail "$what: the journal has $records records, $events were reported recorded"
    fi
    reset_frozen
    check_recorded "$dir" "$what"
    (cd "$dir" && "$DEPLOYPHASE" run phase.md --resume -q >"$dir/.out" 2>&1) ||
        fail "$what: run --resume after the fault cleared failed" "$(cat "$dir/.out")"
    [ -z "$(find "$dir/.deployphase" -name 'journal.torn-*')" ] ||
        fail "$what: the failed write left a torn journal behind"
    check_finished "$dir" "$steps" 1 "$what"
}

# race_round DIR RUNNERS: RUNNERS copies of `run --resume` start at once on one state
# directory. The first step waits for DIR/go, which is created only once all but one runner
# have exited, so no loser can arrive after the winner finished. Checks: exactly one runner
# exits 0, the others 5, and each step ran exactly once. Returns 1 when the round failed.
race_round() {
    local dir=$1 runners=$2 i pids=() status winners=0 losers=0 others=0 before=$FAILURES
    mkdir -p "$dir"
    cat >"$dir/phase.md" <<'MD'
# Phase: Race
## Steps Sequence
1. **gate**
2. **after**
## Step Actions
```sh step=gate
echo "start gate" >> marks
while [ ! -e go ]; do sleep 0.01; done
echo "end gate" >> marks
```
```sh step=after
echo "start after" >> marks
echo "end after" >> marks
```
MD
    for ((i = 0; i < runners; i++)); do
        (cd "$dir" && exec "$DEPLOYPHASE" run phase.md --resume -q >"$dir/.out$i" 2>&1) &
        pids+=($!)
    done
    # Release the winner once every loser has exited (or after 20 s, so a hang fails).
    for ((i = 0; i < 2000; i++)); do
        local alive=0 pid
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=$((alive + 1)); done
        [ "$alive" -le 1 ] && break
        sleep 0.01
    done
    touch "$dir/go"
    for i in "${!pids[@]}"; do
        wait "${pids[$i]}"
        status=$?
        case $status in
            0) winners=$((winners + 1)) ;;
            5)
                losers=$((losers + 1))
                grep -q 'lock: error: another run holds the lock (pid [0-9]' "$dir/.out$i" ||
                    fail "a loser's message does not name the holder" "$(cat "$dir/.out$i")"
                ;;
            *) others=$((others + 1)); fail "a runner exited $status" "$(cat "$dir/.out$i")" ;;
        esac
    done
    [ "$winners" -eq 1 ] || fail "$winners runners of $runners won the lock"
    [ "$losers" -eq $((runners - 1)) ] || fail "$losers of $runners runners exited 5"
    for step in gate after; do
        expect_eq "starts of $step with $runners runners" "$(count_marks "$dir" "start $step")" 1
    done
    [ "$FAILURES" -eq "$before" ]
}
