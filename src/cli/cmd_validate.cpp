#include <fmt/format.h>

#include <deployphase/phase/loader.hpp>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output.hpp"

namespace deployphase::cli {
namespace {

struct ValidateOptions {
    std::vector<std::string> phases;
};

int validate(const ValidateOptions& options) {
    int result = exit_code::ok;
    for (const std::string& path : options.phases) {
        try {
            phase::LoadedPhase loaded = phase::load_phase(path);
            print_diagnostics(loaded.warnings);
            fmt::print("{}: valid phase \"{}\": {} steps, {} guarded{}\n", path, loaded.phase.name,
                       loaded.phase.steps.size(), loaded.phase.guarded_step_count(),
                       loaded.phase.validation ? ", validation logic present" : "");
        } catch (const InputError& e) {
            print_diagnostics(e.diagnostics());
            result = exit_code::input_error;
        }
    }
    return result;
}

}  // namespace

void add_validate_command(CLI::App& app, Action& action, const GlobalOptions&) {
    auto options = std::make_shared<ValidateOptions>();
    CLI::App* command = app.add_subcommand(
        "validate", "Check phase documents; print warnings; exit 2 if any is invalid");
    command
        ->add_option("PHASE", options->phases, "Phase document (.md, or .json for the JSON form)")
        ->required();
    command->callback([&action, options] { action = [options] { return validate(*options); }; });
}

}  // namespace deployphase::cli
