#include <fmt/format.h>

#include <deployphase/phase/loader.hpp>
#include <deployphase/report/report.hpp>
#include <deployphase/run/runner.hpp>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "output.hpp"
#include "run_flags.hpp"

namespace deployphase::cli {
namespace {

struct ReportCommand {
    StateFlags state;
    std::string format = "md";
    std::string run_id;
};

int run_report(const ReportCommand& options) {
    std::shared_ptr<state::StateStore> store = options.state.open();
    state::RunState run =
        options.run_id.empty() ? run::last_run(*store) : run::find_run(*store, options.run_id);
    phase::LoadedPhase loaded = phase::load_phase(run.phase_file);
    print_diagnostics(loaded.warnings);
    if (options.format == "json") {
        fmt::print("{}\n", report::report_json(loaded.phase, loaded.sha256(), run).dump(2));
    } else {
        fmt::print("{}", report::report_markdown(loaded.phase, loaded.sha256(), run));
    }
    return exit_code::ok;
}

}  // namespace

void add_report_command(Command& program, const GlobalOptions&) {
    auto options = std::make_shared<ReportCommand>();
    Command command = program.subcommand(
        "report",
        "The post-deployment report of the last run: steps, outputs, and the success criteria");
    add_state_flags(command, options->state);
    command.option("--run", options->run_id,
                   "Report this run (an id from `deployphase history`, or its start)");
    command.option("-o,--output,--format", options->format, "Markdown (md, or text) or JSON")
        .one_of({"md", "text", "json"})
        .show_default();
    command.action([options] { return run_report(*options); });
}

}  // namespace deployphase::cli
