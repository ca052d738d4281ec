// The crash points of the test build's deployphase-crashable: this definition replaces the
// shipped binary's empty, weak one (src/support/crash_point.cpp).
#include <deployphase/support/crash_point.hpp>

#include <signal.h>
#include <unistd.h>

#include <cstdlib>

namespace deployphase {
namespace {

long chosen(const char* variable) {
    const char* value = std::getenv(variable);
    if (value == nullptr) return 0;
    char* end = nullptr;
    long n = std::strtol(value, &end, 10);
    return end != value && *end == '\0' && n > 0 ? n : 0;
}

}  // namespace

// DEPLOYPHASE_TEST_THROW_AT=N throws something no layer expects at the N-th point instead:
// how the tests see the command line's last resort for a bug (exit 70).
void crash_point(const std::function<void()>& last_act) {
    static const long crash_at = chosen("DEPLOYPHASE_TEST_CRASH_AT");
    static const long throw_at = chosen("DEPLOYPHASE_TEST_THROW_AT");
    static long passed = 0;
    ++passed;
    if (passed == throw_at) throw 42;
    if (passed != crash_at) return;
    if (last_act) last_act();
    ::kill(::getpid(), SIGKILL);
    ::_exit(137);  // not reached
}

}  // namespace deployphase
