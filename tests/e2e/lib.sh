# Shared by the end-to-end suites: run the real binary in a temporary directory and
# compare exactly what it printed. Sourced, not run.
set -uo pipefail

: "${DEPLOYPHASE:?set DEPLOYPHASE to the deployphase binary}"
: "${FIXTURES:?set FIXTURES to tests/fixtures}"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/deployphase-e2e.XXXXXX")
FAILURES=0      # failed expectations
FAILED_CASES=0
CASES=0
SHARED_SEED="${PROJECT_ROOT:-.}/../shared/seeds/deployment-operations.md"

COMPLETE=0
# Every suite ends with this, so a suite that stopped early (set -u, a crash) cannot pass.
suite_done() { COMPLETE=1; }

finish() {
    local status=$?
    if [ "$COMPLETE" -ne 1 ]; then
        FAILURES=$((FAILURES + 1))
        FAILED_CASES=$((FAILED_CASES + 1))
        printf 'FAIL [%s]: the suite stopped before its end (status %s)\n' "$CURRENT" "$status"
    fi
    if [ "$FAILURES" -eq 0 ]; then
        rm -rf "$WORK"
        echo "$CASES passed, 0 failed"
        exit 0  # not the status of whatever check ran last
    else
        echo "kept $WORK for inspection"
        echo "$((CASES - FAILED_CASES)) of $CASES cases passed; $FAILURES expectations failed"
        exit 1
    fi
}
trap finish EXIT

# run ARGS...: runs deployphase in $WORK; sets STATUS, OUT (stdout) and ERR (stderr).
run() {
    (cd "$WORK" && "$DEPLOYPHASE" "$@") >"$WORK/.stdout" 2>"$WORK/.stderr"
    STATUS=$?
    OUT=$(cat "$WORK/.stdout")
    ERR=$(cat "$WORK/.stderr")
}

CURRENT=""
LAST_FAILED=""
case_() {
    CURRENT=$1
    CASES=$((CASES + 1))
}

fail() {
    FAILURES=$((FAILURES + 1))
    if [ "$LAST_FAILED" != "$CURRENT#$CASES" ]; then
        FAILED_CASES=$((FAILED_CASES + 1))
        LAST_FAILED="$CURRENT#$CASES"
    fi
    printf 'FAIL [%s]: %s\n' "$CURRENT" "$1"
    [ $# -gt 1 ] && printf '%s\n' "$2"
    return 0
}

expect_status() {
    [ "$STATUS" -eq "$1" ] || fail "exit status $STATUS, expected $1" "stderr: $ERR"
}

expect_eq() {  # NAME ACTUAL EXPECTED
    [ "$2" == "$3" ] ||
        fail "$1 differs" "$(diff <(printf '%s\n' "$3") <(printf '%s\n' "$2") | head -40)"
}

expect_match() {  # NAME ACTUAL REGEX
    [[ "$2" =~ $3 ]] || fail "$1 does not match /$3/" "$2"
}
