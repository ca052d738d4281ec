#!/bin/bash
# Every crash point of a STEPS-step run (default 8), each followed by `run --resume`: the
# ctest suite test_crash_points (4 steps there), on a longer run.
#   bash tests/soak/crash_points.sh [STEPS]
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export DEPLOYPHASE=${DEPLOYPHASE:-$root/build/src/deployphase}
export DEPLOYPHASE_CRASHABLE=${DEPLOYPHASE_CRASHABLE:-$root/build/tests/deployphase-crashable}
export FIXTURES=$root/tests/fixtures PROJECT_ROOT=$root CRASH_POINT_STEPS=${1:-8}
exec bash "$root/tests/e2e/test_crash_points.sh"
