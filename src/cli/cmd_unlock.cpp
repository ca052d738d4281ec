#include <fmt/format.h>

#include <deployphase/state/store.hpp>
#include <deployphase/support/errors.hpp>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "run_flags.hpp"
#include "session.hpp"

namespace deployphase::cli {
namespace {

struct UnlockCommand {
    StateFlags state;
    bool yes = false;
};

std::string describe(const LockHolder& holder) {
    return fmt::format("pid {}{}{}", holder.pid, holder.host.empty() ? "" : " on " + holder.host,
                       holder.since.empty() ? "" : ", since " + holder.since);
}

int run_unlock(const UnlockCommand& options) {
    std::shared_ptr<state::StateStore> store = options.state.open();
    std::optional<LockHolder> holder = store->lock_holder();
    if (!holder) {
        fmt::print("{}: the lock is free.\n", store->name());
        return exit_code::ok;
    }
    fmt::print("{}: locked by {}.\n", store->name(), describe(*holder));
    if (!options.yes) {
        if (!can_ask_operator()) {
            throw StateError(store->name(),
                             fmt::format("unlocking stops the runner that holds the lock; confirm "
                                         "with --yes ({})",
                                         in_ci() ? "CI is set, so nothing is asked"
                                                 : "there is no terminal to ask on"));
        }
        if (!ask_operator("End that runner's hold? It stops its running step and starts no "
                          "other; its run is left for `run --resume`.")) {
            fmt::print("Left locked.\n");
            return exit_code::locked;
        }
    }
    if (store->break_lock()) {
        fmt::print(
            "Unlocked: the holder's session was ended; the next run or resume takes the lock.\n");
    } else {
        fmt::print("The lock was released meanwhile.\n");
    }
    return exit_code::ok;
}

}  // namespace

void add_unlock_command(Command& program, const GlobalOptions&) {
    auto options = std::make_shared<UnlockCommand>();
    Command command = program.subcommand(
        "unlock", "Take a shared store's lock from a runner that is stuck (asks first)");
    add_state_flags(command, options->state);
    command.flag("--yes", options->yes, "Do not ask (needed without a terminal)");
    command.action([options] { return run_unlock(*options); });
}

}  // namespace deployphase::cli
