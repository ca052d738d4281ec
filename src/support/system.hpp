#pragma once
// What a record says of when and where: the time in UTC and this machine's name.

#include <string>

namespace deployphase {

// The current time, UTC, ISO 8601 to the second: "2026-11-29T01:04:24Z".
std::string now_utc();

// This machine's name (gethostname), or "" when it has none.
std::string host_name();

}  // namespace deployphase
