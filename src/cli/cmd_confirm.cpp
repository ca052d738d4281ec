#include <fmt/format.h>

#include <deployphase/run/runner.hpp>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/run_support.hpp"

namespace deployphase::cli {
namespace {

struct ConfirmCommand {
    std::string step;
    StateFlags state;
};

int confirm_command(const ConfirmCommand& command) {
    return guarded([&] {
        state::StepState step = run::confirm_step(*open_store(command.state), command.step);
        fmt::print("Confirmed step {} ({}); `deployphase resume` continues the run.\n", step.index,
                   step.id);
        return exit_code::ok;
    });
}

}  // namespace

void add_confirm_command(CLI::App& app, Action& action, const GlobalOptions&) {
    auto command = std::make_shared<ConfirmCommand>();
    CLI::App* sub = app.add_subcommand(
        "confirm", "Confirm a manual step the run is waiting on (then run `resume`)");
    sub->add_option("STEP", command->step, "Step id, or its 1-based index")->required();
    add_state_flags(*sub, command->state);
    sub->callback([&action, command] { action = [command] { return confirm_command(*command); }; });
}

}  // namespace deployphase::cli
