#include <fmt/format.h>

#include <deployphase/phase/loader.hpp>
#include <deployphase/support/errors.hpp>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "output.hpp"

namespace deployphase::cli {
namespace {

struct ValidateCommand {
    std::vector<std::string> phases;
    bool strict = false;
};

std::string summary(const phase::Phase& phase) {
    std::size_t scripted = phase.scripted_step_count();
    return fmt::format("{} step{} ({} scripted, {} manual), {} guarded{}", phase.steps.size(),
                       phase.steps.size() == 1 ? "" : "s", scripted, phase.steps.size() - scripted,
                       phase.guarded_step_count(),
                       phase.validation ? ", validation logic present" : "");
}

// What each guard reads, so a phrase read as another fact shows before it runs.
void print_guards(const phase::LoadedPhase& loaded) {
    for (std::size_t i = 0; i < loaded.logic.guards.size(); ++i) {
        if (!loaded.logic.guards[i]) continue;
        const phase::Step& step = loaded.phase.steps[i];
        fmt::print("  step {} {}: [if {}] reads {}\n", step.index, step.id,
                   loaded.logic.guards[i]->condition,
                   phase::guard_reads(*loaded.logic.guards[i], loaded.logic.program));
    }
}

// Every phase is read, valid or not, so one command reports them all.
int run_validate(const ValidateCommand& options) {
    int result = exit_code::ok;
    for (const std::string& path : options.phases) {
        try {
            phase::LoadedPhase loaded = phase::load_phase(path);
            if (options.strict && !loaded.warnings.empty()) {
                std::vector<Diagnostic> errors = loaded.warnings;
                for (Diagnostic& d : errors)
                    d.severity = Severity::error;
                print_diagnostics(errors);
                result = exit_code::input_error;
                continue;
            }
            print_diagnostics(loaded.warnings);
            fmt::print("{}: valid phase \"{}\": {}\n", path, loaded.phase.name,
                       summary(loaded.phase));
            print_guards(loaded);
        } catch (const InputError& e) {
            print_diagnostics(e.diagnostics());
            result = exit_code::input_error;
        }
    }
    return result;
}

}  // namespace

void add_validate_command(Command& program, const GlobalOptions&) {
    auto options = std::make_shared<ValidateCommand>();
    Command command = program.subcommand(
        "validate", "Check phase documents; print warnings; exit 2 if any is invalid");
    command.option("PHASE", options->phases, "Phase document (.md, or .json for the JSON form)")
        .required();
    command.flag("--strict", options->strict,
                 "Warnings are errors: a guard phrase that starts with a negation, a repeated "
                 "step id");
    command.action([options] { return run_validate(*options); });
}

}  // namespace deployphase::cli
