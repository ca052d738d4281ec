#pragma once
// The predicate language's syntax tree: function definitions whose bodies return an
// expression of &&, ||, !, true, false and calls.

#include <functional>
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
    // Negation has one operand; a chain `a && b && c` is one conjunction of three, so long
    // chains stay flat and nothing that walks the tree recurses per operand.
    std::vector<std::unique_ptr<Expr>> operands;
    SourceLocation where;  // of the call's name, the (first) operator, or the literal
};

// Parentheses and `!` may nest this deep; deeper is an error, not a stack overflow.
inline constexpr std::size_t max_expression_nesting = 100;

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

// Calls visit(call) for every call in the expression, in source order.
void for_each_call(const Expr& expr, const std::function<void(const Expr&)>& visit);

// Renders an expression back as source text, normalised ("a() && !b()").
std::string to_source(const Expr& expr);

}  // namespace deployphase::predicate
