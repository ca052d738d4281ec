#include <fmt/format.h>
#include <fmt/ranges.h>

#include <deployphase/phase/loader.hpp>
#include <deployphase/plan/plan.hpp>
#include <deployphase/plan/plan_json.hpp>
#include <deployphase/report/plan_text.hpp>
#include <deployphase/support/atomic_file.hpp>

#include "commands.hpp"
#include "context_options.hpp"
#include "exit_codes.hpp"
#include "output.hpp"

namespace deployphase::cli {
namespace {

struct PlanCommand {
    std::string phase;
    ContextOptions context;
    std::string output = "text";
    bool strict = false;
    std::string out_file;
};

int run_plan(const PlanCommand& options, const GlobalOptions& globals) {
    if (!options.out_file.empty()) require_writable_output(options.out_file, "--out");
    phase::LoadedPhase loaded = phase::load_phase(options.phase);
    nlohmann::json context = options.context.load();
    context::Secrets secrets = options.context.secrets_of(context);
    plan::Plan plan = plan::make_plan(loaded.phase, loaded.logic, context, secrets);
    print_diagnostics(loaded.warnings);

    if (options.strict) {
        std::vector<Diagnostic> errors = plan::strict_errors(plan, *loaded.source);
        if (!errors.empty()) {
            print_diagnostics(errors);
            std::vector<std::string> unread = plan::missing_unread_facts(plan);
            if (!unread.empty()) {
                fmt::print(stderr, "note: also missing, but never read: {}\n",
                           fmt::join(unread, ", "));
            }
            return exit_code::input_error;
        }
    }

    if (!options.out_file.empty()) {
        // Secret values are neither shown nor hashed: a hash of a short password is as good
        // as the password.
        auto print = plan::fingerprint(options.phase, loaded.sha256(), secrets.mask(context));
        write_file_atomically(options.out_file, plan::plan_to_json(plan, print).dump(2) + "\n");
    }
    print_plan(plan, options.output, globals.color_mode());
    return exit_code::ok;
}

}  // namespace

void add_plan_command(Command& program, const GlobalOptions& globals) {
    auto options = std::make_shared<PlanCommand>();
    Command command = program.subcommand(
        "plan", "Preview the decision and every step, with reasons; runs and writes nothing");
    command.option("PHASE", options->phase, "Phase document").required();
    add_context_options(command, options->context);
    command.option("-o,--output", options->output, "Output format")
        .one_of({"text", "json"})
        .show_default();
    command.flag("--strict", options->strict,
                 "Exit 2 when a fact the plan reads is missing from the context");
    command.option("--out", options->out_file,
                   "Also save the plan as JSON with SHA-256 fingerprints of the phase and "
                   "context");
    command.action([options, &globals] { return run_plan(*options, globals); });
}

}  // namespace deployphase::cli
