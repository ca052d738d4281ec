# The bad-input corpus (tests/bad_inputs: phase, context and state files, each with its
# expected first error line in expected.txt), plus inputs too big to keep in git (a 10 MB
# line, nesting 100,000 deep). Every command that reads the file exits 2 with exactly that
# error (FILE:LINE:COL for text, the journal and byte offset for state), never crashes, never
# runs a step (the good phase's only step would create `canary-ran`), never creates a state
# directory for a bad phase or context, and leaves a bad journal byte for byte as it was.
source "$(dirname "$0")/lib.sh"
: "${BAD_INPUTS:?set BAD_INPUTS to tests/bad_inputs}"

cp -r "$BAD_INPUTS/." "$WORK/"
cd "$WORK" || exit 1

# expect_rejected FILE EXPECTED COMMAND...: exit 2, first stderr line EXPECTED, no step run.
expect_rejected() {
    local file=$1 expected=$2
    shift 2
    "$DEPLOYPHASE" "$@" >"$WORK/.stdout" 2>"$WORK/.stderr"
    local status=$?
    [ "$status" -eq 2 ] || fail "$file: \`$*\` exited $status, expected 2" "$(head -3 "$WORK/.stderr")"
    expect_eq "$file: first error of \`$1\`" "$(head -1 "$WORK/.stderr")" "$expected"
    [ ! -e canary-ran ] || { fail "$file: \`$*\` ran a step"; rm -f canary-ran; }
}

# Under the sanitizers each file meets a reading command and a writing one, not every command
# the plain build tries: the parsers they share are the same code.
full() { [ "$SANITIZED" = 0 ]; }
tried=0
rejected=0
while IFS=$'\t' read -r file expected; do
    before=$FAILURES
    case $file in
        phase/*)
            case_ "bad phase $file" || continue
            expect_rejected "$file" "$expected" validate "$file"
            full && expect_rejected "$file" "$expected" plan "$file"
            expect_rejected "$file" "$expected" run "$file" --state-dir state-of-bad
            full && expect_rejected "$file" "$expected" run "$file" --dry-run
            [ ! -e state-of-bad ] || { fail "$file: a state directory was created"; rm -rf state-of-bad; }
            ;;
        context/*)
            case_ "bad context $file" || continue
            expect_rejected "$file" "$expected" plan good.md -c "$file"
            expect_rejected "$file" "$expected" run good.md -c "$file" --state-dir state-of-bad
            [ ! -e state-of-bad ] || { fail "$file: a state directory was created"; rm -rf state-of-bad; }
            ;;
        state/*)
            case_ "bad journal $file" || continue
            rm -rf s && mkdir s && cp "$file" s/journal
            commands=("status --state-dir s" "run good.md --state-dir s --resume")
            full && commands+=("report --state-dir s" "resume --state-dir s" \
                "rollback --state-dir s" "confirm a --state-dir s")
            for command in "${commands[@]}"; do
                # shellcheck disable=SC2086 # the command is words to split
                expect_rejected "$file" "$expected" $command
            done
            cmp -s "$file" s/journal || fail "$file: the journal was changed"
            ;;
    esac
    tried=$((tried + 1))
    [ "$FAILURES" -eq "$before" ] && rejected=$((rejected + 1))
done <expected.txt
[ -n "${CASE:-}" ] || [ "$tried" -ge 50 ] || fail "only $tried files in the corpus"

# counted_rejection FILE EXPECTED COMMAND...: expect_rejected for one generated input, counted.
counted_rejection() {
    local before=$FAILURES
    expect_rejected "$@"
    tried=$((tried + 1))
    [ "$FAILURES" -eq "$before" ] && rejected=$((rejected + 1))
}

# The 10 MB lines check columns and cost on huge input, not memory: the plain build runs them,
# and under the sanitizers an instrumented parser takes seconds over each.
case_ "a 10 MB line in a phase: its error is at the right column"
if [ "$SANITIZED" = 0 ]; then
    {
        printf '# Phase: Huge\n## Steps Sequence\n1. **a** - '
        head -c 10485760 /dev/zero | tr '\0' x
        printf ' [if (ready\n'
    } >huge.md
    # "1. **a** - " is 11 columns, then 10485760 x's and a space: the '[' is column 10485773.
    counted_rejection huge.md "huge.md:3:10485773: error: unclosed '[' in step; a guard reads \"[if fact]\"" plan huge.md
fi

case_ "a 10 MB line in a context file"
if [ "$SANITIZED" = 0 ]; then
    {
        printf '{"a": "'
        head -c 10485760 /dev/zero | tr '\0' x
        printf '", }\n'
    } >huge.json
    # '{"a": "' is 7 columns, the string ends at 10485768, then ',', ' ' and the '}' at 10485771.
    counted_rejection huge.json "huge.json:1:10485771: error: invalid JSON: syntax error while parsing object key - unexpected '}'; expected string literal" plan good.md -c huge.json
fi

case_ "JSON nested 100,000 deep in a context file"
{
    printf '{"a": '
    head -c 100000 /dev/zero | tr '\0' '['
    head -c 100000 /dev/zero | tr '\0' ']'
    printf '}\n'
} >deep.json
# The object is level 1; the 100th '[' (column 106) would be level 101.
counted_rejection deep.json "deep.json:1:106: error: JSON nested more than 100 levels deep" plan good.md -c deep.json

echo "bad inputs rejected: $rejected of $tried"
suite_done
