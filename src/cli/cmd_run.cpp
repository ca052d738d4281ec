#include <fmt/format.h>

#include <deployphase/phase/loader.hpp>
#include <deployphase/plan/plan.hpp>
#include <deployphase/plan/plan_json.hpp>
#include <deployphase/run/recorded_run.hpp>
#include <deployphase/run/runner.hpp>
#include <deployphase/support/json_source.hpp>

#include "cli/commands.hpp"
#include "cli/context_options.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output.hpp"
#include "cli/plan_text.hpp"
#include "cli/run_support.hpp"

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

// --plan FILE: what is about to run must be what the saved plan was made from.
// Secret values are compared masked, as `plan --out` hashed them.
void require_saved_plan_matches(const std::string& file, const phase::LoadedPhase& loaded,
                                const nlohmann::json& masked_context) {
    JsonSource saved = JsonSource::parse(SourceFile::load(file));
    plan::Fingerprint was = plan::read_fingerprint(saved);
    plan::Fingerprint now =
        plan::fingerprint(loaded.phase.source_path, loaded.sha256(), masked_context);
    std::vector<std::string> changes = plan::fingerprint_changes(was, now);
    if (changes.empty()) return;
    throw InputError(saved.error_at(
        "/fingerprint",
        fmt::format("the phase or context no longer matches this saved plan; changed: {}; "
                    "review a new plan before running",
                    fmt::join(changes, ", "))));
}

int run_command(const RunCommand& command, const GlobalOptions& globals) {
    phase::LoadedPhase loaded = phase::load_phase(command.phase);
    print_diagnostics(loaded.warnings);
    nlohmann::json context = command.context.load();
    context::Secrets secrets = command.context.secrets_of(context);
    if (!command.saved_plan.empty())
        require_saved_plan_matches(command.saved_plan, loaded, secrets.mask(context));
    if (command.dry_run) {  // exactly what plan prints; nothing is created or started
        plan::Plan plan = plan::make_plan(loaded.phase, loaded.logic, context, secrets);
        fmt::print("{}", render_plan_text(plan, Style(globals.color, stdout)));
        return exit_code::ok;
    }
    return guarded([&] {
        run::RunOptions options = run_options(command.flags);
        options.restart = command.restart;
        options.secret_keys = command.context.secrets;
        // With --resume the run is locked and read once; a new run takes the lock itself.
        std::optional<run::RecordedRun> recorded =
            command.resume ? run::open_recorded_run_if_any(*run::store_of(options)) : std::nullopt;
        bool resume = recorded && recorded->state.resumable();
        bool done = recorded && run::already_succeeded(recorded->state, loaded, context);
        if (!resume && !done) recorded.reset();
        if (resume) {
            options.context_update =
                context_update(command.context.files, command.context.assignments);
        }
        return run_with_reports(
            loaded, options, command.flags, globals.color,
            [&](const run::RunOptions& with_reports, const run::InterruptFlag& interrupt) {
                if (done) {
                    if (!command.flags.quiet) {
                        fmt::print(command.flags.output == "json" ? stderr : stdout,
                                   "Run {} already succeeded with this phase and context; "
                                   "nothing to do (`run` without --resume starts a new run).\n",
                                   recorded->state.run_id);
                    }
                    return recorded->state;
                }
                return resume
                           ? run::resume_run(std::move(*recorded), loaded, with_reports, interrupt)
                           : run::start_run(loaded, context, with_reports, interrupt);
            });
    });
}

}  // namespace

void add_run_command(CLI::App& app, Action& action, const GlobalOptions& globals) {
    auto command = std::make_shared<RunCommand>();
    CLI::App* sub = app.add_subcommand(
        "run", "Run the phase's steps, recording every transition so the run can be resumed");
    sub->add_option("PHASE", command->phase, "Phase document")->required();
    add_context_options(*sub, command->context);
    add_run_flags(*sub, command->flags);
    add_report_flags(*sub, command->flags);
    sub->add_option("--plan", command->saved_plan,
                    "Refuse to run unless the phase and context still match this plan, saved "
                    "with `plan --out`");
    auto resume = sub->add_flag(
        "--resume", command->resume,
        "Continue the unfinished run in the state directory (--context/--set update its "
        "context); do nothing if the last run succeeded with this phase and context; else "
        "start one");
    add_interrupted_flag(*sub, command->flags)->needs(resume);
    sub->add_flag("--restart", command->restart,
                  "Abandon an unfinished run (kept under history/) and start over")
        ->excludes(resume);
    sub->add_flag("--dry-run", command->dry_run,
                  "Print what plan prints; create no state, log or process");
    sub->callback([&action, &globals, command] {
        action = [command, &globals] { return run_command(*command, globals); };
    });
}

}  // namespace deployphase::cli
