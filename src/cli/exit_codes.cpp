#include "exit_codes.hpp"

#include <csignal>

namespace deployphase::cli::exit_code {

int for_run(const state::RunState& run, int interrupt_signal) {
    switch (run.status) {
        case state::RunStatus::succeeded:
        case state::RunStatus::skipped:
            return ok;
        case state::RunStatus::failed:
        case state::RunStatus::rolled_back:
            return step_failed;
        case state::RunStatus::blocked:
            return blocked;
        case state::RunStatus::awaiting_confirmation:
            return awaiting_confirmation;
        case state::RunStatus::interrupted:
            return 128 + (interrupt_signal != 0 ? interrupt_signal : SIGINT);
        case state::RunStatus::running:
            break;
    }
    return step_failed;
}

}  // namespace deployphase::cli::exit_code
