#pragma once
// The exit codes are a public contract (docs/cli.md); scripts and CI depend on them.

namespace deployphase::cli::exit_code {

inline constexpr int ok = 0;
inline constexpr int step_failed = 1;
inline constexpr int input_error = 2;  // bad usage or an invalid input file
inline constexpr int blocked = 3;
inline constexpr int awaiting_confirmation = 4;
inline constexpr int locked = 5;
inline constexpr int storage_failed = 6;  // a file could not be written: disk full, I/O error

}  // namespace deployphase::cli::exit_code
