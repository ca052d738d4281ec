#pragma once
// What a record says of when, where and who: the time in UTC, this machine's name, the user.

#include <chrono>
#include <string>

namespace deployphase {

// The current time, UTC, ISO 8601 to the second: "2026-11-29T01:04:24Z".
std::string now_utc();

// `at`, UTC, ISO 8601 to the millisecond: "2026-11-29T01:04:24.125Z", what a record carries.
std::string utc_millis(std::chrono::system_clock::time_point at);

// This machine's name (gethostname), or "" when it has none.
std::string host_name();

// Who runs this process, as the operating system says: the real user's name (the password
// database; "uid N" when it has none) and id, and the host. What it proves is in
// docs/running.md: an account on a machine, not a person.
struct Identity {
    std::string user;
    unsigned uid = 0;
    std::string host;
};
Identity current_identity();

}  // namespace deployphase
