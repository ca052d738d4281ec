# Shared by the soak scripts: the binary (DEPLOYPHASE, default build/src/deployphase) and the
# end-to-end helpers. Soaks are long; they are not part of ctest (docs/reliability.md).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export DEPLOYPHASE=${DEPLOYPHASE:-$root/build/src/deployphase}
export FIXTURES=$root/tests/fixtures PROJECT_ROOT=$root
[ -x "$DEPLOYPHASE" ] || { echo "no $DEPLOYPHASE; build first (bash scripts/dev build)" >&2; exit 2; }
source "$root/tests/e2e/lib.sh"
source "$root/tests/e2e/marker_phase.sh"
