#include <fmt/format.h>

#include <deployphase/report/run_text.hpp>
#include <deployphase/run/rollback.hpp>
#include <deployphase/run/runner.hpp>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "output.hpp"
#include "run_flags.hpp"
#include "run_reports.hpp"

namespace deployphase::cli {
namespace {

struct RollbackCommand {
    RunFlags flags;
    bool dry_run = false;
    std::string run_id;
};

int run_rollback(const RollbackCommand& command, const GlobalOptions& globals) {
    run::RunOptions options = command.flags.options();
    std::shared_ptr<state::StateStore> store = run::store_of(options);
    run::RollbackPreview preview = run::preview_rollback(*store);
    if (!command.run_id.empty()) run::require_rollback_target(*store, preview.run, command.run_id);
    if (preview.already_rolled_back()) {
        fmt::print("Run {} of \"{}\" is already rolled back.\n", preview.run.run_id,
                   preview.run.phase);
        return exit_code::ok;
    }
    print_diagnostics(preview.phase->warnings);
    if (command.dry_run || preview.nothing_to_undo()) {
        if (!command.dry_run) run::require_no_live_runner(*store, preview.run);
        fmt::print("{}",
                   report::render_rollback_plan(preview.run, preview.phase->phase, preview.plan));
        return exit_code::ok;
    }
    return run_with_reports(
        *preview.phase, options, command.flags, globals.color_mode(),
        [&](const run::RunOptions& with_reports, const run::InterruptFlag& interrupt) {
            return run::rollback_run(*preview.phase, with_reports, interrupt);
        },
        true);
}

}  // namespace

void add_rollback_command(Command& program, const GlobalOptions& globals) {
    auto options = std::make_shared<RollbackCommand>();
    Command command = program.subcommand(
        "rollback",
        "Run the rollback scripts of the last run's completed steps, newest first, then the "
        "failed step's");
    add_script_flags(command, options->flags);
    command.flag("--dry-run", options->dry_run,
                 "Print which rollback scripts would run, in order; run nothing");
    command.option("--run", options->run_id,
                   "Only if this is the run to roll back: the last that changed something");
    add_report_flags(command, options->flags.report);
    command.action([options, &globals] { return run_rollback(*options, globals); });
}

}  // namespace deployphase::cli
