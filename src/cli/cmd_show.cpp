#include <fmt/format.h>

#include <algorithm>

#include <deployphase/phase/json_form.hpp>
#include <deployphase/phase/loader.hpp>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output.hpp"

namespace deployphase::cli {
namespace {

struct ShowOptions {
    std::string phase;
    std::string output = "text";
};

// Prefixes every non-empty line, so blank lines stay blank.
std::string indent(std::string_view text, std::string_view prefix) {
    std::string out;
    bool at_line_start = true;
    for (char c : text) {
        if (at_line_start && c != '\n') out += prefix;
        out += c;
        at_line_start = c == '\n';
    }
    return out;
}

// "run: sh, timeout 10m, 2 retries 5s apart", then the script, indented.
void print_script(std::string_view role, const std::optional<phase::Script>& script,
                  unsigned retries, std::chrono::milliseconds retry_delay) {
    if (!script) return;
    std::string details = script->shell;
    if (script->timeout) details += ", timeout " + phase::format_duration(*script->timeout);
    if (retries > 0) {
        details += fmt::format(", {} retr{} {} apart", retries, retries == 1 ? "y" : "ies",
                               phase::format_duration(retry_delay));
    }
    fmt::print("      {}: {}\n{}", role, details, indent(script->source, "        $ "));
}

void print_text(const phase::Phase& p) {
    bool has_scripts = std::any_of(p.steps.begin(), p.steps.end(),
                                   [](const phase::Step& s) { return s.run.has_value(); });
    fmt::print("Phase: {}\n", p.name);
    fmt::print("File:  {}\n", p.source_path);
    if (!p.summary.empty()) fmt::print("\n{}\n", indent(p.summary, "  "));
    fmt::print("\nSteps ({}, {} guarded):\n", p.steps.size(), p.guarded_step_count());
    for (const phase::Step& step : p.steps) {
        fmt::print("  {:>2}. {}\n", step.index, step.id);
        if (!step.description.empty()) fmt::print("      {}\n", step.description);
        if (step.guard) fmt::print("      runs if: {}\n", step.guard->condition);
        for (const std::string& note : step.annotations)
            fmt::print("      note: {}\n", note);
        print_script("run", step.run, step.retries, step.retry_delay);
        print_script("rollback", step.rollback, 0, {});
        print_script("check", step.check, 0, {});
        if (!step.run && has_scripts) fmt::print("      manual: the operator confirms it\n");
    }
    if (p.validation) {
        fmt::print("\nValidation logic ({}, line {}):\n{}",
                   p.validation->language.empty() ? "no language" : p.validation->language,
                   p.validation->where.line, indent(p.validation->source, "  "));
        if (!p.validation->source.ends_with('\n')) fmt::print("\n");
    } else {
        fmt::print("\nValidation logic: none (the phase always runs)\n");
    }
    for (const phase::Section& section : p.sections) {
        fmt::print("\n{}{}:\n", section.title,
                   section.kind == phase::SectionKind::other
                       ? ""
                       : fmt::format(" [{}]", phase::section_kind_name(section.kind)));
        if (!section.text.empty()) fmt::print("{}\n", indent(section.text, "  "));
        for (const std::string& item : section.items)
            fmt::print("{}\n", indent("- " + item, "  "));
    }
}

int show(const ShowOptions& options) {
    phase::LoadedPhase loaded = phase::load_phase(options.phase);
    print_diagnostics(loaded.warnings);
    if (options.output == "json") {
        fmt::print("{}\n", phase::phase_to_json(loaded.phase).dump(2));
    } else {
        print_text(loaded.phase);
    }
    return exit_code::ok;
}

}  // namespace

void add_show_command(CLI::App& app, Action& action, const GlobalOptions&) {
    auto options = std::make_shared<ShowOptions>();
    CLI::App* command =
        app.add_subcommand("show", "Print the phase as deployphase reads it (text or JSON)");
    command->add_option("PHASE", options->phase, "Phase document (.md, or .json for the JSON form)")
        ->required();
    command->add_option("-o,--output", options->output, "Output format")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    command->callback([&action, options] { action = [options] { return show(*options); }; });
}

}  // namespace deployphase::cli
