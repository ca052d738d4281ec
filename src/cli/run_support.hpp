#pragma once
// What run, resume and status share: state-directory flags, signals, the operator prompt,
// exit codes and the run summary.

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include <deployphase/phase/loader.hpp>
#include <deployphase/run/runner.hpp>
#include <deployphase/state/run_state.hpp>

#include "cli/terminal.hpp"

namespace deployphase::cli {

// Where a command finds runs.
struct StateFlags {
    std::string dir = ".deployphase";
    std::string url;  // --state-url / DEPLOYPHASE_STATE_URL: a PostgreSQL store
    std::string key;
    std::string schema;
};

struct RunFlags {
    StateFlags state;
    std::string workdir;
    std::string kill_after = "10s";
    bool yes = false;
    bool allow_changed = false;
    std::string on_failure = "stop";
    std::string interrupted = "rerun";
    // Reporting
    std::string output = "text";
    std::string events_file;
    std::string junit_file;
    bool quiet = false;
    bool verbose = false;
};

void add_state_flags(CLI::App& command, StateFlags& flags);
std::shared_ptr<state::StateStore> open_store(const StateFlags& flags);
// --state-dir, --workdir, --kill-after, --allow-changed: what every command that runs scripts
// takes.
void add_script_flags(CLI::App& command, RunFlags& flags);
// The script flags plus --yes and --on-failure: what run and resume take.
void add_run_flags(CLI::App& command, RunFlags& flags);
// --interrupted=rerun|done|fail, for resuming.
CLI::Option* add_interrupted_flag(CLI::App& command, RunFlags& flags);

// -o/--output, --events, --junit, -q/--quiet, -v/--verbose: what run, resume and rollback
// report.
void add_report_flags(CLI::App& command, RunFlags& flags);

using RunBody = std::function<state::RunState(const run::RunOptions&, const run::InterruptFlag&)>;

// Runs `body` (a start, resume or rollback) with progress lines, --events and GitHub Actions
// output attached; then prints the final report (the step table, or the status JSON with
// --output json) and writes --junit and the GitHub job summary. Returns the exit code;
// `rollback` makes a completed rollback exit 0.
int run_with_reports(const phase::LoadedPhase& phase, run::RunOptions options,
                     const RunFlags& flags, ColorMode color, const RunBody& body,
                     bool rollback = false);

// Throws InputError (exit 2) for a bad --kill-after.
run::RunOptions run_options(const RunFlags& flags);

// resume --context/--set: files become the new base (none: the run's context), assignments
// apply last. Nothing when neither was given.
std::optional<run::RunOptions::ContextUpdate> context_update(
    const std::vector<std::string>& files, const std::vector<std::string>& assignments);

// "Context changed: a, b" and each pending step whose guard decision flipped.
std::string render_context_drift(const plan::ContextDrift& drift);

// SIGINT and SIGTERM set this flag (to the signal's number) instead of killing the runner.
const run::InterruptFlag& install_interrupt_handlers();

// 0 succeeded or skipped, 1 failed or rolled back, 3 blocked, 4 awaiting confirmation,
// 128 + signal when interrupted (130 for SIGINT, 143 for SIGTERM).
int exit_code_for(const state::RunState& state, int interrupt_signal);

// The last run in the store, as `status` and `report` show it: an unfinished run
// whose lock nobody holds has lost its runner, so it and its running step read `interrupted`.
// Throws StateError when there is no run.
state::RunState last_run(state::StateStore& store);

// One line per step: "  2/8  deploy  succeeded  1 attempt  1.2s".
std::string render_run_state(const state::RunState& state);

// Whether stdin and stderr are terminals, so that the operator can be asked.
bool can_ask_operator();
// Asks `question [y/N]` on stderr; true only for y, Y or yes read from stdin.
bool ask_operator(const std::string& question);

// Runs `body`, turning a held lock into exit 5 and state problems into exit 2, printed.
int guarded(const std::function<int()>& body);

}  // namespace deployphase::cli
