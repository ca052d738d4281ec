#pragma once
// Diagnostics about deployphase itself (--log-level, --log-file): which state directory, each
// recorded event at debug level, the errors a command stopped with. Separate from the progress
// lines and reports, which are the product's output. Only logging.cpp sees spdlog.

#include <string>
#include <string_view>
#include <vector>

namespace deployphase::cli {

enum class LogLevel { trace, debug, info, warn, error, off };

// Sends the log to FILE (appended) or, without one, to stderr, at LEVEL (trace, debug, info,
// warn, error, off). Throws InputError when FILE cannot be opened.
void setup_logging(const std::string& level, const std::string& file);

// Whether a message at `level` is written: ask before formatting one that costs something.
bool logs(LogLevel level);
void log(LogLevel level, std::string_view message);

// The command line as the debug log shows it: the value of every `--set KEY=VALUE` whose key
// is secret (by name, or named by a --secret on the same line), and the password of a
// --state-url, replaced by ***.
std::string loggable_command_line(const std::vector<std::string>& arguments);

}  // namespace deployphase::cli
