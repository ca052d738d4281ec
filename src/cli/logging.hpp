#pragma once
// Diagnostics about deployphase itself (--log-level, --log-file), through spdlog: which state
// directory, each recorded event at debug level, state errors. Separate from the progress
// lines and reports, which are the product's output.

#include <string>

namespace deployphase::cli {

// Sends spdlog's default logger to FILE (appended) or, without one, to stderr, at LEVEL
// (trace, debug, info, warn, error, off). Throws InputError when FILE cannot be opened.
void setup_logging(const std::string& level, const std::string& file);

}  // namespace deployphase::cli
