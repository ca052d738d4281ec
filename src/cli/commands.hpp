#pragma once
// Each subcommand registers its flags on the app and sets `action` when it is chosen.

#include <CLI/CLI.hpp>

#include <functional>

#include "cli/terminal.hpp"

namespace deployphase::cli {

using Action = std::function<int()>;

// Flags every subcommand shares; filled in by the parser before any action runs.
struct GlobalOptions {
    ColorMode color = ColorMode::automatic;
};

void add_validate_command(CLI::App& app, Action& action, const GlobalOptions& globals);
void add_show_command(CLI::App& app, Action& action, const GlobalOptions& globals);
void add_plan_command(CLI::App& app, Action& action, const GlobalOptions& globals);
void add_facts_command(CLI::App& app, Action& action, const GlobalOptions& globals);
void add_run_command(CLI::App& app, Action& action, const GlobalOptions& globals);
void add_resume_command(CLI::App& app, Action& action, const GlobalOptions& globals);
void add_status_command(CLI::App& app, Action& action, const GlobalOptions& globals);
void add_confirm_command(CLI::App& app, Action& action, const GlobalOptions& globals);
void add_rollback_command(CLI::App& app, Action& action, const GlobalOptions& globals);
void add_report_command(CLI::App& app, Action& action, const GlobalOptions& globals);
void add_unlock_command(CLI::App& app, Action& action, const GlobalOptions& globals);

}  // namespace deployphase::cli
