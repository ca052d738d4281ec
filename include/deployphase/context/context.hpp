#pragma once
// The context a phase is evaluated against: JSON files merged in order, then --set values.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/support/source_file.hpp>

namespace deployphase::context {

// Merges `overlay` into `base`: objects key by key, recursively; anything else replaces.
void deep_merge(nlohmann::json& base, const nlohmann::json& overlay);

// Applies one `KEY=VALUE` (KEY may be a dotted path; VALUE is JSON when it parses as JSON,
// otherwise a string). Throws InputError naming the key when the assignment is malformed, is
// not valid UTF-8, has a path of more than max_json_depth levels, or runs through a value
// that is not an object.
void apply_assignment(nlohmann::json& context, std::string_view assignment);

// KEY=VALUE rewritten so that apply_assignment() reads VALUE as the string it is, whatever it
// looks like (--set-string): VALUE becomes a JSON string literal. Text without '=', or with a
// value that is not UTF-8, is returned as it is, for apply_assignment() to refuse.
std::string string_assignment(std::string_view assignment);

// One context file's JSON object. Throws InputError with FILE:LINE:COL when it is not valid
// JSON, not an object, repeats a key or nests more than 100 levels.
nlohmann::json parse_context_file(SourceFile file);

// Loads and merges every file (each must hold a JSON object), then applies every assignment.
// Throws InputError with FILE:LINE:COL for files that are not valid JSON objects.
nlohmann::json load_context(const std::vector<std::string>& files,
                            const std::vector<std::string>& assignments);

}  // namespace deployphase::context
