# `deployphase show`: the parsed model as text or JSON, and JSON phases read back.
source "$(dirname "$0")/lib.sh"

case_ "show --output json of the seed prints the exact model"
if [ -f "$SHARED_SEED" ]; then
    cp "$SHARED_SEED" "$WORK/deployment-operations.md"
    run show deployment-operations.md --output json
    expect_status 0
    expect_eq stderr "$ERR" ""
    expect_eq stdout "$OUT" "$(cat "$FIXTURES/expected/seed.show.json")"
else
    echo "note: $SHARED_SEED not found; seed case skipped"
fi

case_ "show (text) of a document"
cp "$FIXTURES/phases/colon-title.md" "$WORK/migration.md"
run show migration.md
expect_status 0
expect_eq stdout "$OUT" "$(cat "$FIXTURES/expected/colon-title.show.txt")"

case_ "the JSON that show writes reads back as the same phase"
run show migration.md -o json
printf '%s\n' "$OUT" >"$WORK/migration.json"
run show migration.json
expect_status 0
# Positions now point into the JSON file; everything else must match.
without_positions() { grep -v '^File:' | sed 's/, line [0-9]*)/)/'; }
expect_eq stdout "$(printf '%s\n' "$OUT" | without_positions)" \
    "$(without_positions <"$FIXTURES/expected/colon-title.show.txt")"

case_ "CRLF line endings and a byte order mark change nothing"
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' "$FIXTURES/phases/colon-title.md"; } >"$WORK/migration-crlf.md"
run show migration-crlf.md
expect_status 0
expect_eq stdout "$(printf '%s\n' "$OUT" | grep -v '^File:')" \
    "$(grep -v '^File:' "$FIXTURES/expected/colon-title.show.txt")"

case_ "show of an invalid document prints nothing on stdout"
printf '# Phase: T\n## Steps Sequence\nnone\n' >"$WORK/empty-steps.md"
run show empty-steps.md -o json
expect_status 2
expect_eq stdout "$OUT" ""
expect_eq stderr "$ERR" 'empty-steps.md:2:1: error: the steps section has no steps; expected a list like "1. **step-id** - description"
## Steps Sequence
^'

suite_done
