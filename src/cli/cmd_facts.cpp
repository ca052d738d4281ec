#include <fmt/format.h>

#include <deployphase/phase/loader.hpp>
#include <deployphase/plan/plan.hpp>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output.hpp"

namespace deployphase::cli {
namespace {

struct FactsOptions {
    std::string phase;
    std::string output = "text";
};

int run_facts(const FactsOptions& options) {
    phase::LoadedPhase loaded = phase::load_phase(options.phase);
    print_diagnostics(loaded.warnings);
    std::vector<plan::FactEntry> facts = plan::fact_inventory(loaded.phase, loaded.logic);
    if (options.output == "json") {
        nlohmann::ordered_json out = nlohmann::ordered_json::array();
        for (const auto& fact : facts) {
            nlohmann::ordered_json uses = nlohmann::ordered_json::array();
            for (const auto& use : fact.uses) {
                uses.push_back({{"call", use.call},
                                {"in", use.in},
                                {"file", use.where.file},
                                {"line", use.where.line},
                                {"column", use.where.column}});
            }
            out.push_back({{"key", fact.key},
                           {"kind", fact.kind},
                           {"also_accepts", fact.exact_key.empty() || fact.exact_key == fact.key
                                                ? nlohmann::ordered_json()
                                                : nlohmann::ordered_json(fact.exact_key)},
                           {"uses", std::move(uses)}});
        }
        fmt::print("{}\n", out.dump(2));
        return exit_code::ok;
    }
    for (const auto& fact : facts) {
        fmt::print("{}", fact.key);
        if (!fact.exact_key.empty() && fact.exact_key != fact.key) {
            fmt::print("  (or the key {})", fact.exact_key);
        }
        fmt::print("\n");
        for (const auto& use : fact.uses) {
            fmt::print("    {}  at {}:{}:{} in {}\n", use.call, use.where.file, use.where.line,
                       use.where.column, use.in);
        }
    }
    return exit_code::ok;
}

}  // namespace

void add_facts_command(CLI::App& app, Action& action, const GlobalOptions&) {
    auto options = std::make_shared<FactsOptions>();
    CLI::App* command = app.add_subcommand(
        "facts", "List every context key the phase can read, and where it reads each");
    command->add_option("PHASE", options->phase, "Phase document")->required();
    command->add_option("-o,--output", options->output, "Output format")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    command->callback([&action, options] { action = [options] { return run_facts(*options); }; });
}

}  // namespace deployphase::cli
