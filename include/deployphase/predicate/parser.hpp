#pragma once

#include <deployphase/predicate/ast.hpp>
#include <deployphase/predicate/embedded_source.hpp>

namespace deployphase::predicate {

// Reads a Validation Logic block: any number of `name() { return EXPR; }` definitions.
// Throws InputError at the first syntax error. Problems with what is well-formed (a
// function defined twice, a call with an argument to a name that is not a builtin,
// functions calling each other in a cycle) go to `sink`, all of them.
Program parse_program(const EmbeddedSource& source, DiagnosticSink& sink);

// Reads one expression (a step guard). Its calls may name the program's functions; they
// are resolved when it is evaluated.
std::unique_ptr<Expr> parse_expression(const EmbeddedSource& source, DiagnosticSink& sink);

}  // namespace deployphase::predicate
