// The crash points of the test build's deployphase-crashable: this definition replaces the
// shipped binary's empty, weak one (src/support/crash_point.cpp).
#include <deployphase/support/crash_point.hpp>

#include <signal.h>
#include <unistd.h>

#include <cstdlib>

namespace deployphase {
namespace {

long chosen_crash_point() {
    const char* value = std::getenv("DEPLOYPHASE_TEST_CRASH_AT");
    if (value == nullptr) return 0;
    char* end = nullptr;
    long n = std::strtol(value, &end, 10);
    return end != value && *end == '\0' && n > 0 ? n : 0;
}

}  // namespace

void crash_point(const std::function<void()>& last_act) {
    static const long chosen = chosen_crash_point();
    static long passed = 0;
    if (chosen == 0 || ++passed != chosen) return;
    if (last_act) last_act();
    ::kill(::getpid(), SIGKILL);
    ::_exit(137);  // not reached
}

}  // namespace deployphase
