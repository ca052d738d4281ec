#include <fmt/format.h>

#include <deployphase/phase/loader.hpp>
#include <deployphase/plan/plan.hpp>
#include <deployphase/plan/plan_json.hpp>
#include <deployphase/report/plan_text.hpp>
#include <deployphase/run/runner.hpp>
#include <deployphase/support/errors.hpp>
#include <deployphase/support/json_source.hpp>

#include "commands.hpp"
#include "context_options.hpp"
#include "exit_codes.hpp"
#include "next_steps.hpp"
#include "output.hpp"
#include "run_flags.hpp"
#include "run_reports.hpp"

namespace deployphase::cli {
namespace {

struct RunCommand {
    std::string phase;
    ContextOptions context;
    RunFlags flags;
    std::string saved_plan;
    bool resume = false;
    bool restart = false;
    bool dry_run = false;
};

// What the run would do, as it would decide it, read as `status` reads: no lock, no file.
int preview_run(const RunCommand& command, const phase::LoadedPhase& loaded,
                const nlohmann::json& context, const context::Secrets& secrets,
                run::RunOptions& options, const GlobalOptions& globals) {
    std::optional<run::RecordedRun> recorded = run::peek_recorded_run(*run::store_of(options));
    using Action = run::ResumeDecision::Action;
    Action action = Action::start;
    if (recorded && command.resume) action = run::resume_action(*recorded, loaded, context);
    plan::Plan preview;
    if (action == Action::resume) {
        options.context_update =
            run::context_update(command.context.files, command.context.assignments);
        preview = run::preview_resume(*recorded, loaded, options);
    } else if (action == Action::already_succeeded) {
        preview = run::preview_finished(recorded->state, loaded);
    } else {
        if (recorded && !command.restart)  // as start_run refuses
            run::refuse_unfinished(recorded->state, recorded->journal.name(), loaded);
        preview = plan::make_plan(loaded.phase, loaded.logic, context, secrets);
    }
    print_plan(preview, command.flags.report.output, globals.color_mode());
    return exit_code::ok;
}

int run_or_refuse(const RunCommand& command, const GlobalOptions& globals) {
    phase::LoadedPhase loaded = phase::load_phase(command.phase);
    print_diagnostics(loaded.warnings);
    nlohmann::json context = command.context.load();
    context::Secrets secrets = command.context.secrets_of(context);
    if (!command.saved_plan.empty()) {
        // Secret values are compared masked, as `plan --out` hashed them.
        plan::require_saved_plan_matches(
            JsonSource::parse(SourceFile::load(command.saved_plan)),
            plan::fingerprint(loaded.phase.source_path, loaded.sha256(), secrets.mask(context)));
    }
    run::RunOptions options = command.flags.options();
    options.restart = command.restart;
    options.secret_keys = command.context.secrets;
    if (command.dry_run) return preview_run(command, loaded, context, secrets, options, globals);
    // With --resume the run is locked and read once; a new run takes the lock itself.
    run::ResumeDecision decision;
    if (command.resume) decision = run::decide_run_resume(*run::store_of(options), loaded, context);
    using Action = run::ResumeDecision::Action;
    if (decision.action == Action::resume) {
        options.context_update =
            run::context_update(command.context.files, command.context.assignments);
    }
    return run_with_reports(
        loaded, options, command.flags, globals.color_mode(),
        [&](const run::RunOptions& with_reports, const run::InterruptFlag& interrupt) {
            switch (decision.action) {
                case Action::already_succeeded:
                    if (!command.flags.report.quiet) {
                        fmt::print(progress_stream(command.flags.report),
                                   "Run {} already succeeded with this phase and context; "
                                   "nothing to do (`run` without --resume starts a new run).\n",
                                   decision.recorded->state.run_id);
                    }
                    return decision.recorded->state;
                case Action::resume:
                    return run::resume_run(std::move(*decision.recorded), loaded, with_reports,
                                           interrupt);
                case Action::start:
                    break;
            }
            return run::start_run(loaded, context, with_reports, interrupt);
        });
}

// An unfinished run in the way: its message names the next commands with the state flags given.
int run_run(const RunCommand& command, const GlobalOptions& globals) {
    try {
        return run_or_refuse(command, globals);
    } catch (const UnfinishedRun& e) {
        throw StateError(e.where(),
                         describe_unfinished(e.run(), state_arguments(command.flags.state)));
    }
}

}  // namespace

void add_run_command(Command& program, const GlobalOptions& globals) {
    auto options = std::make_shared<RunCommand>();
    Command command = program.subcommand(
        "run", "Run the phase's steps, recording every transition so the run can be resumed");
    command.option("PHASE", options->phase, "Phase document").required();
    add_context_options(command, options->context);
    add_run_flags(command, options->flags);
    add_report_flags(command, options->flags.report);
    command.option("--plan", options->saved_plan,
                   "Refuse to run unless the phase and context still match this plan, saved with "
                   "`plan --out`");
    Flag resume = command.flag(
        "--resume", options->resume,
        "Continue the unfinished run in the state directory (--context/--set update its "
        "context); do nothing if the last run succeeded with this phase and context; else "
        "start one");
    add_interrupted_flag(command, options->flags).needs(resume);
    command
        .flag("--restart", options->restart,
              "Abandon an unfinished run (kept under history/) and start over")
        .excludes(resume);
    command.flag("--dry-run", options->dry_run,
                 "Print what the run would do, as plan does (with --resume: the recorded run's "
                 "finished steps and what is left); create no state, log or process");
    command.action([options, &globals] { return run_run(*options, globals); });
}

}  // namespace deployphase::cli
