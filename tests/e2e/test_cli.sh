# The command line itself: version, help, usage errors and their exit code.
source "$(dirname "$0")/lib.sh"

case_ "--version prints the name and a version"
run --version
expect_status 0
expect_match stdout "$OUT" '^deployphase [0-9]+\.[0-9]+\.[0-9]+$'

case_ "--help lists every subcommand and the exit codes"
run --help
expect_status 0
expect_match stdout "$OUT" $'\n  validate +Check phase documents'
expect_match stdout "$OUT" $'\n  show +Print the phase'
expect_match stdout "$OUT" 'Exit codes: 0 ok or skipped, 1 a step failed, 2 usage or input error'
expect_match stdout "$OUT" '6 a file could not be written'

case_ "no subcommand is a usage error"
run
expect_status 2
expect_match stderr "$ERR" 'A subcommand is required'
expect_eq stdout "$OUT" ""

case_ "an unknown subcommand is a usage error"
run deploy-everything
expect_status 2
expect_match stderr "$ERR" "^deployphase: unknown command 'deploy-everything'; \`deployphase --help\` lists them"

case_ "a mistyped command or flag is named as typed, with the nearest known one"
run rn x.md
expect_status 2
expect_match stderr "$ERR" "^deployphase: unknown command 'rn' \(did you mean 'run'\?\); \`deployphase --help\` lists them"
run status --stat-dir x
expect_status 2
expect_match stderr "$ERR" "^deployphase: status has no flag '--stat-dir' \(did you mean '--state-dir'\?\); \`deployphase status --help\` lists them"
run --color never status --state-dri=x
expect_status 2
expect_match "after a global flag and its value" "$ERR" "has no flag '--state-dri' \(did you mean '--state-dir'\?\)"
run plan x.md --set -s=1 --stirct
expect_status 2
expect_match "a value that starts with - is a value" "$ERR" "has no flag '--stirct' \(did you mean '--strict'\?\)"
run plan x.md -sa=1 --stirct
expect_match "a short flag with its value attached is known" "$ERR" "has no flag '--stirct'"

case_ "help and help COMMAND print the help"
run help
expect_status 0
expect_match stdout "$OUT" 'Usage: deployphase \[OPTIONS\] SUBCOMMAND'
run help run
expect_status 0
expect_match stdout "$OUT" 'Usage: deployphase run \[OPTIONS\] PHASE'

case_ "report takes -o/--output like every other command; --format stays"
cat >"$WORK/one.md" <<'MD'
# Phase: One
## Steps Sequence
1. **a**
## Step Actions
```sh step=a
true
```
MD
run run one.md --state-dir one -q
for flag in -o --output --format; do
    run report --state-dir one "$flag" json
    expect_status 0
    expect_match "report $flag json" "$OUT" '^\{'
done
run report --state-dir one -o text
expect_match "report -o text is the Markdown" "$OUT" '^# Post-deployment report: One'

case_ "an unknown output format is a usage error"
run show "$FIXTURES/phases/dash-title.md" --output yaml
expect_status 2
expect_match stderr "$ERR" 'yaml not in \{text,json\}'
expect_eq stdout "$OUT" ""

case_ "a subcommand without its phase is a usage error"
run validate
expect_status 2
expect_match stderr "$ERR" 'PHASE is required'

suite_done
