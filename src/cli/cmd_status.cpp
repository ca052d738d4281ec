#include <fmt/format.h>

#include <deployphase/run/runner.hpp>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/run_support.hpp"

namespace deployphase::cli {
namespace {

struct StatusCommand {
    StateFlags state;
    std::string output = "text";
};

int status_command(const StatusCommand& command) {
    return guarded([&] {
        state::RunState state = last_run(*open_store(command.state));
        if (command.output == "json") {
            nlohmann::ordered_json out = state::status_json(state);
            out["finished"] = state.finished;
            fmt::print("{}\n", out.dump(2));
        } else {
            fmt::print("{}", render_run_state(state));
        }
        return exit_code::ok;
    });
}

}  // namespace

void add_status_command(CLI::App& app, Action& action, const GlobalOptions&) {
    auto command = std::make_shared<StatusCommand>();
    CLI::App* sub = app.add_subcommand("status", "Show the state of the last run");
    add_state_flags(*sub, command->state);
    sub->add_option("-o,--output", command->output, "Output format")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    sub->callback([&action, command] { action = [command] { return status_command(*command); }; });
}

}  // namespace deployphase::cli
