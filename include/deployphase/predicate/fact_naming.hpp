#pragma once
// How names in a phase document become context keys. docs/predicates.md states the rules.

#include <string>
#include <string_view>

namespace deployphase::predicate {

// isDevelopmentOnly -> development_only, hasCodeChanges -> code_changes,
// projectIsComplete -> project_is_complete, hasAPIKey -> api_key.
std::string derived_fact_key(std::string_view function_name);

// "environment setup required" -> environment_setup_required,
// "unit tests exist/required" -> unit_tests_exist_required.
std::string fact_key_for_phrase(std::string_view phrase);

// A guard condition is an expression when it contains '(', '!', '&&', '||', '=', '<' or '>'
// (the last three so a comparison gets the language's error); otherwise it is a phrase naming
// one fact.
bool is_expression_guard(std::string_view condition);

}  // namespace deployphase::predicate
