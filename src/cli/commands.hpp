#pragma once
// Each subcommand registers its flags on the app and sets `action` when it is chosen.

#include <functional>

#include <CLI/CLI.hpp>

namespace deployphase::cli {

using Action = std::function<int()>;

void add_validate_command(CLI::App& app, Action& action);
void add_show_command(CLI::App& app, Action& action);

}  // namespace deployphase::cli
