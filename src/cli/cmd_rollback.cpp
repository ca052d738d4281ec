#include <fmt/format.h>

#include <deployphase/phase/loader.hpp>
#include <deployphase/run/rollback.hpp>
#include <deployphase/run/runner.hpp>
#include <deployphase/state/store.hpp>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output.hpp"
#include "cli/run_support.hpp"

namespace deployphase::cli {
namespace {

struct RollbackCommand {
    RunFlags flags;
    bool dry_run = false;
};

std::string render_rollback_plan(const state::RunState& run, const phase::Phase& phase,
                                 const run::RollbackPlan& plan) {
    std::string out;
    if (plan.order.empty()) {
        out = fmt::format("Run {} of \"{}\" has no rollback script to run; nothing was changed.\n",
                          run.run_id, run.phase);
    } else {
        out = fmt::format("Rolling back run {} of \"{}\" would run, in this order:\n", run.run_id,
                          run.phase);
    }
    std::size_t width = 0;
    for (const state::StepState& step : run.steps)
        width = std::max(width, step.id.size());
    for (std::size_t index : plan.order) {
        const state::StepState& step = run.steps[index - 1];
        out += fmt::format("  {}/{}  {:<{}}  rollback of a step that {}\n", index, run.steps.size(),
                           step.id, width,
                           step.status == state::StepStatus::succeeded
                               ? "succeeded"
                               : fmt::format("is {}", state::step_status_name(step.status)));
    }
    for (std::size_t index : plan.without_script) {
        out += fmt::format("  {}/{}  {:<{}}  succeeded, has no rollback script: left as it is\n",
                           index, run.steps.size(), phase.steps[index - 1].id, width);
    }
    return out;
}

int rollback_command(const RollbackCommand& command, const GlobalOptions& globals) {
    return guarded([&] {
        run::RunOptions options = run_options(command.flags);
        std::shared_ptr<state::StateStore> store = run::store_of(options);
        std::optional<state::RunState> current = run::read_run(*store);
        if (!current) {
            throw state::StateError(fmt::format("{}: error: no run to roll back", store->name()));
        }
        if (current->finished && current->status == state::RunStatus::rolled_back) {
            fmt::print("Run {} of \"{}\" is already rolled back.\n", current->run_id,
                       current->phase);
            return exit_code::ok;
        }
        phase::LoadedPhase loaded = phase::load_phase(current->phase_file);
        print_diagnostics(loaded.warnings);
        run::RollbackPlan plan = run::plan_rollback(loaded.phase, *current);
        if (command.dry_run || (plan.order.empty() && !current->rollback_begun)) {
            // "Nothing to undo" is only true of a run no live runner is adding steps to.
            std::unique_ptr<state::StoreLock> probe;
            if (!command.dry_run && !current->finished) probe = store->lock();
            fmt::print("{}", render_rollback_plan(*current, loaded.phase, plan));
            return exit_code::ok;
        }
        return run_with_reports(
            loaded, options, command.flags, globals.color,
            [&](const run::RunOptions& with_reports, const run::InterruptFlag& interrupt) {
                return run::rollback_run(loaded, with_reports, interrupt);
            },
            true);
    });
}

}  // namespace

void add_rollback_command(CLI::App& app, Action& action, const GlobalOptions& globals) {
    auto command = std::make_shared<RollbackCommand>();
    CLI::App* sub = app.add_subcommand(
        "rollback",
        "Run the rollback scripts of the last run's completed steps, newest first, then the "
        "failed step's");
    add_script_flags(*sub, command->flags);
    sub->add_flag("--dry-run", command->dry_run,
                  "Print which rollback scripts would run, in order; run nothing");
    add_report_flags(*sub, command->flags);
    sub->callback([&action, &globals, command] {
        action = [command, &globals] { return rollback_command(*command, globals); };
    });
}

}  // namespace deployphase::cli
