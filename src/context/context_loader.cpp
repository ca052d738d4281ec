#include <deployphase/context/context.hpp>

#include <fmt/format.h>

#include <deployphase/support/errors.hpp>
#include <deployphase/support/json_source.hpp>

namespace deployphase::context {
namespace {

using nlohmann::json;

// Names the assignment by its key only: the value may be a secret, and no error here is
// about the value.
[[noreturn]] void assignment_error(std::string_view assignment, std::string message) {
    std::size_t equals = assignment.find('=');
    std::string shown = equals == std::string_view::npos
                            ? std::string(assignment)
                            : fmt::format("{}=...", assignment.substr(0, equals));
    throw InputError(Diagnostic::error({"--set " + shown, 0, 0}, std::move(message)));
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
    std::string_view key = assignment.substr(0, equals);
    std::string_view text = assignment.substr(equals + 1);
    if (key.empty() || key.front() == '.' || key.back() == '.' ||
        key.find("..") != std::string_view::npos) {
        assignment_error(assignment, fmt::format("'{}' is not a usable key; use a name or a dotted "
                                                 "path such as change.approved",
                                                 key));
    }
    json value = json::accept(text) ? json::parse(text) : json(std::string(text));

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
