# A runner SIGKILLed at random instants spread over whole runs (during steps, between a
# script's end and its record, in the middle of state writes), restarted each time with the
# command a retried CI job uses (`run --resume`): every run ends succeeded, status always
# loads, a step recorded as finished never starts again, and reruns never exceed kills.
# tests/soak/crash.sh does the same with hundreds of kills.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/marker_phase.sh"

KILLS=$(rounds 20 4)
case_ "$KILLS random SIGKILLs over whole 8-step runs, each followed by run --resume"
# Delays up to 1.5 whole runs: most kills land mid-run, some runs finish between kills.
delay=$(($(whole_run_ms 8) * 3 / 2))
random_kills "$WORK" 8 "$KILLS" "$((delay > 60 ? delay : 60))"
echo "kills landed: $KILLS_LANDED over $RUNS_FINISHED whole runs"
[ "$RUNS_FINISHED" -ge 2 ] || fail "the kills did not spread over several runs"

suite_done
