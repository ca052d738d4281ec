#pragma once
// The terminal session a command runs in: the signals that interrupt a run, and asking the
// operator a question.

#include <functional>
#include <string>

#include <deployphase/phase/model.hpp>
#include <deployphase/run/subprocess.hpp>

namespace deployphase::cli {

// SIGINT and SIGTERM set this flag (to the signal's number) instead of killing the runner, which
// then stops its step and records how the run ended.
const run::InterruptFlag& install_interrupt_handlers();

// Whether CI is set to anything but "", "0" or "false", as every major CI system sets it: a
// pipeline step never waits for an answer, even on a terminal.
bool in_ci();
// Whether the operator can be asked: stdin and stderr are terminals, and not in CI.
bool can_ask_operator();
// Asks `question [y/N]` on stderr; true only for y, Y or yes read from stdin.
bool ask_operator(const std::string& question);

// Asks on the terminal whether a manual step is done; empty when there is no terminal to ask
// on (the run then stops, awaiting confirmation).
std::function<bool(const phase::Step&)> manual_step_prompt();

}  // namespace deployphase::cli
