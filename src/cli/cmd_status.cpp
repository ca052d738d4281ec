#include <fmt/format.h>

#include <deployphase/report/run_text.hpp>
#include <deployphase/run/runner.hpp>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "run_flags.hpp"

namespace deployphase::cli {
namespace {

struct StatusCommand {
    StateFlags state;
    std::string output = "text";
    std::string run_id;  // --run: another run than the last that changed something
};

int run_status(const StatusCommand& options) {
    std::shared_ptr<state::StateStore> store = options.state.open();
    state::RunState run =
        options.run_id.empty() ? run::last_run(*store) : run::find_run(*store, options.run_id);
    std::optional<state::RunState> later;
    if (options.run_id.empty()) later = run::later_run_that_changed_nothing(*store, run);
    if (options.output == "json") {
        fmt::print("{}\n", report::status_document(run, later ? &*later : nullptr).dump(2));
    } else {
        fmt::print("{}", report::render_run_state(run));
        if (later) fmt::print("{}", report::render_later_run(*later));
    }
    return exit_code::ok;
}

}  // namespace

void add_status_command(Command& program, const GlobalOptions&) {
    auto options = std::make_shared<StatusCommand>();
    Command command = program.subcommand("status", "Show the state of the last run");
    add_state_flags(command, options->state);
    command.option("--run", options->run_id,
                   "Show this run (an id from `deployphase history`, or its start)");
    command.option("-o,--output", options->output, "Output format")
        .one_of({"text", "json"})
        .show_default();
    command.action([options] { return run_status(*options); });
}

}  // namespace deployphase::cli
