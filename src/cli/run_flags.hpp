#pragma once
// The flags of the commands that read or write runs: where runs are recorded (every such
// command), how scripts run (run, resume, rollback), and what a run reports.

#include <memory>
#include <string>

#include <deployphase/run/runner.hpp>
#include <deployphase/state/store.hpp>

#include "flags.hpp"

namespace deployphase::cli {

// Where a command finds runs.
struct StateFlags {
    std::string dir = ".deployphase";
    std::string url;  // --state-url / DEPLOYPHASE_STATE_URL: a PostgreSQL store
    std::string key;
    std::string schema;

    // The store they name; a shared store connects on first use. Throws InputError for a key
    // without a URL, or a bad key or schema.
    std::shared_ptr<state::StateStore> open() const;
};

// What a run prints and writes besides its journal.
struct ReportFlags {
    std::string output = "text";
    std::string events_file;
    std::string junit_file;
    bool quiet = false;
    bool verbose = false;
};

struct RunFlags {
    StateFlags state;
    std::string workdir;
    std::string kill_after = "10s";
    bool yes = false;
    bool allow_changed = false;
    std::string on_failure = "stop";
    std::string interrupted = "rerun";
    ReportFlags report;

    // The run's options: the store, the scripts' settings, the operator's answers on this
    // terminal, and the environment steps inherit. Throws InputError for a bad --kill-after.
    run::RunOptions options() const;
};

// --state-dir, --state-url, --state-key, --state-schema.
void add_state_flags(Command& command, StateFlags& flags);
// The state flags, --workdir, --kill-after, --allow-changed: what every command that runs
// scripts takes.
void add_script_flags(Command& command, RunFlags& flags);
// The script flags plus --yes and --on-failure: what run and resume take.
void add_run_flags(Command& command, RunFlags& flags);
// --interrupted=rerun|done|fail, for resuming.
Flag add_interrupted_flag(Command& command, RunFlags& flags);
// -o/--output, --events, --junit, -q/--quiet, -v/--verbose: what run, resume and rollback
// report.
void add_report_flags(Command& command, ReportFlags& flags);

}  // namespace deployphase::cli
