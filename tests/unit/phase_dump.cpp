#include "phase_dump.hpp"

#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "test_support.hpp"

namespace deployphase::test {

std::string dump_phase(const phase::Phase& p, Positions positions) {
    auto at = [&](const SourceLocation& where) {
        return positions == Positions::shown ? fmt::format(" @{}:{}", where.line, where.column)
                                             : std::string();
    };
    std::string out = fmt::format("name: {}\ntitle: {}\n", p.name, p.title);
    if (!p.summary.empty()) out += fmt::format("summary: {}\n", p.summary);
    for (const phase::Step& step : p.steps) {
        out += fmt::format("step {} {}{}\n", step.index, step.id, at(step.where));
        if (!step.description.empty()) out += fmt::format("  description: {}\n", step.description);
        if (step.guard) {
            out += fmt::format("  guard: [{}] condition: {}{}\n", step.guard->text,
                               step.guard->condition, at(step.guard->where));
        }
        for (const auto& note : step.annotations)
            out += fmt::format("  annotation: {}\n", note);
        auto script = [&](const char* role, const std::optional<phase::Script>& sc) {
            if (!sc) return;
            out +=
                fmt::format("  {}: {}{}{}\n", role, sc->shell,
                            sc->timeout ? " timeout " + phase::format_duration(*sc->timeout) : "",
                            at(sc->where));
            std::istringstream lines(sc->source);
            for (std::string line; std::getline(lines, line);)
                out += "    $ " + line + "\n";
        };
        script("run", step.run);
        script("rollback", step.rollback);
        script("check", step.check);
        if (step.retries > 0 || step.retry_delay.count() > 0) {
            out += fmt::format("  retries: {} every {}\n", step.retries,
                               phase::format_duration(step.retry_delay));
        }
    }
    if (p.validation) {
        out += fmt::format("validation: {}{}\n",
                           p.validation->language.empty() ? "(none)" : p.validation->language,
                           at(p.validation->where));
        std::istringstream lines(p.validation->source);
        for (std::string line; std::getline(lines, line);)
            out += "  | " + line + "\n";
    }
    for (const phase::Section& section : p.sections) {
        out += fmt::format("section {} \"{}\"{}\n", phase::section_kind_name(section.kind),
                           section.title, at(section.where));
        if (!section.text.empty()) out += fmt::format("  text: {}\n", section.text);
        for (const auto& item : section.items)
            out += fmt::format("  item: {}\n", item);
    }
    return out;
}

std::string dump_diagnostics(const std::vector<Diagnostic>& diagnostics) {
    std::string out;
    for (const Diagnostic& d : diagnostics)
        out += format_diagnostic(d) + "\n";
    return out;
}

std::string read_fixture(const std::string& relative_path) {
    std::filesystem::path path = std::filesystem::path(DEPLOYPHASE_FIXTURES_DIR) / relative_path;
    if (!std::filesystem::exists(path))
        throw std::runtime_error("missing fixture " + path.string());
    return test::read_file(path);
}

}  // namespace deployphase::test
