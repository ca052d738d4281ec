#include <fmt/format.h>

#include <deployphase/phase/loader.hpp>
#include <deployphase/run/runner.hpp>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output.hpp"
#include "cli/run_support.hpp"

namespace deployphase::cli {
namespace {

int resume_command(const RunFlags& flags) {
    return guarded([&] {
        run::RunOptions options = run_options(flags);
        std::optional<state::RunState> current = run::read_run(options.state_dir);
        if (!current) {
            throw state::StateError(
                fmt::format("{}: error: no run to resume", options.state_dir.string()));
        }
        phase::LoadedPhase loaded = phase::load_phase(current->phase_file);
        print_diagnostics(loaded.warnings);
        const run::InterruptFlag& interrupt = install_interrupt_handlers();
        state::RunState result = run::resume_run(loaded, options, interrupt);
        fmt::print("{}", render_run_state(result));
        return exit_code_for(result, interrupt.load());
    });
}

}  // namespace

void add_resume_command(CLI::App& app, Action& action, const GlobalOptions&) {
    auto flags = std::make_shared<RunFlags>();
    CLI::App* sub = app.add_subcommand(
        "resume", "Continue the unfinished run: completed steps are not run again");
    add_run_flags(*sub, *flags);
    sub->callback([&action, flags] { action = [flags] { return resume_command(*flags); }; });
}

}  // namespace deployphase::cli
