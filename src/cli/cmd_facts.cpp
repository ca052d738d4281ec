#include <fmt/format.h>

#include <deployphase/phase/loader.hpp>
#include <deployphase/plan/plan.hpp>
#include <deployphase/report/phase_text.hpp>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "output.hpp"

namespace deployphase::cli {
namespace {

struct FactsCommand {
    std::string phase;
    std::string output = "text";
};

int run_facts(const FactsCommand& options) {
    phase::LoadedPhase loaded = phase::load_phase(options.phase);
    print_diagnostics(loaded.warnings);
    std::vector<plan::FactEntry> facts = plan::fact_inventory(loaded.phase, loaded.logic);
    if (options.output == "json") {
        fmt::print("{}\n", report::facts_json(facts).dump(2));
    } else {
        fmt::print("{}", report::render_facts_text(facts));
    }
    return exit_code::ok;
}

}  // namespace

void add_facts_command(Command& program, const GlobalOptions&) {
    auto options = std::make_shared<FactsCommand>();
    Command command = program.subcommand(
        "facts", "List every context key the phase can read, and where it reads each");
    command.option("PHASE", options->phase, "Phase document").required();
    command.option("-o,--output", options->output, "Output format")
        .one_of({"text", "json"})
        .show_default();
    command.action([options] { return run_facts(*options); });
}

}  // namespace deployphase::cli
