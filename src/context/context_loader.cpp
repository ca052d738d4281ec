#include <deployphase/context/context.hpp>

#include <fmt/format.h>

#include <deployphase/support/errors.hpp>
#include <deployphase/support/json_source.hpp>

#include <algorithm>
#include <cmath>

#include "support/text.hpp"
#include "support/utf8.hpp"

namespace deployphase::context {
namespace {

using nlohmann::json;

// A key as an error shows it: printable (invalid UTF-8 replaced) and at most 60 bytes long.
std::string shown_key(std::string_view key) {
    constexpr std::size_t longest = 60;
    return key.size() <= longest ? replace_invalid_utf8(key)
                                 : replace_invalid_utf8(utf8_prefix(key, longest)) + "...";
}

// Names the assignment by its key only: the value may be a secret, and no error here shows
// the value.
[[noreturn]] void assignment_error(std::string_view assignment, std::string message) {
    std::size_t equals = assignment.find('=');
    std::string shown = equals == std::string_view::npos
                            ? shown_key(assignment)
                            : fmt::format("{}=...", shown_key(assignment.substr(0, equals)));
    throw InputError(Diagnostic::error({"--set " + shown, 0, 0}, std::move(message)));
}

// How many levels a dotted key walks: "a.b" is two.
std::size_t levels_of(std::string_view key) {
    return static_cast<std::size_t>(std::count(key.begin(), key.end(), '.')) + 1;
}

// Checks what would make the assignment unrecordable or costly before anything is done with
// it: invalid UTF-8 cannot be written as JSON, and a path deeper than a JSON file may be is
// refused before it is walked.
void check_assignment(std::string_view assignment, std::size_t equals) {
    if (auto bad = first_invalid_utf8(assignment)) {
        assignment_error(assignment,
                         fmt::format("the {} is not valid UTF-8 (byte 0x{:02X} at byte {})",
                                     *bad < equals ? "key" : "value",
                                     static_cast<unsigned char>(assignment[*bad]), *bad + 1));
    }
    std::size_t levels = levels_of(assignment.substr(0, equals));
    if (levels > max_json_depth) {
        assignment_error(assignment, fmt::format("the key is a path of {} levels; at most {} are "
                                                 "allowed, as in a JSON file",
                                                 levels, max_json_depth));
    }
}

// The value as JSON when it is JSON, otherwise the text as a string. A scalar is typed only
// when it prints back exactly as written: `1.10` would become 1.1, and `007`, `1e3`, `+1`,
// ` 2` would each change too, so they stay strings. The key's levels and the value's nesting
// together obey a JSON file's limit: a value nested tens of thousands of levels deep once
// overflowed the stack when it was printed.
json value_of(std::string_view assignment, std::string_view text, std::size_t key_levels) {
    // Parsing deep JSON is safe (the parser and the destructor do not recurse); printing it
    // is not, so the depth is checked before the value goes anywhere.
    json value = json::parse(text, nullptr, false);
    if (value.is_discarded()) return json(std::string(text));
    // check_assignment has kept key_levels within the limit.
    if (json_nests_deeper_than(text, max_json_depth - key_levels)) {
        assignment_error(assignment,
                         fmt::format("the value nests deeper than the {} levels a JSON file may "
                                     "have, counting the key's {}",
                                     max_json_depth, key_levels));
    }
    // 1.0 prints back as written here, but as 1 from most languages a step would read it in.
    bool whole_float =
        value.is_number_float() && std::trunc(value.get<double>()) == value.get<double>();
    if (value.is_primitive() && !value.is_string() && (value.dump() != text || whole_float))
        return json(std::string(text));
    return value;
}

}  // namespace

void deep_merge(json& base, const json& overlay) {
    if (!base.is_object() || !overlay.is_object()) {
        base = overlay;
        return;
    }
    for (const auto& [key, value] : overlay.items()) {
        auto found = base.find(key);
        if (found == base.end()) {
            base[key] = value;
        } else {
            deep_merge(*found, value);
        }
    }
}

void apply_assignment(json& context, std::string_view assignment) {
    std::size_t equals = assignment.find('=');
    if (equals == std::string_view::npos) {
        assignment_error(assignment, "expected KEY=VALUE");
    }
    check_assignment(assignment, equals);
    std::string_view key = assignment.substr(0, equals);
    std::string_view text = assignment.substr(equals + 1);
    if (std::string_view bare = trim(key); !bare.empty() && bare.size() != key.size()) {
        assignment_error(assignment,
                         fmt::format("the key '{}' has blanks around it; write {}=VALUE, with "
                                     "nothing between the key and '='",
                                     shown_key(key), shown_key(bare)));
    }
    if (key.empty() || key.front() == '.' || key.back() == '.' ||
        key.find("..") != std::string_view::npos) {
        assignment_error(assignment, fmt::format("'{}' is not a usable key; use a name or a dotted "
                                                 "path such as change.approved",
                                                 shown_key(key)));
    }
    json value = value_of(assignment, text, levels_of(key));

    json* node = &context;
    std::string walked;
    for (;;) {
        std::size_t dot = key.find('.');
        std::string segment(key.substr(0, dot));
        if (dot == std::string_view::npos) {
            (*node)[segment] = std::move(value);
            return;
        }
        walked += walked.empty() ? segment : "." + segment;
        json& next = (*node)[segment];
        if (next.is_null()) next = json::object();
        if (!next.is_object()) {
            assignment_error(assignment, fmt::format("'{}' is {}, not an object, so it has no keys "
                                                     "to set",
                                                     walked, json_type_name(next)));
        }
        node = &next;
        key.remove_prefix(dot + 1);
    }
}

std::string string_assignment(std::string_view assignment) {
    std::size_t equals = assignment.find('=');
    if (equals == std::string_view::npos) return std::string(assignment);
    std::string_view value = assignment.substr(equals + 1);
    if (first_invalid_utf8(value)) return std::string(assignment);
    return std::string(assignment.substr(0, equals + 1)) + json(std::string(value)).dump();
}

json parse_context_file(SourceFile file) {
    JsonSource source = JsonSource::parse(std::move(file));
    if (!source.value().is_object()) {
        throw InputError(
            source.error_at("", fmt::format("a context file holds a JSON object, not {}",
                                            json_type_name(source.value()))));
    }
    return source.value();
}

json load_context(const std::vector<std::string>& files,
                  const std::vector<std::string>& assignments) {
    json context = json::object();
    for (const std::string& path : files)
        deep_merge(context, parse_context_file(SourceFile::load(path)));
    for (const std::string& assignment : assignments)
        apply_assignment(context, assignment);
    return context;
}

}  // namespace deployphase::context
