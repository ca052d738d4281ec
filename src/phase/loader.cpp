#include <deployphase/phase/loader.hpp>

#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include <deployphase/phase/json_form.hpp>
#include <deployphase/phase/markdown_reader.hpp>
#include <deployphase/support/json_source.hpp>

#include <deployphase/support/digest.hpp>

#include "support/text.hpp"

namespace deployphase::phase {
namespace {

bool is_json_path(std::string_view path) {
    if (path.size() < 5) return false;
    return ascii_lower(path.substr(path.size() - 5)) == ".json";
}

}  // namespace

void check_phase(const Phase& phase, const SourceFile& source, DiagnosticSink& sink) {
    std::unordered_map<std::string_view, const Step*> first_by_id;
    first_by_id.reserve(phase.steps.size());
    for (const Step& step : phase.steps) {
        if (step.needs_four_eyes() && step.run) {
            sink.add(Diagnostic{Severity::error, step.where,
                                fmt::format("step {} ({}) is marked [four eyes] but has a step= "
                                            "script; four eyes is for manual steps, which a "
                                            "person confirms",
                                            step.index, step.id),
                                std::string(source.line(step.where.line))});
        }
        auto [existing, inserted] = first_by_id.emplace(step.id, &step);
        if (inserted) continue;
        sink.add(
            Diagnostic{Severity::warning, step.where,
                       fmt::format("step id \"{}\" repeats step {} (line {}); steps are told "
                                   "apart by their position",
                                   step.id, existing->second->index, existing->second->where.line),
                       std::string(source.line(step.where.line))});
    }
}

const std::string& LoadedPhase::sha256() const {
    if (!m_sha256) m_sha256 = sha256_hex(source->original_bytes());
    return *m_sha256;
}

LoadedPhase load_phase(SourceFile source) {
    DiagnosticSink sink;
    LoadedPhase loaded;
    auto read = [&](const SourceFile& file, bool is_json, Phase phase) {
        check_phase(phase, file, sink);
        loaded.logic = phase::compile_phase_logic(phase, file, !is_json, sink);
        loaded.phase = std::move(phase);
    };
    if (is_json_path(source.path())) {
        JsonSource json = JsonSource::parse(std::move(source));
        read(json.file(), true, read_json_phase(json, sink));
        loaded.source = json.file();
    } else {
        read(source, false, read_markdown_phase(source, sink));
        loaded.source = std::move(source);  // a big phase's text is not copied
    }
    sink.throw_if_errors();
    loaded.warnings = sink.warnings();
    return loaded;
}

LoadedPhase load_phase(const std::string& path) {
    return load_phase(SourceFile::load(path));
}

}  // namespace deployphase::phase
