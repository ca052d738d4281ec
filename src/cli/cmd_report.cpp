#include <fmt/format.h>

#include <deployphase/phase/loader.hpp>
#include <deployphase/report/report.hpp>
#include <deployphase/run/runner.hpp>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output.hpp"
#include "cli/run_support.hpp"

namespace deployphase::cli {
namespace {

struct ReportCommand {
    StateFlags state;
    std::string format = "md";
};

int report_command(const ReportCommand& command) {
    return guarded([&] {
        state::RunState run = last_run(*open_store(command.state));
        phase::LoadedPhase loaded = phase::load_phase(run.phase_file);
        print_diagnostics(loaded.warnings);
        if (command.format == "json") {
            fmt::print("{}\n", report::report_json(loaded.phase, loaded.sha256(), run).dump(2));
        } else {
            fmt::print("{}", report::report_markdown(loaded.phase, loaded.sha256(), run));
        }
        return exit_code::ok;
    });
}

}  // namespace

void add_report_command(CLI::App& app, Action& action, const GlobalOptions&) {
    auto command = std::make_shared<ReportCommand>();
    CLI::App* sub = app.add_subcommand(
        "report",
        "The post-deployment report of the last run: steps, outputs, and the success criteria");
    add_state_flags(*sub, command->state);
    sub->add_option("--format", command->format, "Markdown or JSON")
        ->check(CLI::IsMember({"md", "json"}))
        ->capture_default_str();
    sub->callback([&action, command] { action = [command] { return report_command(*command); }; });
}

}  // namespace deployphase::cli
