#include "session.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string_view>

#include <fmt/format.h>

namespace deployphase::cli {
namespace {

run::InterruptFlag interrupt_flag{0};

// The first signal asks the run to stop; any later one asks for the running step's group to be
// killed at once. Lock-free atomics are safe in a handler.
extern "C" void on_interrupt(int signal) {
    int asked = interrupt_flag.load();
    interrupt_flag.store(asked == 0 ? signal : asked | run::interrupt_kill_now);
}

}  // namespace

const run::InterruptFlag& install_interrupt_handlers() {
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    return interrupt_flag;
}

bool in_ci() {
    const char* ci = std::getenv("CI");
    if (ci == nullptr) return false;
    std::string_view value = ci;
    return !value.empty() && value != "0" && value != "false";
}

bool can_ask_operator() {
    return !in_ci() && ::isatty(0) == 1 && ::isatty(2) == 1;
}

bool ask_operator(const std::string& question) {
    fmt::print(stderr, "{} [y/N] ", question);
    std::fflush(stderr);
    std::string answer;
    // Ctrl-C ends the read (the handler is installed without SA_RESTART); the run then records
    // the step interrupted, as any interrupt.
    if (!std::getline(std::cin, answer)) {
        if (interrupt_flag.load() != 0) fmt::print(stderr, "\n");
        return false;
    }
    return answer == "y" || answer == "Y" || answer == "yes";
}

std::function<bool(const phase::Step&)> manual_step_prompt() {
    if (!can_ask_operator()) return {};
    return [](const phase::Step& step) {
        return ask_operator(fmt::format("Step {} \"{}\" is manual{}. Is it done?", step.index,
                                        step.id,
                                        step.description.empty() ? "" : ": " + step.description));
    };
}

}  // namespace deployphase::cli
