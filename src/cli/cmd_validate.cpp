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
};

// Every phase is read, valid or not, so one command reports them all.
int run_validate(const ValidateCommand& options) {
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

void add_validate_command(Command& program, const GlobalOptions&) {
    auto options = std::make_shared<ValidateCommand>();
    Command command = program.subcommand(
        "validate", "Check phase documents; print warnings; exit 2 if any is invalid");
    command.option("PHASE", options->phases, "Phase document (.md, or .json for the JSON form)")
        .required();
    command.action([options] { return run_validate(*options); });
}

}  // namespace deployphase::cli
