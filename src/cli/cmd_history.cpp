#include <fmt/format.h>

#include <deployphase/report/history.hpp>
#include <deployphase/run/runner.hpp>
#include <deployphase/support/errors.hpp>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "run_flags.hpp"

namespace deployphase::cli {
namespace {

struct HistoryCommand {
    StateFlags state;
    std::string limit = "20";
    std::string output = "text";
};

std::size_t limit_of(const std::string& text) {
    if (text.empty() || text.size() > 9 ||
        text.find_first_not_of("0123456789") != std::string::npos)
        throw InputError("--limit",
                         fmt::format("\"{}\" is not a whole number of runs (0: all)", text));
    return std::stoul(text);
}

int run_history(const HistoryCommand& options) {
    std::size_t limit = limit_of(options.limit);
    std::shared_ptr<state::StateStore> store = options.state.open();
    std::vector<state::RunState> runs = run::run_history(*store, limit);
    // The code each run exited (or would exit) with; an interrupt's signal is not recorded.
    report::ExitCodeOf exit_code_of = [](const state::RunState& run) {
        return exit_code::for_run(run, 0);
    };
    if (options.output == "json") {
        fmt::print("{}\n", report::history_json(runs, exit_code_of).dump(2));
    } else {
        fmt::print("{}", report::render_history_text(runs, exit_code_of));
    }
    return exit_code::ok;
}

}  // namespace

void add_history_command(Command& program, const GlobalOptions&) {
    auto options = std::make_shared<HistoryCommand>();
    Command command = program.subcommand(
        "history", "List the runs of the store, newest first: who, when, how each ended");
    add_state_flags(command, options->state);
    command.option("--limit", options->limit, "Show at most N runs; 0: all").show_default();
    command.option("-o,--output", options->output, "Output format")
        .one_of({"text", "json"})
        .show_default();
    command.action([options] { return run_history(*options); });
}

}  // namespace deployphase::cli
