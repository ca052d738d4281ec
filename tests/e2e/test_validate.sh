# `deployphase validate`: exit 0 with warnings on stderr, exit 2 with exact errors.
source "$(dirname "$0")/lib.sh"

case_ "a valid document: one summary line on stdout, nothing on stderr"
cp "$FIXTURES/phases/bullet-title.md" "$WORK/release.md"
run validate release.md
expect_status 0
expect_eq stdout "$OUT" 'release.md: valid phase "Release Train": 4 steps (0 scripted, 4 manual), 3 guarded, validation logic present
  step 1 freeze-branch: [if release branch exists] reads fact release_branch_exists
  step 2 tag-release: [if version bumped] reads fact version_bumped
  step 3 publish-artifacts: [if artifacts built] reads fact artifacts_built'
expect_eq stderr "$ERR" ""

case_ "the user's seed document is valid"
if [ -f "$SHARED_SEED" ]; then
    cp "$SHARED_SEED" "$WORK/seed.md"
    run validate seed.md
    expect_status 0
    expect_eq stdout "$OUT" 'seed.md: valid phase "Deployment & Operations": 8 steps (0 scripted, 8 manual), 4 guarded, validation logic present
  step 1 prepare-deployment-environment: [if environment setup required] reads fact environment_setup_required
  step 3 setup-alerts-monitoring: [if monitoring required] reads fact monitoring_required
  step 6 setup-backup-recovery: [if data persistence] reads fact data_persistence
  step 7 train-operations-team: [if team handover required] reads fact team_handover_required'
    expect_eq stderr "$ERR" ""
else
    echo "note: $SHARED_SEED not found; seed case skipped"
fi

case_ "warnings go to stderr and do not fail validation"
cp "$FIXTURES/phases/repeated-ids.md" "$WORK/canary.md"
run validate canary.md
expect_status 0
expect_eq stdout "$OUT" 'canary.md: valid phase "Canary": 4 steps (0 scripted, 4 manual), 1 guarded
  step 2 observe: [if canary metrics available] reads fact canary_metrics_available'
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
expect_eq stdout "$OUT" 'release.md: valid phase "Release Train": 4 steps (0 scripted, 4 manual), 3 guarded, validation logic present
  step 1 freeze-branch: [if release branch exists] reads fact release_branch_exists
  step 2 tag-release: [if version bumped] reads fact version_bumped
  step 3 publish-artifacts: [if artifacts built] reads fact artifacts_built'
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
expect_eq stdout "$OUT" 'doc-example.md: valid phase "Deployment & Operations": 4 steps (0 scripted, 4 manual), 2 guarded, validation logic present
  step 1 prepare-deployment-environment: [if environment setup required] reads fact environment_setup_required
  step 3 setup-alerts-monitoring: [if monitoring required] reads fact monitoring_required'


# Issue 16, case 3: a guard never silently reads a fact its writer did not mean.
case_ "a comparison in a guard is the language's error, not the fact smoke_passed_true"
printf '# Phase: Compare\n\n## Steps Sequence\n1. **smoke** - test\n2. **switch** - go [if smoke_passed == true]\n' >"$WORK/compare.md"
run validate compare.md
expect_status 2
expect_eq stdout "$OUT" ""
expect_eq stderr "$ERR" "compare.md:5:37: error: unsupported operator '=='; the language has no comparisons: a fact is true or false, read as smoke_passed() or !smoke_passed()
2. **switch** - go [if smoke_passed == true]
                                    ^"
for guard in 'replicas > 2' 'count<3' 'env = prod'; do
    printf '# Phase: Compare\n\n## Steps Sequence\n1. **go** - go [if %s]\n' "$guard" >"$WORK/compare.md"
    run validate compare.md
    expect_status 2
    expect_match stderr "$ERR" "error: unsupported operator '[=<>]'"
done

case_ "a guard that starts with a negation warns, names the fact it reads and what to write"
printf '# Phase: Negate\n\n## Steps Sequence\n1. **go** - go [if not frozen]\n2. **notify** - tell [conditional: if no pager configured]\n3. **plain** - [if monitoring required]\n4. **expr** - [if !frozen() && hasContext('"'"'x'"'"')]\n' >"$WORK/negate.md"
run validate negate.md
expect_status 0
expect_eq stdout "$OUT" 'negate.md: valid phase "Negate": 4 steps (0 scripted, 4 manual), 4 guarded
  step 1 go: [if not frozen] reads fact not_frozen
  step 2 notify: [if no pager configured] reads fact no_pager_configured
  step 3 plain: [if monitoring required] reads fact monitoring_required
  step 4 expr: [if !frozen() && hasContext('"'"'x'"'"')] reads fact frozen, context key x'
expect_eq stderr "$ERR" 'negate.md:4:20: warning: guard "not frozen" reads the fact not_frozen, not the opposite of frozen; to run the step when frozen is false, write [if !frozen()]
1. **go** - go [if not frozen]
                   ^
negate.md:5:39: warning: guard "no pager configured" reads the fact no_pager_configured, not the opposite of pager_configured; to run the step when pager_configured is false, write [if !pager_configured()]
2. **notify** - tell [conditional: if no pager configured]
                                      ^'
# plan and run print the same warning before they decide anything.
run plan negate.md
expect_match stderr "$ERR" 'warning: guard "not frozen" reads the fact not_frozen'
run run negate.md --state-dir st
expect_match stderr "$ERR" 'warning: guard "not frozen" reads the fact not_frozen'
run validate --strict negate.md
expect_status 2
expect_eq stdout "$OUT" ""
expect_match stderr "$ERR" '^negate.md:4:20: error: guard "not frozen" reads the fact not_frozen'
run validate --strict release.md
expect_status 0

case_ "the written fix reads the fact the operator meant"
printf '# Phase: Negate\n\n## Steps Sequence\n1. **go** - go [if !frozen()]\n' >"$WORK/fixed.md"
printf '{"frozen": false}\n' >"$WORK/thawed.json"
printf '{"frozen": true}\n' >"$WORK/frozen.json"
run plan fixed.md -c thawed.json
expect_match stdout "$OUT" 'go +will run +guard is true'
run plan fixed.md -c frozen.json
expect_match stdout "$OUT" 'go +skip +guard is false'

case_ "show names what each guard reads"
run show negate.md
expect_match stdout "$OUT" 'runs if: not frozen \(reads fact not_frozen\)'
expect_match stdout "$OUT" "runs if: !frozen\(\) && hasContext\('x'\) \(reads fact frozen, context key x\)"

# Issue 16, case 4: a script block never silently becomes prose.
case_ "a script block in a language deployphase does not run is an error at the attribute"
for language in shell zsh python Shell; do
    printf '# Phase: Build\n\n## Steps Sequence\n1. **build** - compile\n\n```%s step=build\nmake\n```\n' "$language" >"$WORK/lang.md"
    run validate lang.md
    expect_status 2
    expect_eq stdout "$OUT" ""
    col=$((4 + ${#language} + 1))
    expect_eq stderr "$ERR" "lang.md:6:$col: error: deployphase runs sh and bash blocks, not \"$language\"; write \`\`\`sh step=build (or \`\`\`bash), or the step stays manual
\`\`\`$language step=build
$(printf '%*s^' $((col - 1)) '')"
done
printf '# Phase: Build\n\n## Steps Sequence\n1. **build** - compile\n\n``` rollback=build\nmake clean\n```\n' >"$WORK/bare.md"
run validate bare.md
expect_status 2
expect_eq stderr "$ERR" 'bare.md:6:5: error: a script block names its shell first, as in ```sh rollback=build; deployphase runs sh and bash
``` rollback=build
    ^'
# An example block in another language, with no step=, stays prose; Sh is sh.
printf '# Phase: Build\n\n## Steps Sequence\n1. **build** - compile\n\n```python\nprint(1)\n```\n\n```Sh check=build\ntest -f out\n```\n' >"$WORK/prose.md"
run validate prose.md
expect_status 0
expect_eq stdout "$OUT" 'prose.md: valid phase "Build": 1 step (0 scripted, 1 manual), 0 guarded'

case_ "the summary counts scripted, manual and guarded steps"
cp "$PROJECT_ROOT/phases/deployment-operations.md" "$WORK/shipped.md"
run validate shipped.md
expect_status 0
expect_match stdout "$OUT" '^shipped.md: valid phase "Deployment & Operations": 8 steps \(7 scripted, 1 manual\), 4 guarded, validation logic present'

case_ "a heading that is almost a known section is an error at the heading, naming it"
printf '# Phase: Near\n\n## Steps\n1. **go** - go\n\n## Validation logic:\n```js\nfunction canExecutePhase() { return true; }\n```\n' >"$WORK/near.md"
run validate near.md
expect_status 2
expect_eq stderr "$ERR" 'near.md:3:1: error: heading "Steps" is not a section deployphase reads; did you mean "## Steps Sequence"?
## Steps
^'
for heading in 'Step Sequense' 'Validaton Logic' 'Validation' 'List of steps'; do
    printf '# Phase: Near\n\n## Steps Sequence\n1. **go** - go\n\n## %s\ntext\n' "$heading" >"$WORK/near.md"
    run validate near.md
    expect_status 2
    expect_match stderr "$ERR" "^near.md:6:1: error: heading \"$heading\" is not a section deployphase reads; did you mean \"## (Steps Sequence|Validation Logic)\"\\?"
done
# Sections people really write are not near misses.
printf '# Phase: Near\n\n## Steps Sequence\n1. **go** - go\n\n## Step Actions\ntext\n\n## Evaluation\ntext\n\n## Validation Notes of the Team\ntext\n' >"$WORK/fine.md"
run validate fine.md
expect_status 0

case_ "needs= and outputs= take context keys; outputs= belongs to step= blocks"
printf '# Phase: Decl\n\n## Steps Sequence\n1. **a** - a\n\n```sh step=a needs=target,,x\ntrue\n```\n' >"$WORK/decl.md"
run validate decl.md
expect_status 2
expect_eq stderr "$ERR" 'decl.md:6:14: error: needs=: "" is not a context key; write keys separated by commas, as in needs=deploy_target,release.version
```sh step=a needs=target,,x
             ^'
printf '# Phase: Decl\n\n## Steps Sequence\n1. **a** - a\n\n```sh check=a outputs=done\ntrue\n```\n' >"$WORK/decl.md"
run validate decl.md
expect_status 2
expect_match stderr "$ERR" '^decl.md:6:15: error: outputs= applies to step= blocks only'
printf '# Phase: Decl\n\n## Steps Sequence\n1. **a** - a\n\n```sh step=a retires=2\ntrue\n```\n' >"$WORK/decl.md"
run validate decl.md
expect_match stderr "$ERR" 'unknown attribute "retires"; did you mean retries=\?'

suite_done
