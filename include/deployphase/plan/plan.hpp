#pragma once
// The planner: the phase decision and each step's intent, with the reasons. Pure: it runs
// nothing and writes nothing, so `plan` and `run --dry-run` cannot have side effects.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/context/secrets.hpp>
#include <deployphase/phase/model.hpp>
#include <deployphase/phase/phase_logic.hpp>
#include <deployphase/predicate/evaluator.hpp>
#include <deployphase/support/source_file.hpp>

namespace deployphase::plan {

enum class Decision { run, skip, blocked };
std::string_view decision_name(Decision decision);

struct PredicateValue {
    std::string name;
    bool value = false;
};

// A context key the phase can read, and what the context holds for it.
struct FactStatus {
    std::string name;
    nlohmann::json value;  // null when missing
    bool missing = true;
    bool used = false;  // read while deciding or evaluating guards (short-circuiting may skip it)
    SourceLocation first_use;
    std::size_t output_of = 0;  // the first step that declares it in outputs=; 0: none
};

struct StepPlan {
    std::size_t index = 0;
    std::string id;
    bool will_run = false;
    std::string guard;       // the fact key, or the expression as written; empty without a guard
    std::string guard_kind;  // "fact", "expression" or "" without a guard
    std::string reason;
    predicate::Trace trace;  // the guard's evaluation
    // How the step runs when it does: "script"; "check" (its check= script runs first, and the
    // step only when the check fails); "confirm" (a manual step: the operator confirms it).
    std::string action;
    // In a preview of a recorded run: how a step that will not run again ended ("succeeded",
    // "skipped", ...). Empty for a step still to come.
    std::string recorded;
    // Its guard reads a key the context lacks and an earlier step declares in outputs=: decided
    // only when that step (this index) has run. will_run is false until then. 0: not so.
    std::size_t decided_after = 0;
};

// What a preview says of a step that will run, beyond its guard: "runs unless its check
// passes", "stops for confirmation (exit 4 without a terminal)", or nothing.
std::string_view action_note(const StepPlan& step);

struct Plan {
    std::string phase;
    Decision decision = Decision::run;
    std::string reason;
    predicate::Trace trace;  // shouldSkipPhase(), then canExecutePhase() when reached
    std::vector<PredicateValue> predicates;  // every defined function, each evaluated
    std::vector<FactStatus> facts;
    std::vector<StepPlan> steps;

    std::vector<const FactStatus*> missing_used_facts() const;
};

// `plan --strict`: an error for every fact the plan read that the context lacks, at its first
// use in `source` (the phase file).
std::vector<Diagnostic> strict_errors(const Plan& plan, const SourceFile& source);
// What the function that decided a skip or a block read from the context, as plan's Why shows
// it, in one line: "validated_implementation: missing, code_changes: false". Empty for a
// decision to run, or a function that read nothing.
std::string deciding_reads(const Plan& plan);

// The facts the context lacks that the plan never read (short-circuiting skipped them).
std::vector<std::string> missing_unread_facts(const Plan& plan);

// A context value as reasons and traces show it: compact JSON, cut to about 60 characters
// (never inside a UTF-8 character) with "..." when longer.
std::string short_value(const nlohmann::json& value);

// One step's intent against a context: its guard evaluated, with the reason. The planner uses
// it for every step; the runner calls it just before each step, against the context as it
// stands then. `position` counts from 0. Evaluation sees the real values; what the result
// shows of them (traces, facts, reasons) has the secrets masked.
StepPlan plan_step(const phase::Phase& phase, const phase::PhaseLogic& logic,
                   const nlohmann::json& context, std::size_t position,
                   const context::Secrets& secrets);

Plan make_plan(const phase::Phase& phase, const phase::PhaseLogic& logic,
               const nlohmann::json& context, const context::Secrets& secrets);

// Fills plan.facts from what the plan's traces read: for a plan put together step by step, as
// a preview of a recorded run is.
void account_facts(Plan& plan, const phase::Phase& phase, const phase::PhaseLogic& logic,
                   const nlohmann::json& context, const context::Secrets& secrets);

// Every context key a phase can read, with where each is read. Context-free: a call F()
// is listed under derived_fact_key(F), and the context may also name it F exactly.
struct FactUse {
    SourceLocation where;
    std::string in;    // "canExecutePhase()", "step 3 setup-alerts-monitoring"
    std::string call;  // as written: "isDevelopmentOnly()", "hasContext('a.b')", a guard phrase
};
struct FactEntry {
    std::string key;
    std::string kind;       // "hasContext", "fact" or "guard"
    std::string exact_key;  // for "fact": the call's own name, which the context may use instead
    std::vector<FactUse> uses;
};
std::vector<FactEntry> fact_inventory(const phase::Phase& phase, const phase::PhaseLogic& logic);

}  // namespace deployphase::plan
