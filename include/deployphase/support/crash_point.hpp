#pragma once
// A test seam for crash testing. In the test build's deployphase-crashable, with
// DEPLOYPHASE_TEST_CRASH_AT=N in the environment, the N-th crash point the process passes kills
// it with SIGKILL, exactly as a power cut or `kill -9` would stop it between two state writes.
// In the shipped binary a crash point is an empty call and the variable means nothing.

#include <functional>

namespace deployphase {

// Counts this crash point; if it is the chosen one, runs `last_act` (say, writing half of a
// record) and then kills the process. docs/reliability.md lists where crash points sit.
void crash_point(const std::function<void()>& last_act = {});

}  // namespace deployphase
