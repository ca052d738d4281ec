#include <deployphase/predicate/fact_naming.hpp>

#include "support/text.hpp"

namespace deployphase::predicate {
namespace {

char to_lower(char c) {
    return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::string derived_fact_key(std::string_view name) {
    for (std::string_view prefix : {"is", "has"}) {
        if (name.size() > prefix.size() && name.starts_with(prefix) &&
            is_upper(name[prefix.size()])) {
            name.remove_prefix(prefix.size());
            break;
        }
    }
    std::string key;
    for (std::size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        if (is_upper(c) && i > 0) {
            char before = name[i - 1];
            bool after_lower = i + 1 < name.size() && is_lower(name[i + 1]);
            // A word starts at a capital after a lower-case letter or digit ("codeChanges"), or
            // at the last capital of an acronym that a word follows ("APIKey" -> api_key).
            if (is_lower(before) || is_digit(before) || (is_upper(before) && after_lower)) {
                if (!key.empty() && key.back() != '_') key += '_';
            }
        }
        key += to_lower(c);
    }
    return key;
}

std::string fact_key_for_phrase(std::string_view phrase) {
    std::string key;
    bool pending_separator = false;
    for (char c : phrase) {
        char lower = to_lower(c);
        if (is_lower(lower) || is_digit(lower)) {
            if (pending_separator && !key.empty()) key += '_';
            pending_separator = false;
            key += lower;
        } else {
            pending_separator = true;
        }
    }
    return key;
}

bool is_expression_guard(std::string_view condition) {
    return condition.find('(') != std::string_view::npos ||
           condition.find('!') != std::string_view::npos ||
           condition.find("&&") != std::string_view::npos ||
           condition.find("||") != std::string_view::npos ||
           // The language has no comparisons: `smoke_passed == true` gets its error, rather than
           // being read as the fact smoke_passed_true.
           condition.find_first_of("=<>") != std::string_view::npos;
}

}  // namespace deployphase::predicate
