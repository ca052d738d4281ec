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
