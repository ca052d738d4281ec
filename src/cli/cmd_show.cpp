#include <fmt/format.h>

#include <deployphase/phase/json_form.hpp>
#include <deployphase/phase/loader.hpp>
#include <deployphase/report/phase_text.hpp>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "output.hpp"

namespace deployphase::cli {
namespace {

struct ShowCommand {
    std::string phase;
    std::string output = "text";
};

int run_show(const ShowCommand& options) {
    phase::LoadedPhase loaded = phase::load_phase(options.phase);
    print_diagnostics(loaded.warnings);
    if (options.output == "json") {
        fmt::print("{}\n", phase::phase_to_json(loaded.phase).dump(2));
    } else {
        fmt::print("{}", report::render_phase_text(loaded.phase, loaded.logic));
    }
    return exit_code::ok;
}

}  // namespace

void add_show_command(Command& program, const GlobalOptions&) {
    auto options = std::make_shared<ShowCommand>();
    Command command =
        program.subcommand("show", "Print the phase as deployphase reads it (text or JSON)");
    command.option("PHASE", options->phase, "Phase document (.md, or .json for the JSON form)")
        .required();
    command.option("-o,--output", options->output, "Output format")
        .one_of({"text", "json"})
        .show_default();
    command.action([options] { return run_show(*options); });
}

}  // namespace deployphase::cli
