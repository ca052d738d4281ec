#include "run_flags.hpp"

#include <fmt/format.h>

#include <deployphase/support/errors.hpp>

#include "session.hpp"

extern char** environ;

namespace deployphase::cli {

std::shared_ptr<state::StateStore> StateFlags::open() const {
    state::StoreOptions options;
    options.state_dir = dir;
    options.url = url;
    options.key = key;
    options.schema = schema;
    return state::make_store(options);
}

run::RunOptions RunFlags::options() const {
    run::RunOptions options;
    options.state_dir = state.dir;
    options.store = state.open();
    options.workdir = workdir;
    auto grace = phase::parse_duration(kill_after);
    if (!grace) {
        throw InputError(Diagnostic::error(
            {"--kill-after", 0, 0},
            fmt::format("invalid duration \"{}\"; use a whole number with ms, s, m or h",
                        kill_after)));
    }
    options.kill_after = *grace;
    options.echo_fd = report.verbose ? 1 : -1;
    options.confirm_all = yes;
    options.allow_changed = allow_changed;
    options.rollback_on_failure = on_failure == "rollback";
    options.interrupted = interrupted == "done"   ? run::RunOptions::Interrupted::done
                          : interrupted == "fail" ? run::RunOptions::Interrupted::fail
                                                  : run::RunOptions::Interrupted::rerun;
    options.confirm = manual_step_prompt();
    for (char** entry = environ; *entry; ++entry)
        options.environment.emplace_back(*entry);
    return options;
}

void add_state_flags(Command& command, StateFlags& flags) {
    command.option("--state-dir", flags.dir, "Where the run's journal, logs and lock live")
        .show_default();
    command
        .option("--state-url", flags.url,
                "Record runs in PostgreSQL instead (a libpq URL or connection string; PG* "
                "variables fill in the rest); logs and outputs stay in --state-dir")
        .env("DEPLOYPHASE_STATE_URL");
    command
        .option("--state-key", flags.key,
                "The deployment slot in the shared store, e.g. payments/prod: runners naming the "
                "same key share one run history and one lock")
        .env("DEPLOYPHASE_STATE_KEY");
    command
        .option("--state-schema", flags.schema,
                "The PostgreSQL schema holding deployphase's tables (default: deployphase)")
        .env("DEPLOYPHASE_STATE_SCHEMA");
}

void add_script_flags(Command& command, RunFlags& flags) {
    add_state_flags(command, flags.state);
    command.option("--workdir", flags.workdir,
                   "Directory steps run in (default: the phase file's directory)");
    command
        .option("--kill-after", flags.kill_after,
                "Grace period from SIGTERM to SIGKILL of a step's processes")
        .show_default();
    command.flag("--allow-changed", flags.allow_changed,
                 "Continue even though the phase file changed since the run began");
}

void add_run_flags(Command& command, RunFlags& flags) {
    add_script_flags(command, flags);
    command.flag("--yes", flags.yes, "Confirm every manual step");
    command
        .option("--on-failure", flags.on_failure,
                "When a step fails: stop, or roll back the completed steps")
        .one_of({"stop", "rollback"})
        .show_default();
}

Flag add_interrupted_flag(Command& command, RunFlags& flags) {
    return command
        .option("--interrupted", flags.interrupted,
                "A step cut off by an interrupt or a dead runner: run it again, take it as done, "
                "or as failed")
        .one_of({"rerun", "done", "fail"})
        .show_default();
}

void add_report_flags(Command& command, ReportFlags& flags) {
    command
        .option("-o,--output", flags.output,
                "Final report: the step table (text) or the status JSON on stdout (json; "
                "progress then goes to stderr)")
        .one_of({"text", "json"})
        .show_default();
    command.option("--events", flags.events_file,
                   "Write each event to FILE as a JSON line, as it is recorded");
    command.option("--junit", flags.junit_file,
                   "Write a JUnit XML report to FILE: a testcase per step, with its log");
    Flag quiet = command.flag("-q,--quiet", flags.quiet,
                              "Print only failures and one final line, the run's");
    command
        .flag("-v,--verbose", flags.verbose,
              "Also stream each script's output, and print starts, attempts and checks")
        .excludes(quiet);
}

}  // namespace deployphase::cli
