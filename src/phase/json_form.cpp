#include <deployphase/phase/json_form.hpp>

#include <algorithm>
#include <initializer_list>

#include <fmt/format.h>

namespace deployphase::phase {
namespace {

using nlohmann::json;

using nlohmann::ordered_json;

ordered_json location_json(const SourceLocation& where) {
    return {{"line", where.line}, {"column", where.column}};
}

// Walks the document with JSON pointers so every complaint lands on its LINE:COL.
class JsonPhaseReader {
  public:
    JsonPhaseReader(const JsonSource& source, DiagnosticSink& sink)
        : m_source(source), m_sink(sink) {}

    Phase read() {
        Phase phase;
        phase.source_path = m_source.file().path();
        const json& root = m_source.value();
        if (!root.is_object()) {
            error("", fmt::format("a JSON phase is an object, not {}", json_type_name(root)));
            return phase;
        }
        allow_keys(root, "", "phase",
                   {"format_version", "name", "title", "summary", "steps", "validation", "sections",
                    "file"});
        read_format_version(root);
        phase.name = string_field(root, "", "name", true).value_or("");
        if (root.contains("name") && root["name"].is_string() && phase.name.empty()) {
            error("/name", "phase name is empty");
        }
        phase.title = string_field(root, "", "title", false).value_or(phase.name);
        phase.summary = string_field(root, "", "summary", false).value_or("");
        read_steps(root, phase);
        read_validation(root, phase);
        read_sections(root, phase);
        return phase;
    }

  private:
    void error(const std::string& pointer, std::string message) {
        m_sink.add(m_source.error_at(pointer, std::move(message)));
    }

    // Positions of strings point inside the quotes, where their text starts.
    SourceLocation text_location(const std::string& pointer) {
        return m_source.file().at_offset(m_source.offset_of(pointer) + 1);
    }

    void allow_keys(const json& object, const std::string& pointer, std::string_view what,
                    std::initializer_list<std::string_view> allowed) {
        for (const auto& [key, value] : object.items()) {
            bool known = false;
            for (std::string_view name : allowed)
                known = known || key == name;
            if (!known) {
                error(pointer + "/" + json_pointer_token(key),
                      fmt::format("unknown key \"{}\" in {}", key, what));
            }
        }
    }

    bool expect(const json& value, const std::string& pointer, std::string_view key,
                json::value_t type, std::string_view wanted) {
        if (value.type() == type) return true;
        error(pointer,
              fmt::format("\"{}\" must be {}, not {}", key, wanted, json_type_name(value)));
        return false;
    }

    std::optional<std::string> string_field(const json& object, const std::string& pointer,
                                            std::string_view key, bool required) {
        std::string k(key);
        if (!object.contains(k)) {
            if (required) error(pointer, fmt::format("missing \"{}\"", key));
            return std::nullopt;
        }
        const json& value = object[k];
        if (!expect(value, pointer + "/" + json_pointer_token(k), key, json::value_t::string,
                    "a string")) {
            return std::nullopt;
        }
        return value.get<std::string>();
    }

    std::vector<std::string> string_list(const json& object, const std::string& pointer,
                                         std::string_view key) {
        std::vector<std::string> out;
        std::string k(key);
        if (!object.contains(k)) return out;
        std::string list_pointer = pointer + "/" + json_pointer_token(k);
        if (!expect(object[k], list_pointer, key, json::value_t::array, "an array of strings")) {
            return out;
        }
        for (std::size_t i = 0; i < object[k].size(); ++i) {
            const json& item = object[k][i];
            if (expect(item, fmt::format("{}/{}", list_pointer, i), key, json::value_t::string,
                       "an array of strings")) {
                out.push_back(item.get<std::string>());
            }
        }
        return out;
    }

    // "needs" or "outputs": context keys, each once.
    std::vector<std::string> key_list(const json& step, const std::string& pointer,
                                      std::string_view key) {
        std::vector<std::string> keys;
        std::vector<std::string> listed = string_list(step, pointer, key);
        for (std::size_t i = 0; i < listed.size(); ++i) {
            if (!is_declarable_key(listed[i])) {
                error(fmt::format("{}/{}/{}", pointer, key, i),
                      fmt::format("\"{}\" is not a context key", listed[i]));
            } else if (std::find(keys.begin(), keys.end(), listed[i]) == keys.end()) {
                keys.push_back(listed[i]);
            }
        }
        return keys;
    }

    void read_format_version(const json& root) {
        if (!root.contains("format_version")) {
            error("", fmt::format("missing \"format_version\"; this deployphase reads version {}",
                                  json_format_version));
            return;
        }
        const json& version = root["format_version"];
        if (!version.is_number_integer() || version.get<long long>() != json_format_version) {
            error("/format_version",
                  fmt::format("unsupported format_version {}; this deployphase reads version {}",
                              version.dump(), json_format_version));
        }
    }

    void read_steps(const json& root, Phase& phase) {
        if (!root.contains("steps")) {
            error("", "missing \"steps\"; a phase needs at least one step");
            return;
        }
        const json& steps = root["steps"];
        if (!expect(steps, "/steps", "steps", json::value_t::array, "an array")) return;
        if (steps.empty()) {
            error("/steps", "\"steps\" is empty; a phase needs at least one step");
            return;
        }
        for (std::size_t i = 0; i < steps.size(); ++i) {
            std::string pointer = fmt::format("/steps/{}", i);
            const json& value = steps[i];
            if (!expect(value, pointer, "steps[]", json::value_t::object, "an object")) continue;
            allow_keys(value, pointer, "step",
                       {"index", "id", "description", "guard", "annotations", "run", "rollback",
                        "check", "retries", "retry_delay", "needs", "outputs", "line", "column"});
            Step step;
            step.index = i + 1;
            step.where = text_location(pointer + "/id");
            auto id = string_field(value, pointer, "id", true);
            if (id) {
                if (auto problem = check_step_id(*id)) {
                    // Exact unless the id is written with JSON escapes.
                    std::size_t offset = m_source.offset_of(pointer + "/id") + 1 + problem->offset;
                    m_sink.add(
                        m_source.file().error_at_offset(offset, std::move(problem->message)));
                }
                step.id = *id;
            }
            step.description = string_field(value, pointer, "description", false).value_or("");
            step.annotations = string_list(value, pointer, "annotations");
            step.guard = read_guard(value, pointer);
            step.run = read_script(value, pointer, "run");
            step.rollback = read_script(value, pointer, "rollback");
            step.check = read_script(value, pointer, "check");
            read_retries(value, pointer, step);
            step.needs = key_list(value, pointer, "needs");
            step.outputs = key_list(value, pointer, "outputs");
            if (!step.outputs.empty() && !step.run)
                error(pointer + "/outputs", "outputs apply to steps with a run script");
            phase.steps.push_back(std::move(step));
        }
    }

    std::optional<std::chrono::milliseconds> duration_field(const json& object,
                                                            const std::string& pointer,
                                                            std::string_view key) {
        if (object.contains(std::string(key)) && object[std::string(key)].is_null()) {
            return std::nullopt;  // written for "none"
        }
        auto text = string_field(object, pointer, key, false);
        if (!text) return std::nullopt;
        auto parsed = parse_duration(*text);
        if (!parsed) {
            error(pointer + "/" + std::string(key),
                  fmt::format("invalid duration \"{}\"; use a whole number with ms, s, m or h, as "
                              "in 10m",
                              *text));
        }
        return parsed;
    }

    std::optional<Script> read_script(const json& step, const std::string& step_pointer,
                                      std::string_view key) {
        std::string k(key);
        if (!step.contains(k) || step[k].is_null()) return std::nullopt;
        std::string pointer = step_pointer + "/" + k;
        if (!expect(step[k], pointer, key, json::value_t::object, "an object or null")) {
            return std::nullopt;
        }
        const json& value = step[k];
        allow_keys(value, pointer, "script", {"shell", "script", "timeout", "line", "column"});
        Script script;
        script.shell = string_field(value, pointer, "shell", false).value_or("sh");
        if (script.shell != "sh" && script.shell != "bash") {
            error(pointer + "/shell",
                  fmt::format("shell must be \"sh\" or \"bash\", not \"{}\"", script.shell));
        }
        script.source = string_field(value, pointer, "script", true).value_or("");
        if (value.contains("script") && value["script"].is_string() &&
            script.source.find_first_not_of(" \t\r\n") == std::string::npos) {
            error(pointer + "/script",
                  "the script is empty; write `true` for a step that does nothing");
        }
        script.timeout = duration_field(value, pointer, "timeout");
        if (script.timeout && script.timeout->count() == 0) {
            error(pointer + "/timeout", "timeout must be more than 0");
        }
        script.where = m_source.location_of(pointer);
        return script;
    }

    void read_retries(const json& step, const std::string& pointer, Step& out) {
        if (step.contains("retries")) {
            const json& retries = step["retries"];
            if (!retries.is_number_integer() || retries.get<long long>() < 0 ||
                retries.get<long long>() > 100) {
                error(pointer + "/retries",
                      fmt::format("retries must be a whole number from 0 to 100, not {}",
                                  retries.dump()));
            } else {
                out.retries = retries.get<unsigned>();
            }
        }
        if (auto delay = duration_field(step, pointer, "retry_delay")) out.retry_delay = *delay;
        if ((out.retries > 0 || out.retry_delay.count() > 0) && !out.run) {
            error(pointer, "retries and retry_delay apply to steps with a run script");
        }
    }

    std::optional<Guard> read_guard(const json& step, const std::string& step_pointer) {
        if (!step.contains("guard") || step["guard"].is_null()) return std::nullopt;
        std::string pointer = step_pointer + "/guard";
        const json& guard = step["guard"];
        if (!expect(guard, pointer, "guard", json::value_t::object, "an object or null")) {
            return std::nullopt;
        }
        allow_keys(guard, pointer, "guard", {"text", "condition", "line", "column"});
        auto condition = string_field(guard, pointer, "condition", true);
        if (!condition) return std::nullopt;
        if (condition->find_first_not_of(" \t\n") == std::string::npos) {
            error(pointer + "/condition", "guard condition is empty");
            return std::nullopt;
        }
        std::string text = string_field(guard, pointer, "text", false).value_or("if " + *condition);
        return Guard{text, *condition, text_location(pointer + "/condition")};
    }

    void read_validation(const json& root, Phase& phase) {
        if (!root.contains("validation") || root["validation"].is_null()) return;
        const json& value = root["validation"];
        if (!expect(value, "/validation", "validation", json::value_t::object,
                    "an object or null")) {
            return;
        }
        allow_keys(value, "/validation", "validation", {"language", "source", "line", "column"});
        ValidationLogic logic;
        logic.language =
            string_field(value, "/validation", "language", false).value_or("javascript");
        if (!is_validation_language(logic.language)) {
            error("/validation/language",
                  fmt::format("validation logic is marked as \"{}\"; expected \"javascript\", "
                              "\"js\" or \"\"",
                              logic.language));
        }
        auto source = string_field(value, "/validation", "source", true);
        if (!source) return;
        logic.source = *source;
        logic.where = text_location("/validation/source");
        phase.validation = std::move(logic);
    }

    void read_sections(const json& root, Phase& phase) {
        if (!root.contains("sections")) return;
        const json& sections = root["sections"];
        if (!expect(sections, "/sections", "sections", json::value_t::array, "an array")) return;
        for (std::size_t i = 0; i < sections.size(); ++i) {
            std::string pointer = fmt::format("/sections/{}", i);
            const json& value = sections[i];
            if (!expect(value, pointer, "sections[]", json::value_t::object, "an object")) continue;
            allow_keys(value, pointer, "section",
                       {"kind", "title", "text", "items", "line", "column"});
            Section section;
            std::string kind = string_field(value, pointer, "kind", false).value_or("other");
            if (auto known = section_kind_from_name(kind)) {
                section.kind = *known;
            } else {
                error(pointer + "/kind", fmt::format("unknown section kind \"{}\"", kind));
            }
            section.title = string_field(value, pointer, "title", true).value_or("");
            section.text = string_field(value, pointer, "text", false).value_or("");
            section.items = string_list(value, pointer, "items");
            section.where = m_source.location_of(pointer);
            phase.sections.push_back(std::move(section));
        }
    }

    const JsonSource& m_source;
    DiagnosticSink& m_sink;
};

ordered_json script_json(const std::optional<Script>& script) {
    if (!script) return nullptr;
    ordered_json out = {
        {"shell", script->shell},
        {"script", script->source},
        {"timeout",
         script->timeout ? ordered_json(format_duration(*script->timeout)) : ordered_json()}};
    out.update(location_json(script->where));
    return out;
}

}  // namespace

nlohmann::ordered_json phase_to_json(const Phase& phase) {
    ordered_json steps = ordered_json::array();
    for (const Step& step : phase.steps) {
        ordered_json guard = nullptr;
        if (step.guard) {
            guard = {{"text", step.guard->text}, {"condition", step.guard->condition}};
            guard.update(location_json(step.guard->where));
        }
        ordered_json entry = {{"index", step.index},
                              {"id", step.id},
                              {"description", step.description},
                              {"guard", guard},
                              {"annotations", step.annotations},
                              {"run", script_json(step.run)},
                              {"rollback", script_json(step.rollback)},
                              {"check", script_json(step.check)},
                              {"retries", step.retries},
                              {"retry_delay", format_duration(step.retry_delay)}};
        // Only when declared: the JSON of a phase without them stays as it was.
        if (!step.needs.empty()) entry["needs"] = step.needs;
        if (!step.outputs.empty()) entry["outputs"] = step.outputs;
        entry.update(location_json(step.where));
        steps.push_back(std::move(entry));
    }
    ordered_json validation = nullptr;
    if (phase.validation) {
        validation = {{"language", phase.validation->language},
                      {"source", phase.validation->source}};
        validation.update(location_json(phase.validation->where));
    }
    ordered_json sections = ordered_json::array();
    for (const Section& section : phase.sections) {
        ordered_json entry = {{"kind", section_kind_name(section.kind)},
                              {"title", section.title},
                              {"text", section.text},
                              {"items", section.items}};
        entry.update(location_json(section.where));
        sections.push_back(std::move(entry));
    }
    return {{"format_version", json_format_version},
            {"file", phase.source_path},
            {"name", phase.name},
            {"title", phase.title},
            {"summary", phase.summary},
            {"steps", std::move(steps)},
            {"validation", std::move(validation)},
            {"sections", std::move(sections)}};
}

Phase read_json_phase(const JsonSource& source, DiagnosticSink& sink) {
    return JsonPhaseReader(source, sink).read();
}

}  // namespace deployphase::phase
