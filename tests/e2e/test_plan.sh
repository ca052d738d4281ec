# `deployphase plan` and `deployphase facts` on the shipped phase: exact output, exit codes,
# colour rules, --strict, --out, and that a plan writes nothing else.
source "$(dirname "$0")/lib.sh"

cp "$PROJECT_ROOT/phases/deployment-operations.md" "$WORK/deploy.md"
cat >"$WORK/prod.json" <<'JSON'
{"validated_implementation": true, "production_environment": "prod-eu", "code_changes": true,
 "monitoring_required": true, "deploy_target": "/srv/app", "release_version": "1.0.0"}
JSON

case_ "plan explains the decision, each call, and every step"
run plan deploy.md --context prod.json --set data_persistence=1
expect_status 0
expect_eq stderr "$ERR" ""
expect_eq stdout "$OUT" 'Phase:    Deployment & Operations
Decision: RUN (shouldSkipPhase() is false, canExecutePhase() is true)

Why:
  shouldSkipPhase() = false
    isDevelopmentOnly() = false                      development_only: missing
    isDocumentationOnly() = false                    documentation_only: missing
    isConfigurationOnly() = false                    configuration_only: missing
    hasContext('"'"'already_deployed'"'"') = false           already_deployed: missing
  canExecutePhase() = true
    hasContext('"'"'validated_implementation'"'"') = true    validated_implementation: true
    hasContext('"'"'production_environment'"'"') = true      production_environment: "prod-eu"
    requiresDeployment() = true
      hasCodeChanges() = true                        code_changes: true

Steps:
  1/8  prepare-deployment-environment  skip      fact environment_setup_required is missing
  2/8  deploy-with-monitoring          will run  no guard; runs unless its check passes
  3/8  setup-alerts-monitoring         will run  fact monitoring_required is true; runs unless its check passes
  4/8  verify-production-deployment    will run  no guard; runs unless its check passes
  5/8  update-documentation            will run  no guard; runs unless its check passes
  6/8  setup-backup-recovery           will run  fact data_persistence is 1; runs unless its check passes
  7/8  train-operations-team           skip      fact team_handover_required is missing
  8/8  create-rollback-plan            will run  no guard; runs unless its check passes

Predicates: canExecutePhase() = true, shouldSkipPhase() = false, requiresDeployment() = true
Facts: 16 known to the phase, 13 read; missing: development_only, documentation_only, configuration_only, already_deployed, environment_setup_required, team_handover_required; not read: infrastructure_changes, configuration_changes, new_feature_release'

case_ "skip and blocked are decisions, not failures: exit 0"
run plan deploy.md --set documentation_only=true
expect_status 0
expect_match stdout "$OUT" $'^Phase:    Deployment & Operations\nDecision: SKIP \\(shouldSkipPhase\\(\\) is true\\)'
run plan deploy.md
expect_status 0
expect_match stdout "$OUT" $'\nDecision: BLOCKED \\(canExecutePhase\\(\\) is false\\)'

case_ "JSON output carries the decision, predicates, facts and steps"
run plan deploy.md -c prod.json -o json
expect_status 0
expect_match stdout "$OUT" '"decision": "run"'
expect_match stdout "$OUT" $'"predicates": \\{\n    "canExecutePhase": true,\n    "shouldSkipPhase": false,\n    "requiresDeployment": true\n  \\}'
expect_match stdout "$OUT" $'"id": "prepare-deployment-environment",\n      "will_run": false,\n      "guard": "environment_setup_required",\n      "guard_kind": "fact",\n      "reason": "fact environment_setup_required is missing"'

case_ "no colour without a terminal; --color=always forces it"
run plan deploy.md -c prod.json
[[ "$OUT" != *$'\e['* ]] || fail "escape codes in piped output"
run --color always plan deploy.md -c prod.json
expect_match stdout "$OUT" $'Decision: \e\\[1m\e\\[32mRUN'

case_ "colour on a terminal, and none there with NO_COLOR"
if command -v script >/dev/null; then
    tty_out=$(cd "$WORK" && TERM=xterm script -qec "$DEPLOYPHASE plan deploy.md -c prod.json" /dev/null)
    [[ "$tty_out" == *$'\e[32m'* ]] || fail "no colour on a terminal" "$tty_out"
    tty_out=$(cd "$WORK" && NO_COLOR=1 TERM=xterm script -qec "$DEPLOYPHASE plan deploy.md -c prod.json" /dev/null)
    [[ "$tty_out" != *$'\e['* ]] || fail "colour despite NO_COLOR" "$tty_out"
else
    echo "note: script(1) not found; terminal case skipped"
fi

case_ "--strict: every missing fact the plan reads is an error, exit 2, nothing on stdout"
run plan deploy.md -c prod.json --set development_only=false --set documentation_only=false \
    --set configuration_only=false --set already_deployed=false --set data_persistence=0 \
    --set team_handover_required=false --strict
expect_status 2
expect_eq stdout "$OUT" ""
expect_eq stderr "$ERR" 'deploy.md:8:99: error: the context has no "environment_setup_required", which the plan reads (--strict)
1. **prepare-deployment-environment** - Lay out the target and its configuration [conditional: if environment setup required]
                                                                                                  ^
note: also missing, but never read: infrastructure_changes, configuration_changes, new_feature_release'

case_ "--strict passes when every fact read is present"
run plan deploy.md -c prod.json --set development_only=false --set documentation_only=false \
    --set configuration_only=false --set already_deployed=false --set data_persistence=0 \
    --set team_handover_required=false --set environment_setup_required=true --strict
expect_status 0
expect_match stdout "$OUT" 'Decision: RUN'

case_ "plan writes nothing"
# Everything inside the work directory, with sizes and modification times; not its parent,
# which other tests running in parallel change.
contents() { (cd "$WORK" && find . -mindepth 1 ! -name '.std*' -printf '%P %s %T@\n' | sort); }
before=$(contents)
run plan deploy.md -c prod.json
after=$(contents)
expect_eq "directory" "$after" "$before"

case_ "--out saves the plan with SHA-256 fingerprints, atomically"
run plan deploy.md -c prod.json --set env=prod --out saved.json
expect_status 0
expect_match stdout "$OUT" 'Decision: RUN'
saved=$(cat "$WORK/saved.json")
phase_sum=$(sha256sum "$WORK/deploy.md" | cut -d' ' -f1)
expect_match saved "$saved" "\"phase_sha256\": \"$phase_sum\""
expect_match saved "$saved" '"phase_file": "deploy.md"'
expect_match saved "$saved" '"context_keys": \{'
expect_match saved "$saved" "\"env\": \"$(printf '%s' '"prod"' | sha256sum | cut -d' ' -f1)\""
leftovers=$(cd "$WORK" && find . -maxdepth 1 -name '*.tmp.*')
expect_eq "temporary files" "$leftovers" ""

case_ "a context file that is not JSON: its line and column, exit 2"
printf '{\n  "a": true,\n  "b": yes\n}\n' >"$WORK/bad.json"
run plan deploy.md -c bad.json
expect_status 2
expect_eq stdout "$OUT" ""
expect_eq stderr "$ERR" "bad.json:3:8: error: invalid JSON: syntax error while parsing value - invalid literal; last read: '\"b\": y'
  \"b\": yes
       ^"

case_ "a context file that is not an object"
printf '["a"]\n' >"$WORK/list.json"
run plan deploy.md -c list.json
expect_status 2
expect_eq stderr "$ERR" 'list.json:1:1: error: a context file holds a JSON object, not an array
["a"]
^'

case_ "a malformed --set"
run plan deploy.md --set justakey
expect_status 2
expect_eq stderr "$ERR" "--set justakey: error: expected KEY=VALUE"

case_ "facts lists every key the phase reads, and where"
run facts deploy.md
expect_status 0
expect_eq "first lines" "$(printf '%s\n' "$OUT" | head -6)" "validated_implementation
    hasContext('validated_implementation')  at deploy.md:37:10 in canExecutePhase()
production_environment
    hasContext('production_environment')  at deploy.md:38:10 in canExecutePhase()
    needs=production_environment  at deploy.md:85:1 in step 1 prepare-deployment-environment
development_only  (or the key isDevelopmentOnly)"
expect_match stdout "$OUT" $'\nteam_handover_required\n    team handover required  at deploy.md:14:'
# What the scripts declare: the keys they need, the outputs they write.
expect_match stdout "$OUT" $'\ndeploy_target\n    needs=deploy_target  at deploy.md:85:1 in step 1 prepare-deployment-environment\n    needs=deploy_target  at deploy.md:113:1 in step 2 deploy-with-monitoring\n'
expect_match stdout "$OUT" $'\ndeployed_release\n    outputs=deployed_release  at deploy.md:113:1 in step 2 deploy-with-monitoring\n'
run facts deploy.md -o json
expect_match stdout "$OUT" $'"key": "development_only",\n    "kind": "fact",\n    "also_accepts": "isDevelopmentOnly"'

case_ "validate reports errors in guards"
printf '# Phase: G\n## Steps Sequence\n1. **a** [if ready() ||]\n' >"$WORK/guard.md"
run validate guard.md
expect_status 2
expect_eq stderr "$ERR" "guard.md:3:24: error: expected an expression, got end of input
1. **a** [if ready() ||]
                       ^"

# Issue 16, case 5: what the scripts declare they need and write is known before anything runs.
case_ "a key the scripts need and the context lacks blocks the phase, naming the key and the step"
cp "$PROJECT_ROOT/phases/contexts/production.json" "$WORK/production.json"
run plan deploy.md -c production.json
expect_status 0
expect_match stdout "$OUT" $'\nDecision: BLOCKED \\(the context lacks deploy_target, which step 1 \\(prepare-deployment-environment\\) needs \\(and 6 more steps\\)\\)\n'
run run deploy.md -c production.json --state-dir needs-state
expect_status 3
expect_match stdout "$OUT" 'blocked \(the context lacks deploy_target, which step 1 \(prepare-deployment-environment\) needs \(and 6 more steps\)\)'
[[ $OUT == *"[1/8]"* ]] && fail "a step ran or was listed" "$OUT"
run plan deploy.md -c production.json --set deploy_target="$WORK/target"
expect_match stdout "$OUT" $'\nDecision: RUN '

case_ "a guard fed by an earlier step's declared output is decided when that step has run"
cat >"$WORK/fed.md" <<'MD'
# Phase: Fed
## Steps Sequence
1. **smoke** - tests the release
2. **switch** - switches traffic [if smoke passed]
3. **page** - pages someone [if !smoke_passed()]
## Step Actions
```sh step=smoke outputs=smoke_passed
echo "smoke_passed=true" >> "$DEPLOYPHASE_OUTPUT"
```
```sh step=switch
echo switched >> ran
```
```sh step=page
echo paged >> ran
```
MD
run plan fed.md --strict
expect_status 0
expect_match stdout "$OUT" $'\n  2/3  switch  later     decided when step 1 \\(smoke\\) has run: it outputs smoke_passed\n'
expect_match stdout "$OUT" $'\n  3/3  page    later     decided when step 1 \\(smoke\\) has run: it outputs smoke_passed\n'
expect_match stdout "$OUT" 'missing: smoke_passed \(output of step 1\)'
run plan fed.md -o json
expect_eq "decided after" "$(jq -c '[.steps[] | [.id, .will_run, .decided_after]]' <<<"$OUT")" \
    '[["smoke",true,null],["switch",false,1],["page",false,1]]'
run run fed.md --state-dir fed-state
expect_status 0
expect_eq "what ran" "$(cat "$WORK/ran")" "switched"
# An undeclared output stays what it was: a missing fact, and --strict says so.
sed -i 's/ outputs=smoke_passed$//' "$WORK/fed.md"
run plan fed.md --strict
expect_status 2
expect_match stderr "$ERR" 'the context has no "smoke_passed", which the plan reads \(--strict\)'

case_ "needs and outputs survive the JSON form"
run show deploy.md -o json
expect_status 0
printf '%s\n' "$OUT" >"$WORK/deploy.json"
expect_eq "declared" "$(jq -c '.steps[1] | [.needs, .outputs]' "$WORK/deploy.json")" \
    '[["deploy_target","release_version"],["deployed_release","previous_release"]]'
run plan deploy.json -c production.json
expect_match stdout "$OUT" 'Decision: BLOCKED \(the context lacks deploy_target'

suite_done
