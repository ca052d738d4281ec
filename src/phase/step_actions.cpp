#include "phase/step_actions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

#include <deployphase/support/spelling.hpp>

#include "support/text.hpp"

namespace deployphase::phase {
namespace {

struct Attribute {
    std::string key;
    std::string value;
    std::string text;  // as written, to find its column
};

struct InfoString {
    std::string shell;       // lower case
    std::string first_word;  // as written
    std::vector<Attribute> attributes;
};

// The info string's words, split on whitespace as `std::isspace` knows it.
constexpr std::string_view whitespace = " \t\n\v\f\r";

// The next word of `rest`, consumed from it; empty when none is left.
std::string_view next_word(std::string_view& rest) {
    std::size_t start = rest.find_first_not_of(whitespace);
    if (start == std::string_view::npos) {
        rest = {};
        return {};
    }
    rest.remove_prefix(start);
    std::string_view word = rest.substr(0, rest.find_first_of(whitespace));
    rest.remove_prefix(word.size());
    return word;
}

std::string_view fence_info(cmark_node* block) {
    const char* info = cmark_node_get_fence_info(block);
    return info ? info : "";
}

InfoString parse_info(cmark_node* block) {
    std::string_view rest = fence_info(block);
    InfoString parsed;
    parsed.first_word = std::string(next_word(rest));
    parsed.shell = ascii_lower(parsed.first_word);
    for (std::string_view word = next_word(rest); !word.empty(); word = next_word(rest)) {
        std::size_t equals = word.find('=');
        parsed.attributes.push_back(
            {std::string(word.substr(0, equals)),
             equals == std::string_view::npos ? "" : std::string(word.substr(equals + 1)),
             std::string(word)});
    }
    return parsed;
}

bool is_shell(std::string_view word) {
    std::string lower = ascii_lower(word);
    return lower == "sh" || lower == "bash";
}

bool names_an_action(const InfoString& info) {
    return is_shell(info.shell) && !info.attributes.empty();
}

bool is_role(std::string_view key) {
    return key == "step" || key == "rollback" || key == "check";
}

// The step=, rollback= or check= of a block deployphase does not run: ```shell step=build,
// ```zsh rollback=2, or ``` step=build with no language. Read as prose, it would leave the step
// manual without a word, so it is an error.
std::optional<Attribute> role_in_unrun_block(const InfoString& info) {
    if (std::size_t equals = info.first_word.find('='); equals != std::string::npos) {
        const std::string& word = info.first_word;
        Attribute first{word.substr(0, equals), word.substr(equals + 1), word};
        if (is_role(first.key)) return first;
    }
    for (const Attribute& attribute : info.attributes) {
        if (is_role(attribute.key)) return attribute;
    }
    return std::nullopt;
}

class ActionReader {
  public:
    ActionReader(const SourceFile& source, Phase& phase, DiagnosticSink& sink)
        : m_source(source), m_phase(phase), m_sink(sink) {
        // Looked up once per block: a scan of every step per block is quadratic.
        for (std::size_t i = 0; i < m_phase.steps.size(); ++i)
            m_by_id[m_phase.steps[i].id].push_back(i);
    }

    void read(cmark_node* block, const InfoString& info) {
        m_line = static_cast<std::size_t>(cmark_node_get_start_line(block));
        m_column = static_cast<std::size_t>(cmark_node_get_start_column(block));

        std::map<std::string, const Attribute*> by_key;
        bool ok = true;
        for (const Attribute& attribute : info.attributes) {
            static const char* const known[] = {"step",    "rollback",    "check", "timeout",
                                                "retries", "retry-delay", "needs", "outputs"};
            bool is_known = false;
            for (const char* name : known)
                is_known = is_known || attribute.key == name;
            if (!is_known) {
                std::optional<std::string> meant = closest_spelling(
                    attribute.key, std::vector<std::string>(std::begin(known), std::end(known)));
                error(attribute,
                      fmt::format("unknown attribute \"{}\"; {}a script block takes step=, "
                                  "rollback=, check=, timeout=, retries=, retry-delay=, needs= "
                                  "and outputs=",
                                  attribute.key,
                                  meant ? fmt::format("did you mean {}=? ", *meant) : ""));
                ok = false;
            } else if (attribute.text.find('=') == std::string::npos || attribute.value.empty()) {
                error(attribute, fmt::format("\"{}\" needs a value, as in {}=...", attribute.key,
                                             attribute.key));
                ok = false;
            } else if (!by_key.emplace(attribute.key, &attribute).second) {
                error(attribute, fmt::format("\"{}\" is given twice", attribute.key));
                ok = false;
            }
        }
        if (!ok) return;

        std::vector<const Attribute*> roles;
        for (const char* role : {"step", "rollback", "check"}) {
            if (by_key.count(role)) roles.push_back(by_key[role]);
        }
        if (roles.empty()) {
            error_at_fence(
                "a script block needs step=ID, rollback=ID or check=ID to say which "
                "step it belongs to");
            return;
        }
        if (roles.size() > 1) {
            error(*roles[1],
                  fmt::format("a block binds one script; it already has {}=", roles[0]->key));
            return;
        }
        const Attribute& role = *roles.front();
        for (const char* only_for_step : {"retries", "retry-delay", "outputs"}) {
            if (by_key.count(only_for_step) && role.key != "step") {
                error(*by_key[only_for_step],
                      fmt::format("{}= applies to step= blocks only", only_for_step));
                ok = false;
            }
        }

        Script script{info.shell, literal(block), std::nullopt, m_source.at(m_line, m_column)};
        if (script.source.find_first_not_of(" \t\r\n") == std::string::npos) {
            error_at_fence("the script is empty; write `true` for a step that does nothing");
            ok = false;
        }
        if (by_key.count("timeout")) {
            script.timeout = duration(*by_key["timeout"]);
            if (script.timeout && script.timeout->count() == 0) {
                error(*by_key["timeout"], "timeout must be more than 0");
                script.timeout.reset();
                ok = false;
            }
            ok = ok && script.timeout.has_value();
        }
        std::optional<unsigned> retries;
        if (by_key.count("retries")) {
            const Attribute& attribute = *by_key["retries"];
            if (attribute.value.size() <= 3 &&
                attribute.value.find_first_not_of("0123456789") == std::string::npos &&
                std::stoul(attribute.value) <= 100) {
                retries = static_cast<unsigned>(std::stoul(attribute.value));
            } else {
                error(attribute, fmt::format("retries must be a whole number from 0 to 100, not "
                                             "\"{}\"",
                                             attribute.value));
                ok = false;
            }
        }
        std::optional<std::chrono::milliseconds> retry_delay;
        if (by_key.count("retry-delay")) {
            retry_delay = duration(*by_key["retry-delay"]);
            ok = ok && retry_delay.has_value();
        }

        std::vector<std::string> needs = key_list(by_key, "needs", ok);
        std::vector<std::string> outputs = key_list(by_key, "outputs", ok);

        Step* step = target(role);
        if (!step || !ok) return;
        std::optional<Script>& slot = role.key == "step"       ? step->run
                                      : role.key == "rollback" ? step->rollback
                                                               : step->check;
        if (slot) {
            error(role,
                  fmt::format("step {} ({}) already has a {} script, from line {}", step->index,
                              step->id, role.key == "step" ? "run" : role.key, slot->where.line));
            return;
        }
        slot = std::move(script);
        add_keys(step->needs, needs);
        add_keys(step->outputs, outputs);
        if (retries) step->retries = *retries;
        if (retry_delay) step->retry_delay = *retry_delay;
    }

    void refuse_language(cmark_node* block, const InfoString& info, const Attribute& role) {
        m_line = static_cast<std::size_t>(cmark_node_get_start_line(block));
        m_column = static_cast<std::size_t>(cmark_node_get_start_column(block));
        if (role.text == info.first_word) {
            error(role, fmt::format("a script block names its shell first, as in ```sh {}; "
                                    "deployphase runs sh and bash",
                                    role.text));
        } else {
            error(role, fmt::format("deployphase runs sh and bash blocks, not \"{}\"; write "
                                    "```sh {} (or ```bash), or the step stays manual",
                                    info.first_word, role.text));
        }
    }

  private:
    static std::string literal(cmark_node* block) {
        const char* text = cmark_node_get_literal(block);
        return text ? text : "";
    }

    // needs=a,b.c: the keys of a needs= or outputs= attribute, each checked.
    std::vector<std::string> key_list(std::map<std::string, const Attribute*>& by_key,
                                      const char* name, bool& ok) {
        std::vector<std::string> keys;
        if (!by_key.count(name)) return keys;
        const Attribute& attribute = *by_key[name];
        std::string_view rest = attribute.value;
        while (true) {
            std::string_view key = rest.substr(0, rest.find(','));
            if (!is_declarable_key(key)) {
                error(attribute, fmt::format("{}=: \"{}\" is not a context key; write keys "
                                             "separated by commas, as in {}=deploy_target,"
                                             "release.version",
                                             name, key, name));
                ok = false;
                return {};
            }
            keys.emplace_back(key);
            if (key.size() == rest.size()) break;
            rest.remove_prefix(key.size() + 1);
        }
        return keys;
    }

    static void add_keys(std::vector<std::string>& into, const std::vector<std::string>& keys) {
        for (const std::string& key : keys) {
            if (std::find(into.begin(), into.end(), key) == into.end()) into.push_back(key);
        }
    }

    // The attribute's column on the fence line.
    void error(const Attribute& attribute, std::string message) {
        std::string_view line = m_source.line(m_line);
        std::size_t found = line.find(attribute.text, m_column - 1);
        m_source.error(m_sink, m_line, found == std::string_view::npos ? m_column : found + 1,
                       std::move(message));
    }
    void error_at_fence(std::string message) {
        m_source.error(m_sink, m_line, m_column, std::move(message));
    }

    std::optional<std::chrono::milliseconds> duration(const Attribute& attribute) {
        auto parsed = parse_duration(attribute.value);
        if (!parsed) {
            error(attribute, fmt::format("invalid duration \"{}\"; use a whole number with ms, s, "
                                         "m or h, as in 10m",
                                         attribute.value));
        }
        return parsed;
    }

    // step=3 names the third step; step=deploy names the one step with that id.
    Step* target(const Attribute& role) {
        const std::string& ref = role.value;
        if (ref.find_first_not_of("0123456789") == std::string::npos) {
            std::size_t index = ref.size() > 9 ? 0 : std::stoul(ref);
            if (index == 0 || index > m_phase.steps.size()) {
                error(role, fmt::format("{}={}: this phase has steps 1 to {}", role.key, ref,
                                        m_phase.steps.size()));
                return nullptr;
            }
            return &m_phase.steps[index - 1];
        }
        auto found = m_by_id.find(ref);
        std::vector<Step*> matches;
        if (found != m_by_id.end()) {
            for (std::size_t i : found->second)
                matches.push_back(&m_phase.steps[i]);
        }
        if (matches.empty()) {
            error(role, fmt::format("{}={}: no step \"{}\" in this phase", role.key, ref, ref));
            return nullptr;
        }
        if (matches.size() > 1) {
            error(role, fmt::format("{}={}: the id names steps {} and {}; use the index, as in "
                                    "{}={}",
                                    role.key, ref, matches[0]->index, matches[1]->index, role.key,
                                    matches[1]->index));
            return nullptr;
        }
        return matches.front();
    }

    const SourceFile& m_source;
    Phase& m_phase;
    DiagnosticSink& m_sink;
    std::unordered_map<std::string, std::vector<std::size_t>> m_by_id;  // step id -> positions
    std::size_t m_line = 0;
    std::size_t m_column = 0;
};

}  // namespace

bool is_action_block(cmark_node* block) {
    // Asked of every code block while the document is read: looks at the words, builds nothing.
    if (cmark_node_get_type(block) != CMARK_NODE_CODE_BLOCK) return false;
    std::string_view rest = fence_info(block);
    return is_shell(next_word(rest)) && !next_word(rest).empty();
}

void read_step_actions(cmark_node* document, const SourceFile& source, Phase& phase,
                       DiagnosticSink& sink) {
    ActionReader reader(source, phase, sink);
    std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> iter(cmark_iter_new(document),
                                                                 cmark_iter_free);
    for (cmark_event_type event; (event = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE;) {
        cmark_node* node = cmark_iter_get_node(iter.get());
        if (event != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_CODE_BLOCK)
            continue;
        InfoString info = parse_info(node);
        if (names_an_action(info)) {
            reader.read(node, info);
        } else if (!is_shell(info.shell)) {
            if (std::optional<Attribute> role = role_in_unrun_block(info))
                reader.refuse_language(node, info, *role);
        }
    }
}

}  // namespace deployphase::phase
