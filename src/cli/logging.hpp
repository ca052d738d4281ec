#pragma once
// Diagnostics about deployphase itself (--log-level, --log-file), through spdlog: which state
// directory, each recorded event at debug level, state errors. Separate from the progress
// lines and reports, which are the product's output.

#include <string>
#include <vector>

namespace deployphase::cli {

// Sends spdlog's default logger to FILE (appended) or, without one, to stderr, at LEVEL
// (trace, debug, info, warn, error, off). Throws InputError when FILE cannot be opened.
void setup_logging(const std::string& level, const std::string& file);

// The command line as the debug log shows it: the value of every `--set KEY=VALUE` whose key
// is secret (by name, or named by a --secret on the same line) replaced by ***.
std::string loggable_command_line(const std::vector<std::string>& arguments);

}  // namespace deployphase::cli
