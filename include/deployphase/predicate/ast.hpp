#pragma once
// The predicate language's syntax tree: function definitions whose bodies return an
// expression of &&, ||, !, true, false and calls.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <deployphase/support/diagnostic.hpp>

namespace deployphase::predicate {

struct Expr {
    enum class Kind { literal, call, negation, conjunction, disjunction };

    Kind kind = Kind::literal;
    bool literal = false;                 // Kind::literal
    std::string name;                     // Kind::call: the called name
    std::optional<std::string> argument;  // Kind::call: its one string argument, if any
    std::unique_ptr<Expr> left;           // negation's operand; left side of && and ||
    std::unique_ptr<Expr> right;
    SourceLocation where;  // of the call's name, the operator, or the literal
};

struct Function {
    std::string name;
    std::unique_ptr<Expr> body;
    SourceLocation where;  // of the name
};

struct Program {
    std::vector<Function> functions;  // in the order they are defined

    const Function* find(std::string_view name) const;
};

// The one builtin that takes an argument.
inline constexpr std::string_view has_context_builtin = "hasContext";

// Renders an expression back as source text, normalised ("a() && !b()").
std::string to_source(const Expr& expr);

}  // namespace deployphase::predicate
