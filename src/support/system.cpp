#include "support/system.hpp"

#include <unistd.h>

#include <chrono>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace deployphase {

std::string now_utc() {
    return fmt::format(
        "{:%Y-%m-%dT%H:%M:%SZ}",
        fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

std::string host_name() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) return "";
    return host;
}

}  // namespace deployphase
