#include <deployphase/phase/loader.hpp>
#include <deployphase/run/recorded_run.hpp>
#include <deployphase/run/runner.hpp>
#include <deployphase/support/errors.hpp>

#include "commands.hpp"
#include "context_options.hpp"
#include "exit_codes.hpp"
#include "output.hpp"
#include "run_flags.hpp"
#include "run_reports.hpp"

namespace deployphase::cli {
namespace {

struct ResumeCommand {
    RunFlags flags;
    ContextOptions context;
    bool dry_run = false;
};

int run_resume(const ResumeCommand& command, const GlobalOptions& globals) {
    run::RunOptions options = command.flags.options();
    options.context_update =
        run::context_update(command.context.files, command.context.assignments);
    options.secret_keys = command.context.secrets;
    if (command.dry_run) {  // read as `status` reads: no lock, nothing written
        std::optional<run::RecordedRun> peeked = run::peek_recorded_run(*run::store_of(options));
        if (!peeked) throw StateError(run::store_of(options)->name(), "no run to resume");
        phase::LoadedPhase loaded = phase::load_phase(peeked->state.phase_file);
        print_diagnostics(loaded.warnings);
        print_plan(run::preview_resume(*peeked, loaded, options), command.flags.report.output,
                   globals.color_mode());
        return exit_code::ok;
    }
    // Locked and read once: the phase to load is the one the run recorded.
    run::RecordedRun recorded = run::open_recorded_run(*run::store_of(options), "resume");
    phase::LoadedPhase loaded = phase::load_phase(recorded.state.phase_file);
    print_diagnostics(loaded.warnings);
    return run_with_reports(
        loaded, options, command.flags, globals.color_mode(),
        [&](const run::RunOptions& with_reports, const run::InterruptFlag& interrupt) {
            return run::resume_run(std::move(recorded), loaded, with_reports, interrupt);
        });
}

}  // namespace

void add_resume_command(Command& program, const GlobalOptions& globals) {
    auto options = std::make_shared<ResumeCommand>();
    Command command = program.subcommand(
        "resume", "Continue the unfinished run: completed steps are not run again");
    add_context_options(command, options->context);
    add_run_flags(command, options->flags);
    add_interrupted_flag(command, options->flags);
    add_report_flags(command, options->flags.report);
    command.flag("--dry-run", options->dry_run,
                 "Print what the resume would do: finished steps as recorded, then what is left; "
                 "run and record nothing");
    command.action([options, &globals] { return run_resume(*options, globals); });
}

}  // namespace deployphase::cli
