#include <fmt/format.h>

#include <deployphase/run/runner.hpp>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "next_steps.hpp"
#include "run_flags.hpp"

namespace deployphase::cli {
namespace {

struct ConfirmCommand {
    std::string step;
    StateFlags state;
    std::string reason;
};

int run_confirm(const ConfirmCommand& options) {
    state::StepState step = run::confirm_step(*options.state.open(), options.step, options.reason);
    fmt::print("Confirmed step {} ({}); `deployphase resume{}` continues the run.\n", step.index,
               step.id, state_arguments(options.state));
    return exit_code::ok;
}

}  // namespace

void add_confirm_command(Command& program, const GlobalOptions&) {
    auto options = std::make_shared<ConfirmCommand>();
    Command command = program.subcommand(
        "confirm", "Confirm a manual step the run is waiting on (then run `resume`)");
    command.option("STEP", options->step, "Step id, or its 1-based index").required();
    add_state_flags(command, options->state);
    command.option("--reason", options->reason,
                   "Why, or what was checked: recorded with who confirmed and when");
    command.action([options] { return run_confirm(*options); });
}

}  // namespace deployphase::cli
