#pragma once

#include <cstddef>
#include <string>

namespace deployphase::run {

// Kills every process still carrying DEPLOYPHASE_RUN_ID=<run_id> in its environment (what a
// step of a runner that was killed left running in the background) and waits for them to be
// gone. Only called under the state lock, so no live runner of that run exists. Returns how
// many were killed. A process that cleared its environment is not found.
std::size_t stop_leftover_processes(const std::string& run_id);

}  // namespace deployphase::run
