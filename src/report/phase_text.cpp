#include <deployphase/report/phase_text.hpp>

#include <algorithm>

#include <fmt/format.h>

namespace deployphase::report {
namespace {

using nlohmann::ordered_json;

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
std::string script_text(std::string_view role, const std::optional<phase::Script>& script,
                        unsigned retries, std::chrono::milliseconds retry_delay) {
    if (!script) return "";
    std::string details = script->shell;
    if (script->timeout) details += ", timeout " + phase::format_duration(*script->timeout);
    if (retries > 0) {
        details += fmt::format(", {} retr{} {} apart", retries, retries == 1 ? "y" : "ies",
                               phase::format_duration(retry_delay));
    }
    return fmt::format("      {}: {}\n{}", role, details, indent(script->source, "        $ "));
}

}  // namespace

std::string render_phase_text(const phase::Phase& p, const phase::PhaseLogic& logic) {
    bool has_scripts = std::any_of(p.steps.begin(), p.steps.end(),
                                   [](const phase::Step& s) { return s.run.has_value(); });
    std::string out = fmt::format("Phase: {}\n", p.name);
    out += fmt::format("File:  {}\n", p.source_path);
    if (!p.summary.empty()) out += fmt::format("\n{}\n", indent(p.summary, "  "));
    out += fmt::format("\nSteps ({}, {} guarded):\n", p.steps.size(), p.guarded_step_count());
    for (std::size_t i = 0; i < p.steps.size(); ++i) {
        const phase::Step& step = p.steps[i];
        out += fmt::format("  {:>2}. {}\n", step.index, step.id);
        if (!step.description.empty()) out += fmt::format("      {}\n", step.description);
        if (step.guard) {
            out += fmt::format("      runs if: {}", step.guard->condition);
            if (i < logic.guards.size() && logic.guards[i])
                out +=
                    fmt::format(" (reads {})", phase::guard_reads(*logic.guards[i], logic.program));
            out += '\n';
        }
        for (const std::string& note : step.annotations)
            out += fmt::format("      note: {}\n", note);
        out += script_text("run", step.run, step.retries, step.retry_delay);
        out += script_text("rollback", step.rollback, 0, {});
        out += script_text("check", step.check, 0, {});
        if (!step.run && has_scripts) out += "      manual: the operator confirms it\n";
    }
    if (p.validation) {
        out += fmt::format("\nValidation logic ({}, line {}):\n{}",
                           p.validation->language.empty() ? "no language" : p.validation->language,
                           p.validation->where.line, indent(p.validation->source, "  "));
        if (!p.validation->source.ends_with('\n')) out += "\n";
    } else {
        out += "\nValidation logic: none (the phase always runs)\n";
    }
    for (const phase::Section& section : p.sections) {
        out += fmt::format("\n{}{}:\n", section.title,
                           section.kind == phase::SectionKind::other
                               ? ""
                               : fmt::format(" [{}]", phase::section_kind_name(section.kind)));
        if (!section.text.empty()) out += fmt::format("{}\n", indent(section.text, "  "));
        for (const std::string& item : section.items)
            out += fmt::format("{}\n", indent("- " + item, "  "));
    }
    return out;
}

std::string render_facts_text(const std::vector<plan::FactEntry>& facts) {
    std::string out;
    for (const plan::FactEntry& fact : facts) {
        out += fact.key;
        if (!fact.exact_key.empty() && fact.exact_key != fact.key) {
            out += fmt::format("  (or the key {})", fact.exact_key);
        }
        out += "\n";
        for (const plan::FactUse& use : fact.uses) {
            out += fmt::format("    {}  at {}:{}:{} in {}\n", use.call, use.where.file,
                               use.where.line, use.where.column, use.in);
        }
    }
    return out;
}

ordered_json facts_json(const std::vector<plan::FactEntry>& facts) {
    ordered_json out = ordered_json::array();
    for (const plan::FactEntry& fact : facts) {
        ordered_json uses = ordered_json::array();
        for (const plan::FactUse& use : fact.uses) {
            uses.push_back({{"call", use.call},
                            {"in", use.in},
                            {"file", use.where.file},
                            {"line", use.where.line},
                            {"column", use.where.column}});
        }
        out.push_back({{"key", fact.key},
                       {"kind", fact.kind},
                       {"also_accepts", fact.exact_key.empty() || fact.exact_key == fact.key
                                            ? ordered_json()
                                            : ordered_json(fact.exact_key)},
                       {"uses", std::move(uses)}});
    }
    return out;
}

}  // namespace deployphase::report
