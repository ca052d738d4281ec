#include <fmt/format.h>

#include <deployphase/phase/loader.hpp>
#include <deployphase/run/recorded_run.hpp>
#include <deployphase/run/runner.hpp>

#include "cli/commands.hpp"
#include "cli/context_options.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output.hpp"
#include "cli/run_support.hpp"

namespace deployphase::cli {
namespace {

struct ResumeCommand {
    RunFlags flags;
    ContextOptions context;
};

int resume_command(const ResumeCommand& command, const GlobalOptions& globals) {
    return guarded([&] {
        run::RunOptions options = run_options(command.flags);
        options.context_update = context_update(command.context.files, command.context.assignments);
        options.secret_keys = command.context.secrets;
        // Locked and read once: the phase to load is the one the run recorded.
        run::RecordedRun recorded = run::open_recorded_run(*run::store_of(options), "resume");
        phase::LoadedPhase loaded = phase::load_phase(recorded.state.phase_file);
        print_diagnostics(loaded.warnings);
        return run_with_reports(
            loaded, options, command.flags, globals.color,
            [&](const run::RunOptions& with_reports, const run::InterruptFlag& interrupt) {
                return run::resume_run(std::move(recorded), loaded, with_reports, interrupt);
            });
    });
}

}  // namespace

void add_resume_command(CLI::App& app, Action& action, const GlobalOptions& globals) {
    auto command = std::make_shared<ResumeCommand>();
    CLI::App* sub = app.add_subcommand(
        "resume", "Continue the unfinished run: completed steps are not run again");
    add_context_options(*sub, command->context);
    add_run_flags(*sub, command->flags);
    add_interrupted_flag(*sub, command->flags);
    add_report_flags(*sub, command->flags);
    sub->callback([&action, &globals, command] {
        action = [command, &globals] { return resume_command(*command, globals); };
    });
}

}  // namespace deployphase::cli
