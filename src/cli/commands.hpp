#pragma once
// The subcommands. Each cmd_NAME.cpp holds a NameCommand struct (the values of its flags),
// run_NAME (what it does: calls into the library, prints), and add_NAME_command (declares its
// flags and its action).

#include "flags.hpp"
#include "terminal.hpp"

namespace deployphase::cli {

// Flags every subcommand shares; filled in by the parser before any action runs.
struct GlobalOptions {
    std::string color = "auto";
    ColorMode color_mode() const;
};

void add_validate_command(Command& program, const GlobalOptions& globals);
void add_show_command(Command& program, const GlobalOptions& globals);
void add_plan_command(Command& program, const GlobalOptions& globals);
void add_facts_command(Command& program, const GlobalOptions& globals);
void add_run_command(Command& program, const GlobalOptions& globals);
void add_resume_command(Command& program, const GlobalOptions& globals);
void add_status_command(Command& program, const GlobalOptions& globals);
void add_history_command(Command& program, const GlobalOptions& globals);
void add_logs_command(Command& program, const GlobalOptions& globals);
void add_prune_command(Command& program, const GlobalOptions& globals);
void add_confirm_command(Command& program, const GlobalOptions& globals);
void add_rollback_command(Command& program, const GlobalOptions& globals);
void add_report_command(Command& program, const GlobalOptions& globals);
void add_unlock_command(Command& program, const GlobalOptions& globals);

}  // namespace deployphase::cli
