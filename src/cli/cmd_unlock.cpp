#include <fmt/format.h>

#include <deployphase/state/store.hpp>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/run_support.hpp"

namespace deployphase::cli {
namespace {

struct UnlockCommand {
    StateFlags state;
    bool yes = false;
};

std::string describe(const state::LockHolder& holder) {
    return fmt::format("pid {}{}{}", holder.pid, holder.host.empty() ? "" : " on " + holder.host,
                       holder.since.empty() ? "" : ", since " + holder.since);
}

int unlock_command(const UnlockCommand& command) {
    return guarded([&] {
        std::shared_ptr<state::StateStore> store = open_store(command.state);
        std::optional<state::LockHolder> holder = store->lock_holder();
        if (!holder) {
            fmt::print("{}: the lock is free.\n", store->name());
            return exit_code::ok;
        }
        fmt::print("{}: locked by {}.\n", store->name(), describe(*holder));
        if (!command.yes) {
            if (!can_ask_operator()) {
                throw state::StateError(
                    fmt::format("{}: error: unlocking stops the runner that holds the lock; "
                                "confirm with --yes (there is no terminal to ask on)",
                                store->name()));
            }
            if (!ask_operator("End that runner's hold? It stops its running step and starts no "
                              "other; its run is left for `run --resume`.")) {
                fmt::print("Left locked.\n");
                return exit_code::locked;
            }
        }
        if (store->break_lock()) {
            fmt::print(
                "Unlocked: the holder's session was ended; the next run or resume takes "
                "the lock.\n");
        } else {
            fmt::print("The lock was released meanwhile.\n");
        }
        return exit_code::ok;
    });
}

}  // namespace

void add_unlock_command(CLI::App& app, Action& action, const GlobalOptions&) {
    auto command = std::make_shared<UnlockCommand>();
    CLI::App* sub = app.add_subcommand(
        "unlock", "Take a shared store's lock from a runner that is stuck (asks first)");
    add_state_flags(*sub, command->state);
    sub->add_flag("--yes", command->yes, "Do not ask (needed without a terminal)");
    sub->callback([&action, command] { action = [command] { return unlock_command(*command); }; });
}

}  // namespace deployphase::cli
