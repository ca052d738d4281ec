#pragma once
// A phase's decision logic, compiled: its Validation Logic program and each step's guard. The
// predicate language knows nothing of phases; this is where a phase's texts meet it.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <deployphase/phase/model.hpp>
#include <deployphase/predicate/ast.hpp>
#include <deployphase/support/source_file.hpp>

namespace deployphase::phase {

struct CompiledGuard {
    std::string condition;                        // as written
    std::string fact_key;                         // a phrase guard: the one fact it names
    std::unique_ptr<predicate::Expr> expression;  // an expression guard
    SourceLocation where;

    bool is_expression() const { return expression != nullptr; }
};

struct PhaseLogic {
    predicate::Program program;
    std::vector<std::optional<CompiledGuard>> guards;  // one per step, by position
};

// What deciding a guard reads, for people: "fact monitoring_required", or for an expression
// each thing it calls ("context key db.locks, isLargeTable() of the Validation Logic, fact
// maintenance_window").
std::string guard_reads(const CompiledGuard& guard, const predicate::Program& program);

// The names of the two functions that decide whether a phase runs.
inline constexpr std::string_view can_execute_function = "canExecutePhase";
inline constexpr std::string_view should_skip_function = "shouldSkipPhase";

// Compiles everything in `phase` that is predicate text. `source` is the file the phase was
// read from; `exact_positions` is false for the JSON form, whose predicate text is unescaped
// from JSON strings. Every problem goes to `sink`.
PhaseLogic compile_phase_logic(const Phase& phase, const SourceFile& source, bool exact_positions,
                               DiagnosticSink& sink);

}  // namespace deployphase::phase
