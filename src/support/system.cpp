#include "support/system.hpp"

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <vector>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace deployphase {

std::string now_utc() {
    return fmt::format(
        "{:%Y-%m-%dT%H:%M:%SZ}",
        fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

std::string utc_millis(std::chrono::system_clock::time_point at) {
    auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count() % 1000;
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z",
                       fmt::gmtime(std::chrono::system_clock::to_time_t(at)), millis);
}

std::string host_name() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) return "";
    return host;
}

Identity current_identity() {
    Identity who;
    who.uid = static_cast<unsigned>(::getuid());
    who.host = host_name();
    passwd entry{};
    passwd* found = nullptr;
    std::vector<char> buffer(16384);
    if (::getpwuid_r(::getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found &&
        found->pw_name) {
        who.user = found->pw_name;
    } else {
        who.user = fmt::format("uid {}", who.uid);
    }
    return who;
}

}  // namespace deployphase
