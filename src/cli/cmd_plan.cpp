#include <fmt/format.h>

#include <deployphase/phase/loader.hpp>
#include <deployphase/plan/plan.hpp>
#include <deployphase/plan/plan_json.hpp>
#include <deployphase/support/atomic_file.hpp>

#include "cli/commands.hpp"
#include "cli/context_options.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output.hpp"
#include "cli/plan_text.hpp"

namespace deployphase::cli {
namespace {

struct PlanOptions {
    std::string phase;
    ContextOptions context;
    std::string output = "text";
    bool strict = false;
    std::string out_file;
};

// --strict: every fact the plan read must be in the context. Reported at its first mention.
std::vector<Diagnostic> strict_errors(const plan::Plan& plan, const phase::LoadedPhase& loaded) {
    std::vector<Diagnostic> errors;
    for (const plan::FactStatus* fact : plan.missing_used_facts()) {
        errors.push_back(
            {Severity::error, fact->first_use,
             fmt::format("the context has no \"{}\", which the plan reads (--strict)", fact->name),
             std::string(loaded.source->line(fact->first_use.line))});
    }
    return errors;
}

int run_plan(const PlanOptions& options, const GlobalOptions& globals) {
    phase::LoadedPhase loaded = phase::load_phase(options.phase);
    nlohmann::json context = options.context.load();
    context::Secrets secrets = options.context.secrets_of(context);
    plan::Plan plan = plan::make_plan(loaded.phase, loaded.logic, context, secrets);
    print_diagnostics(loaded.warnings);

    if (options.strict) {
        std::vector<Diagnostic> errors = strict_errors(plan, loaded);
        if (!errors.empty()) {
            print_diagnostics(errors);
            std::vector<std::string> unread;
            for (const auto& fact : plan.facts) {
                if (fact.missing && !fact.used) unread.push_back(fact.name);
            }
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
    if (options.output == "json") {
        fmt::print("{}\n", plan::plan_to_json(plan).dump(2));
    } else {
        fmt::print("{}", render_plan_text(plan, Style(globals.color, stdout)));
    }
    return exit_code::ok;
}

}  // namespace

void add_plan_command(CLI::App& app, Action& action, const GlobalOptions& globals) {
    auto options = std::make_shared<PlanOptions>();
    CLI::App* command = app.add_subcommand(
        "plan", "Preview the decision and every step, with reasons; runs and writes nothing");
    command->add_option("PHASE", options->phase, "Phase document")->required();
    add_context_options(*command, options->context);
    command->add_option("-o,--output", options->output, "Output format")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    command->add_flag("--strict", options->strict,
                      "Exit 2 when a fact the plan reads is missing from the context");
    command->add_option("--out", options->out_file,
                        "Also save the plan as JSON with SHA-256 fingerprints of the phase and "
                        "context");
    command->callback([&action, &globals, options] {
        action = [options, &globals] { return run_plan(*options, globals); };
    });
}

}  // namespace deployphase::cli
