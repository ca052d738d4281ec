#pragma once
// The exit codes are a public contract (docs/cli.md); scripts and CI depend on them.

#include <deployphase/state/run_state.hpp>

namespace deployphase::cli::exit_code {

inline constexpr int ok = 0;
inline constexpr int step_failed = 1;
inline constexpr int input_error = 2;  // bad usage, an invalid input, a state that rules it out
inline constexpr int blocked = 3;
inline constexpr int awaiting_confirmation = 4;
inline constexpr int locked = 5;
inline constexpr int storage_failed = 6;   // a file or the state store failed: disk full, I/O
inline constexpr int internal_error = 70;  // a bug in deployphase (EX_SOFTWARE)

// How a run ended, as its command exits: 0 succeeded or skipped, 1 failed or rolled back, 3
// blocked, 4 awaiting confirmation, 128 + signal when interrupted (130 for SIGINT, 143 for
// SIGTERM; SIGINT when no signal was seen).
int for_run(const state::RunState& run, int interrupt_signal);

}  // namespace deployphase::cli::exit_code
