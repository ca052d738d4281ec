# The shipped phase, end to end, for every example context: a real deployment of the demo
# application into a temporary target, a re-run that finds it done, a blue-green upgrade and
# its rollback, an injected failure rolled back, and the manual handover step.
source "$(dirname "$0")/lib.sh"

root=${PROJECT_ROOT:?set PROJECT_ROOT}
phase="$root/phases/deployment-operations.md"
contexts="$root/phases/contexts"
target="$WORK/target"

deploy() {  # deploy CONTEXT STATE_DIR ARGS...
    run run "$phase" -c "$contexts/$1.json" --set deploy_target="$target" --state-dir "$2" "${@:3}"
}
count_status() { grep -cE "^  [0-9]/8  [a-z-]+ +$1( |$)" <<<"$OUT"; }

case_ "production.json: every automated step runs; the release is live and healthy"
deploy production prod
expect_status 0
expect_eq succeeded "$(count_status succeeded)" "7"
expect_match stdout "$OUT" 'train-operations-team +skipped +fact team_handover_required is false'
expect_eq current "$(readlink "$target/current")" "releases/1.0.0"
sh "$target/current/health.sh" >/dev/null || fail "the live release is not healthy"
expect_match status.json "$(cat "$target/monitoring/status.json")" '"release": "1.0.0", "healthy": true'
expect_match runbook "$(cat "$target/docs/runbook.md")" 'Live release: \*\*1.0.0\*\*'
expect_match "rollback plan" "$(cat "$target/docs/rollback-plan.md")" 'passed; no previous release'
expect_match "backup contents" "$(tar -tzf "$target/backups/backup-1.0.0.tar.gz")" 'releases/1.0.0/index.html'
state_member=journal
[ "$STORE" = postgresql ] && state_member=state-in-shared-store
expect_match "backup contents" "$(tar -tzf "$target/backups/backup-1.0.0.tar.gz")" "(^|
)$state_member(\$|
)"

case_ "report: steps, outputs and the success criteria as a checklist"
run report --state-dir prod
expect_status 0
expect_match report "$OUT" '^# Post-deployment report: Deployment & Operations'
expect_match report "$OUT" $'\n\| 2 \| deploy-with-monitoring \| succeeded \| 1 \| [0-9.]+s \| 0 \|  \|\n'
expect_match report "$OUT" $'\n- \*\*deploy-with-monitoring\*\*: `deployed_release=1.0.0` `previous_release=`\n'
expect_match report "$OUT" $'\n- \[ \] The new release is live and healthy\n- \[ \] Monitoring and alert rules are in place\n'
run report --state-dir prod --format json
expect_status 0
expect_match json "$OUT" '"success_criteria": \[[[:space:]]+\{[[:space:]]+"criterion": "The new release is live and healthy",[[:space:]]+"checked": false'
expect_match json "$OUT" '"outputs": \{[[:space:]]+"deployed_release": "1.0.0"'

case_ "a re-run against the deployed target finds every automated step satisfied"
deploy production prod
expect_status 0
expect_eq satisfied "$(count_status satisfied)" "7"
expect_eq "deploy.log lines" "$(wc -l <"$target/deploy.log")" "1"

case_ "a new version is deployed blue-green, keeping the previous; rollback switches back"
deploy production prod --set release_version=1.1.0
expect_status 0
expect_eq current "$(readlink "$target/current")" "releases/1.1.0"
expect_eq previous "$(readlink "$target/previous")" "releases/1.0.0"
expect_match "rollback plan" "$(cat "$target/docs/rollback-plan.md")" 'switched current back to releases/1.0.0, which is healthy'
run rollback --state-dir prod
expect_status 0
expect_eq current "$(readlink "$target/current")" "releases/1.0.0"
[ -e "$target/releases/1.1.0" ] && fail "the rolled-back release is still there"
expect_match status.json "$(cat "$target/monitoring/status.json")" '"release": "1.0.0"'
expect_match runbook "$(cat "$target/docs/runbook.md")" 'Live release: \*\*1.0.0\*\*'
sh "$target/current/health.sh" >/dev/null || fail "the release live after rollback is not healthy"

case_ "--on-failure=rollback with an injected failure: exit 1, rolled back, nothing left live"
rm -rf "$target"
deploy production failing --set break_verification=true --on-failure=rollback
expect_status 1
expect_match stdout "$OUT" '"Deployment & Operations": rolled-back \(step 4 \(verify-production-deployment\) failed: exited with 1\)'
expect_match stdout "$OUT" 'verify-production-deployment +rolled-back +1 attempt +[0-9.]+s +exited with 1'
expect_eq "rolled-back steps" "$(count_status rolled-back)" "4"
[ -e "$target/current" ] || [ -L "$target/current" ] && fail "a release is still live"
expect_eq "releases left" "$(ls -A "$target/releases" 2>/dev/null)" ""
[ -e "$target/config/app.conf" ] && fail "the prepared configuration is still there"

case_ "development.json and documentation.json skip (exit 0), unvalidated.json is blocked (exit 3)"
rm -rf "$target"
deploy development dev
expect_status 0
expect_match stdout "$OUT" ': skipped \(shouldSkipPhase\(\) is true; it read development_only: true\)'
deploy documentation docs
expect_status 0
expect_match stdout "$OUT" ': skipped'
deploy unvalidated blocked
expect_status 3
# The facts that blocked it in one line, as plan shows them; no line per step.
expect_match stdout "$OUT" $': blocked \\(canExecutePhase\\(\\) is false; it read validated_implementation: missing\\)\n  started [^\n]*\n  no step ran: all 8 were skipped with the phase\n'
case $OUT in *"skipped (the phase is blocked)"* | *"  1/8  "*) fail "a line per step of a blocked run" "$OUT" ;; esac
[ -e "$target" ] && fail "a skipped or blocked phase touched the target"

case_ "with a handover, CI stops at the manual step (exit 4); confirm and resume finish"
deploy production handover --set team_handover_required=true </dev/null
expect_status 4
expect_match stdout "$OUT" 'train-operations-team +awaiting-confirmation'
run confirm train-operations-team --state-dir handover
expect_status 0
run resume --state-dir handover
expect_status 0
expect_match stdout "$OUT" 'create-rollback-plan +succeeded'

suite_done
