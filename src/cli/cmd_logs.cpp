#include <chrono>
#include <cstdio>
#include <thread>

#include <fmt/format.h>

#include <deployphase/run/runner.hpp>
#include <deployphase/run/step_log.hpp>
#include <deployphase/support/errors.hpp>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "run_flags.hpp"

namespace deployphase::cli {
namespace {

struct LogsCommand {
    std::string step;
    StateFlags state;
    std::string run_id;
    std::string attempt;  // empty: the latest
    std::string kind = "step";
    bool follow = false;
};

unsigned attempt_of(const std::string& text) {
    if (text.empty()) return 0;
    if (text.size() > 3 || text.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(text) == 0)
        throw InputError("--attempt",
                         fmt::format("\"{}\" is not an attempt number (1, 2, ...)", text));
    return static_cast<unsigned>(std::stoul(text));
}

// The run the command names: --run, or the last that changed something.
state::RunState read_run(state::StateStore& store, const std::string& run_id) {
    return run_id.empty() ? run::last_run(store) : run::find_run(store, run_id);
}

bool settled(state::StepStatus status) {
    return status != state::StepStatus::pending && status != state::StepStatus::running;
}

// Prints what the step prints, as it comes, until it ends or its runner is gone.
int follow(const LogsCommand& options, state::StateStore& store, std::size_t position,
           unsigned attempt) {
    std::size_t printed = 0;
    unsigned shown_attempt = 0;
    for (;;) {
        state::RunState run = read_run(store, options.run_id);
        const state::StepState& step = run.steps[position];
        bool live = !run.finished && store.lock_holder().has_value();
        std::string log = run::read_step_log(options.state.dir, step.index, step.id, options.kind);
        if (auto section = run::find_log_section(log, run.run_id, options.kind, attempt)) {
            if (section->attempt != shown_attempt) {  // a new attempt: its output from the start
                if (shown_attempt != 0)
                    fmt::print(stderr, "deployphase: attempt {} began\n", section->attempt);
                shown_attempt = section->attempt;
                printed = 0;
            }
            if (section->text.size() > printed) {
                fmt::print("{}", section->text.substr(printed));
                std::fflush(stdout);
                printed = section->text.size();
            }
        }
        if (settled(step.status) || !live) return exit_code::ok;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

int run_logs(const LogsCommand& options) {
    unsigned attempt = attempt_of(options.attempt);
    std::shared_ptr<state::StateStore> store = options.state.open();
    state::RunState run = read_run(*store, options.run_id);
    std::size_t position = run::step_position(run, options.step, store->name());
    if (options.follow) return follow(options, *store, position, attempt);
    const state::StepState& step = run.steps[position];
    if (options.kind == "step" && attempt > step.attempts) {
        throw StateError(store->name(),
                         fmt::format("step {} ({}) of run {} has {} attempt{}", step.index, step.id,
                                     run.run_id, step.attempts, step.attempts == 1 ? "" : "s"));
    }
    std::string log = run::read_step_log(options.state.dir, step.index, step.id, options.kind);
    std::optional<run::LogSection> section =
        run::find_log_section(log, run.run_id, options.kind, attempt);
    if (!section || section->text.empty()) {
        fmt::print(stderr, "deployphase: step {} ({}) printed nothing{} in run {}\n", step.index,
                   step.id, attempt ? fmt::format(" in attempt {}", attempt) : "", run.run_id);
        return exit_code::ok;
    }
    fmt::print("{}", section->text);
    return exit_code::ok;
}

}  // namespace

void add_logs_command(Command& program, const GlobalOptions&) {
    auto options = std::make_shared<LogsCommand>();
    Command command = program.subcommand(
        "logs", "Print what one attempt of a step printed (the latest by default)");
    command.option("STEP", options->step, "Step id, or its 1-based index").required();
    add_state_flags(command, options->state);
    command.option("--run", options->run_id,
                   "Of this run (an id from `deployphase history`, or its start); default: the "
                   "last that changed something");
    command.option("--attempt", options->attempt, "Attempt N of the step's script (1, 2, ...)");
    command.option("--kind", options->kind, "Which script: the step's, its check or its rollback")
        .one_of({"step", "check", "rollback"})
        .show_default();
    command.flag("-f,--follow", options->follow,
                 "Print the step's output as it comes, until the step ends");
    command.action([options] { return run_logs(*options); });
}

}  // namespace deployphase::cli
