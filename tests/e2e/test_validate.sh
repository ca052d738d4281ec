# `deployphase validate`: exit 0 with warnings on stderr, exit 2 with exact errors.
source "$(dirname "$0")/lib.sh"

case_ "a valid document: one summary line on stdout, nothing on stderr"
cp "$FIXTURES/phases/bullet-title.md" "$WORK/release.md"
run validate release.md
expect_status 0
expect_eq stdout "$OUT" 'release.md: valid phase "Release Train": 4 steps, 3 guarded, validation logic present'
expect_eq stderr "$ERR" ""

case_ "the user's seed document is valid"
if [ -f "$SHARED_SEED" ]; then
    cp "$SHARED_SEED" "$WORK/seed.md"
    run validate seed.md
    expect_status 0
    expect_eq stdout "$OUT" 'seed.md: valid phase "Deployment & Operations": 8 steps, 4 guarded, validation logic present'
    expect_eq stderr "$ERR" ""
else
    echo "note: $SHARED_SEED not found; seed case skipped"
fi

case_ "warnings go to stderr and do not fail validation"
cp "$FIXTURES/phases/repeated-ids.md" "$WORK/canary.md"
run validate canary.md
expect_status 0
expect_eq stdout "$OUT" 'canary.md: valid phase "Canary": 4 steps, 1 guarded'
expect_eq stderr "$ERR" 'canary.md:6:6: warning: step id "deploy" repeats step 1 (line 4); steps are told apart by their position
3. **deploy** - Deploy to the remaining hosts
     ^
canary.md:7:6: warning: step id "observe" repeats step 2 (line 5); steps are told apart by their position
4. **observe** - Watch the error rate again
     ^'

case_ "an invalid document: exit 2, the error with its line, nothing on stdout"
printf '# Phase: Broken\n\n## Steps Sequence\n1. **ok** - fine\n2. **not ok** - spaces\n' >"$WORK/broken.md"
run validate broken.md
expect_status 2
expect_eq stdout "$OUT" ""
expect_eq stderr "$ERR" "broken.md:5:9: error: invalid character ' ' in step id \"not ok\"; ids may use letters, digits, '.', '_' and '-'
2. **not ok** - spaces
        ^"

case_ "a missing file"
run validate nowhere.md
expect_status 2
expect_eq stderr "$ERR" "nowhere.md: error: cannot open file: No such file or directory"
expect_eq stdout "$OUT" ""

case_ "a binary file"
printf '\x7fELF\x02\x01\x01\x00\x00' >"$WORK/tool.md"
run validate tool.md
expect_status 2
expect_eq stderr "$ERR" "tool.md:1:8: error: file is binary (it contains a NUL byte)"

case_ "several documents: each is reported, any invalid one makes the exit 2"
run validate release.md broken.md
expect_status 2
expect_eq stdout "$OUT" 'release.md: valid phase "Release Train": 4 steps, 3 guarded, validation logic present'
expect_match stderr "$ERR" '^broken.md:5:9: error: '

case_ "a JSON phase with invalid JSON"
printf '{\n  "format_version": 1,\n  "steps": [,]\n}\n' >"$WORK/gen.json"
run validate gen.json
expect_status 2
expect_eq stderr "$ERR" "gen.json:3:13: error: invalid JSON: syntax error while parsing value - unexpected ','; expected '[', '{', or a literal
  \"steps\": [,]
            ^"

case_ "the example in docs/phase-format.md is a valid phase"
# The first ````markdown block of the document is a complete phase.
awk '/^````markdown$/ { inside = 1; next } /^````$/ && inside { exit } inside' \
    "$PROJECT_ROOT/docs/phase-format.md" >"$WORK/doc-example.md"
run validate doc-example.md
expect_status 0
expect_eq stdout "$OUT" 'doc-example.md: valid phase "Deployment & Operations": 4 steps, 2 guarded, validation logic present'

suite_done
