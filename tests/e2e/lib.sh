# Shared by the end-to-end suites: run the real binary in a temporary directory and
# compare exactly what it printed. Sourced, not run.
set -uo pipefail

# CASE=REGEX runs only the cases whose names match it; what comes before a suite's first case
# always runs, since it sets up what the cases share, and so do the helper functions a suite
# defines between its cases. The suite runs again as a copy without the other cases' lines
# (blank, so line numbers stay): a case's lines run from its `case_` at the start of a line to
# the next one, or to suite_done. A case_ inside a loop is written `case_ NAME || continue`. A
# case that needs what an earlier case made needs both: CASE='first|second'.
if [ -n "${CASE:-}" ] && [ -z "${CASE_SELECTED:-}" ]; then
    export CASE_SELECTED=1
    exec bash -c "$(awk -v pattern="$CASE" -f "$(dirname "${BASH_SOURCE[0]}")/select_cases.awk" "$0")" \
        "$0" "$@"
fi

: "${DEPLOYPHASE:?set DEPLOYPHASE to the deployphase binary}"
: "${FIXTURES:?set FIXTURES to tests/fixtures}"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/deployphase-e2e.XXXXXX")
FAILURES=0      # failed expectations
FAILED_CASES=0
CASES=0
# The user's own seed document, for the suites that read it when it is there.
export SHARED_SEED="${PROJECT_ROOT:-.}/../shared/seeds/deployment-operations.md"

# Under the sanitizers (DEPLOYPHASE_TEST_SANITIZED=1, which ctest sets in that build) every
# process starts several times slower, so the suites that repeat one check hundreds of times
# do fewer rounds there: `rounds FULL FEWER` says how many, and `sampled N` passes one call in
# N (the first, then every Nth). The plain build and tests/soak/ always do the full count.
SANITIZED=${DEPLOYPHASE_TEST_SANITIZED:-0}
rounds() { if [ "$SANITIZED" = 1 ]; then echo "$2"; else echo "$1"; fi; }
SAMPLED_CALLS=0
sampled() {
    [ "$SANITIZED" = 1 ] || return 0
    SAMPLED_CALLS=$((SAMPLED_CALLS + 1))
    [ $(((SAMPLED_CALLS - 1) % $1)) -eq 0 ]
}

COMPLETE=0
# directory (the default) or postgresql: where runs are recorded (tests/pg/store_lib.sh).
STORE=${STORE:-directory}
# Every suite ends with this, so a suite that stopped early (set -u, a crash) cannot pass.
suite_done() { COMPLETE=1; }

if [ "$STORE" = postgresql ]; then
    # shellcheck source=../pg/store_lib.sh
    source "$(dirname "${BASH_SOURCE[0]}")/../pg/store_lib.sh"
fi

finish() {
    local status=$?
    if [ "$COMPLETE" -ne 1 ]; then
        FAILURES=$((FAILURES + 1))
        FAILED_CASES=$((FAILED_CASES + 1))
        printf 'FAIL [%s]: the suite stopped before its end (status %s)\n' "$CURRENT" "$status"
    fi
    if [ -n "${CASE:-}" ] && [ "$CASES" -eq 0 ]; then
        FAILURES=$((FAILURES + 1))
        printf 'FAIL: no case of %s matches CASE=%s\n' "$(basename "$0")" "$CASE"
    fi
    if [ "$FAILURES" -eq 0 ]; then
        [ "$STORE" = postgresql ] && drop_suite_schema
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

# only_directory_store: the case looks at the journal file itself; with another store it is
# reported as skipped (and returns 1, so the caller's `|| ...` can skip it).
only_directory_store() {
    [ "$STORE" = directory ] && return 0
    printf 'skipped with the %s store [%s]: it reads the journal file\n' "$STORE" "$CURRENT"
    return 1
}

# run ARGS...: runs deployphase in $WORK; sets STATUS, OUT (stdout) and ERR (stderr).
run() {
    (cd "$WORK" && "$DEPLOYPHASE" "$@") >"$WORK/.stdout" 2>"$WORK/.stderr"
    STATUS=$?
    OUT=$(cat "$WORK/.stdout")
    export OUT ERR  # read by the suites, after run
    ERR=$(cat "$WORK/.stderr")
}

CURRENT=""
LAST_FAILED=""
# case_ NAME: the expectations that follow belong to this case. Returns 1 for a case that
# CASE leaves out.
case_() {
    CURRENT=$1
    if [ -n "${CASE:-}" ] && ! [[ $1 =~ $CASE ]]; then return 1; fi
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

# recorded_events STATE_DIR: the current run's records, one JSON object a line, from whichever
# store the suite runs with.
recorded_events() {
    if [ "$STORE" = postgresql ]; then
        store_records "$1"
    else
        sed -n 's/^R [0-9]* [0-9a-f]* //p' "$1/journal" 2>/dev/null
    fi
}

# all_recorded_events STATE_DIR: the records of every run, the history's too.
all_recorded_events() {
    if [ "$STORE" = postgresql ]; then
        store_all_records "$1"
    else
        cat "$1/journal" "$1"/history/*.journal 2>/dev/null | sed -n 's/^R [0-9]* [0-9a-f]* //p'
    fi
}

# archived_runs STATE_DIR: how many finished runs the store keeps in its history.
archived_runs() {
    if [ "$STORE" = postgresql ]; then
        store_archived_runs "$1"
    else
        find "$1/history" -name '*.journal' 2>/dev/null | wc -l
    fi
}
