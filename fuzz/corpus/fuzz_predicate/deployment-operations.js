// The phase runs only for a validated implementation headed for production
// that actually changes something deployable.
canExecutePhase() {
  return hasContext('validated_implementation') &&
         hasContext('production_environment') &&
         requiresDeployment();
}

shouldSkipPhase() {
  return isDevelopmentOnly() ||
         isDocumentationOnly() ||
         isConfigurationOnly() ||
         hasContext('already_deployed');
}

requiresDeployment() {
  return hasCodeChanges() ||
         hasInfrastructureChanges() ||
         hasConfigurationChanges() ||
         isNewFeatureRelease();
}

## Expected Duration
**Demo target**: under a minute  
**Real service**: an hour or two

## Outputs
- A live release behind the `current` link, with the previous one kept
- Health status and alert rules
- A runbook page
- A backup archive, when data persists
- A rehearsed rollback procedure

## Notes
- Deploy when traffic is low
- Never deploy without a rollback you have rehearsed

## Step Actions

The steps deploy the demo application in `demo-app/` (next to this file) to the directory
named by the context's `deploy_target` (an absolute path: steps run in this file's
directory), as release `release_version`. Every script reads the
context only through `DEPLOYPHASE_CTX_*` variables. Layout of the target:

TARGET/config/app.conf       TARGET/releases/VERSION/    TARGET/current -> releases/VERSION
TARGET/previous -> releases/OLD (when there was one)     TARGET/monitoring/  TARGET/docs/
TARGET/backups/              TARGET/verification/



















`train-operations-team` has no script: it is a manual step, confirmed at the terminal, with
`--yes`, or with `deployphase confirm train-operations-team` in CI.



