#pragma once
// Evaluates predicates against a context, recording every call it makes so that a plan can
// say exactly why it decided what it did.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/predicate/ast.hpp>

namespace deployphase::predicate {

// JavaScript truthiness: false, null, 0, "" and a missing value are false; everything
// else, empty arrays and objects included, is true.
bool is_truthy(const nlohmann::json* value);

// The value at a dotted path ("change.approved"; a segment of digits indexes an array),
// or nullptr when there is none.
const nlohmann::json* lookup_path(const nlohmann::json& context, std::string_view path);

// The context key a zero-argument call reads: the key named exactly like the call if the
// context has it, otherwise derived_fact_key(name).
std::string fact_key_for_call(const nlohmann::json& context, std::string_view name);

// One call made while evaluating, in the order made. A call to a function defined in the
// program is followed by the calls its body made, one level deeper.
struct TraceEntry {
    std::size_t depth = 0;
    std::string call;  // "requiresDeployment()", "hasContext('a.b')", or a guard's fact
    bool result = false;
    bool reads_context = false;  // a fact or hasContext: key/value/missing below apply
    std::string key;
    nlohmann::json value;  // null when missing
    bool missing = false;
    SourceLocation where;
};
using Trace = std::vector<TraceEntry>;

class Evaluator {
  public:
    Evaluator(const Program& program, const nlohmann::json& context);

    // Evaluates a defined function's body, short-circuiting.
    bool call(const Function& function, Trace& trace, std::size_t depth = 0) const;
    bool evaluate(const Expr& expr, Trace& trace, std::size_t depth = 0) const;
    // A guard that names one fact.
    bool read_fact(const std::string& key, const std::string& label, const SourceLocation& where,
                   Trace& trace, std::size_t depth = 0) const;

  private:
    bool call_at(const Function& function, const SourceLocation& where, Trace& trace,
                 std::size_t depth) const;
    bool record(std::string label, std::string key, const nlohmann::json* value,
                const SourceLocation& where, Trace& trace, std::size_t depth) const;

    const Program& m_program;
    const nlohmann::json& m_context;
};

}  // namespace deployphase::predicate
