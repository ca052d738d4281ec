#!/bin/bash
# Lock soak: ROUNDS (default 100) rounds each of 2 and of 10 runners started at once on one
# state directory; exactly one may run, the rest exit 5, no step runs twice.
#   bash tests/soak/races.sh [ROUNDS]
source "$(dirname "$0")/common.sh"
rounds=${1:-100}
for runners in 2 10; do
    case_ "$runners runners at once, $rounds rounds"
    won=0
    for ((round = 1; round <= rounds; round++)); do
        race_round "$WORK/r" "$runners" && won=$((won + 1))
        rm -rf "$WORK/r"
    done
    echo "$runners runners: $won of $rounds rounds with exactly one winner"
done
suite_done
