#!/bin/bash
# Crash soak: KILLS (default 250) random SIGKILLs spread over whole 8-step runs, each followed
# by `run --resume`, checking the invariants of test_crash after every kill.
#   bash tests/soak/crash.sh [KILLS] [MAX_DELAY_MS]   (default: 1.5 uninterrupted runs)
source "$(dirname "$0")/common.sh"
kills=${1:-250}
case_ "$kills random SIGKILLs over whole runs"
delay=$(($(whole_run_ms 8) * 3 / 2))
random_kills "$WORK" 8 "$kills" "${2:-$((delay > 60 ? delay : 60))}"
echo "crash soak: $KILLS_LANDED kills over $RUNS_FINISHED whole runs, $FAILURES failed checks"
suite_done
