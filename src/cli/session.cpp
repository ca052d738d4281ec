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

extern "C" void on_interrupt(int signal) {
    interrupt_flag.store(signal);
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
    if (!std::getline(std::cin, answer)) return false;
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
