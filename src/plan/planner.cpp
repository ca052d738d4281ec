#include <deployphase/plan/plan.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>

#include "support/utf8.hpp"

namespace deployphase::plan {
namespace {

using nlohmann::json;
using predicate::Trace;

// What a plan may show of the values its evaluation read: secrets masked before any reason
// quotes them (a reason cuts long values, and a cut secret no longer matches itself).
void mask_reads(Trace& trace, const context::Secrets& secrets) {
    for (predicate::TraceEntry& read : trace) {
        if (read.reads_context) read.value = secrets.mask_at(read.key, read.value);
    }
}

std::string fact_reason(const predicate::TraceEntry& read) {
    if (read.missing) return fmt::format("fact {} is missing", read.key);
    return fmt::format("fact {} is {}", read.key, short_value(read.value));
}

// A step and its guard, before anything is evaluated.
StepPlan describe_step(const phase::Phase& phase, const phase::PhaseLogic& logic, std::size_t i) {
    const phase::Step& step = phase.steps[i];
    StepPlan result{step.index, step.id, false, "", "", "", {}, "script", ""};
    if (!step.run) {
        result.action = "confirm";
    } else if (step.check) {
        result.action = "check";
    }
    if (const auto& guard = logic.guards[i]) {
        result.guard = guard->is_expression() ? guard->condition : guard->fact_key;
        result.guard_kind = guard->is_expression() ? "expression" : "fact";
    }
    return result;
}

StepPlan evaluate_step(const predicate::Evaluator& evaluator, const phase::Phase& phase,
                       const phase::PhaseLogic& logic, std::size_t i,
                       const context::Secrets& secrets) {
    StepPlan result = describe_step(phase, logic, i);
    const auto& guard = logic.guards[i];
    if (!guard) {
        result.will_run = true;
        result.reason = "no guard";
    } else if (guard->is_expression()) {
        result.will_run = evaluator.evaluate(*guard->expression, result.trace);
        mask_reads(result.trace, secrets);
        result.reason = fmt::format("guard is {}", result.will_run ? "true" : "false");
    } else {
        result.will_run =
            evaluator.read_fact(guard->fact_key, guard->condition, guard->where, result.trace);
        mask_reads(result.trace, secrets);
        result.reason = fact_reason(result.trace.back());
    }
    return result;
}

class Planner {
  public:
    Planner(const phase::Phase& phase, const phase::PhaseLogic& logic, const json& context,
            const context::Secrets& secrets)
        : m_phase(phase),
          m_logic(logic),
          m_context(context),
          m_secrets(secrets),
          m_evaluator(logic.program, context) {}

    Plan plan() {
        Plan plan;
        plan.phase = m_phase.name;
        decide(plan);
        mask_reads(plan.trace, m_secrets);
        for (const predicate::Function& function : m_logic.program.functions) {
            Trace ignored;  // listing every predicate does not count as needing its facts
            plan.predicates.push_back({function.name, m_evaluator.call(function, ignored)});
        }
        for (std::size_t i = 0; i < m_phase.steps.size(); ++i)
            plan.steps.push_back(plan_step(plan, i));
        if (plan.decision == Decision::run) account_declarations(plan);
        plan.facts = facts(plan);
        return plan;
    }

    // What the scripts declare: a guard fed by an earlier step's output is decided when that
    // step has run; a key a step that may run needs, and neither the context nor an earlier
    // step gives, blocks the phase before anything runs.
    void account_declarations(Plan& plan) {
        std::map<std::string, std::size_t> output_of;  // key -> the first step declaring it
        // Each key the context lacks, in the order first needed, with the steps needing it.
        std::vector<std::pair<std::string, std::vector<std::size_t>>> lacking;
        for (std::size_t i = 0; i < m_phase.steps.size(); ++i) {
            const phase::Step& step = m_phase.steps[i];
            StepPlan& planned = plan.steps[i];
            for (const predicate::TraceEntry& read : planned.trace) {
                auto from = output_of.find(read.key);
                if (!read.reads_context || !read.missing || from == output_of.end()) continue;
                const phase::Step& writer = m_phase.steps[from->second - 1];
                planned.will_run = false;
                planned.decided_after = writer.index;
                planned.reason = fmt::format("decided when step {} ({}) has run: it outputs {}",
                                             writer.index, writer.id, read.key);
                break;
            }
            if (planned.will_run || planned.decided_after != 0) {
                for (const std::string& key : step.needs) {
                    m_needed.push_back(key);
                    if (predicate::lookup_path(m_context, key) || output_of.count(key)) continue;
                    auto known =
                        std::find_if(lacking.begin(), lacking.end(),
                                     [&](const auto& entry) { return entry.first == key; });
                    if (known == lacking.end()) {
                        lacking.push_back({key, {i}});
                    } else {
                        known->second.push_back(i);
                    }
                }
            }
            for (const std::string& key : step.outputs)
                output_of.emplace(key, step.index);
        }
        m_outputs = std::move(output_of);
        if (lacking.empty()) return;
        std::vector<std::string> said;
        for (const auto& [key, steps] : lacking) {
            const phase::Step& first = m_phase.steps[steps.front()];
            said.push_back(fmt::format("{}, which step {} ({}) needs{}", key, first.index, first.id,
                                       steps.size() == 1
                                           ? ""
                                           : fmt::format(" (and {} more step{})", steps.size() - 1,
                                                         steps.size() == 2 ? "" : "s")));
        }
        plan.decision = Decision::blocked;
        plan.reason = fmt::format("the context lacks {}", fmt::join(said, "; "));
        for (std::size_t i = 0; i < m_phase.steps.size(); ++i) {
            StepPlan& planned = plan.steps[i];
            planned = describe_step(m_phase, m_logic, i);
            planned.reason = "the phase is blocked";
        }
    }

    void decide(Plan& plan) {
        const predicate::Function* skip = m_logic.program.find(phase::should_skip_function);
        const predicate::Function* can = m_logic.program.find(phase::can_execute_function);
        bool should_skip = skip && m_evaluator.call(*skip, plan.trace);
        if (should_skip) {
            plan.decision = Decision::skip;
            plan.reason = "shouldSkipPhase() is true";
            return;
        }
        bool can_execute = !can || m_evaluator.call(*can, plan.trace);
        if (!can_execute) {
            plan.decision = Decision::blocked;
            plan.reason = fmt::format("canExecutePhase() is false{}",
                                      skip ? "" : " (no shouldSkipPhase() is defined)");
            return;
        }
        plan.decision = Decision::run;
        plan.reason = fmt::format(
            "{}, {}", skip ? "shouldSkipPhase() is false" : "no shouldSkipPhase() is defined",
            can ? "canExecutePhase() is true" : "no canExecutePhase() is defined");
    }

    StepPlan plan_step(const Plan& plan, std::size_t i) {
        if (plan.decision == Decision::run)
            return evaluate_step(m_evaluator, m_phase, m_logic, i, m_secrets);
        StepPlan result = describe_step(m_phase, m_logic, i);
        result.reason =
            plan.decision == Decision::skip ? "the phase is skipped" : "the phase is blocked";
        return result;
    }

    // Every key the phase can read, in the order the phase mentions them, with its value and
    // whether deciding or a guard actually read it.
    std::vector<FactStatus> facts(const Plan& plan) const {
        std::vector<FactStatus> out;
        std::map<std::string, std::size_t> index;
        auto note = [&](const std::string& key, const SourceLocation& where) -> FactStatus& {
            auto [it, inserted] = index.emplace(key, out.size());
            if (inserted) {
                // Fact and guard keys have no dots, so one lookup serves all three kinds.
                const json* value = predicate::lookup_path(m_context, key);
                auto output = m_outputs.find(key);
                out.push_back({key, value ? m_secrets.mask_at(key, *value) : json(),
                               value == nullptr, false, where,
                               output == m_outputs.end() ? 0 : output->second});
            }
            return out[it->second];
        };
        for (const FactEntry& entry : fact_inventory(m_phase, m_logic)) {
            if (entry.kind == "output") continue;  // written by a step, not read from the context
            // A fact call reads the key named exactly like the call when the context has one.
            std::string key = entry.kind == "fact"
                                  ? predicate::fact_key_for_call(m_context, entry.exact_key)
                                  : entry.key;
            note(key, entry.uses.front().where);
        }
        auto mark_used = [&](const Trace& trace) {
            for (const auto& read : trace) {
                if (read.reads_context) note(read.key, read.where).used = true;
            }
        };
        mark_used(plan.trace);
        for (const StepPlan& step : plan.steps)
            mark_used(step.trace);
        for (const std::string& key : m_needed)
            note(key, {}).used = true;
        return out;
    }

  private:
    const phase::Phase& m_phase;
    const phase::PhaseLogic& m_logic;
    const json& m_context;
    const context::Secrets& m_secrets;
    std::map<std::string, std::size_t> m_outputs;  // key -> the first step declaring it
    std::vector<std::string> m_needed;             // needs= keys of the steps that may run: checked
    predicate::Evaluator m_evaluator;
};

}  // namespace

std::string short_value(const json& value) {
    constexpr std::size_t limit = 60;
    std::string text = value.dump();
    if (text.size() <= limit) return text;
    return std::string(utf8_prefix(text, limit - 3)) + "...";
}

std::string_view decision_name(Decision decision) {
    switch (decision) {
        case Decision::run:
            return "run";
        case Decision::skip:
            return "skip";
        case Decision::blocked:
            return "blocked";
    }
    return "run";
}

std::vector<const FactStatus*> Plan::missing_used_facts() const {
    std::vector<const FactStatus*> out;
    for (const FactStatus& fact : facts) {
        if (fact.used && fact.missing) out.push_back(&fact);
    }
    return out;
}

std::vector<Diagnostic> strict_errors(const Plan& plan, const SourceFile& source) {
    std::vector<Diagnostic> errors;
    for (const FactStatus* fact : plan.missing_used_facts()) {
        if (fact->output_of != 0) continue;  // an earlier step's output: there when it is read
        errors.push_back(
            {Severity::error, fact->first_use,
             fmt::format("the context has no \"{}\", which the plan reads (--strict)", fact->name),
             std::string(source.line(fact->first_use.line))});
    }
    return errors;
}

std::vector<std::string> missing_unread_facts(const Plan& plan) {
    std::vector<std::string> unread;
    for (const FactStatus& fact : plan.facts) {
        if (fact.missing && !fact.used) unread.push_back(fact.name);
    }
    return unread;
}

std::string deciding_reads(const Plan& plan) {
    if (plan.decision == Decision::run) return "";
    std::string_view decider =
        plan.decision == Decision::skip ? phase::should_skip_function : phase::can_execute_function;
    // Blocked by what the scripts need, not by the function: its reason says all.
    if (!plan.reason.starts_with(decider)) return "";
    std::string out;
    bool inside = false;
    for (const predicate::TraceEntry& entry : plan.trace) {
        if (entry.depth == 0) inside = entry.call.starts_with(decider);
        if (!inside || !entry.reads_context) continue;
        out += fmt::format("{}{}: {}", out.empty() ? "" : ", ", entry.key,
                           entry.missing ? "missing" : short_value(entry.value));
    }
    return out;
}

std::string_view action_note(const StepPlan& step) {
    if (!step.will_run) return "";
    if (step.action == "confirm") return "stops for confirmation (exit 4 without a terminal)";
    if (step.action == "check") return "runs unless its check passes";
    return "";
}

StepPlan plan_step(const phase::Phase& phase, const phase::PhaseLogic& logic, const json& context,
                   std::size_t position, const context::Secrets& secrets) {
    return evaluate_step(predicate::Evaluator(logic.program, context), phase, logic, position,
                         secrets);
}

void account_facts(Plan& plan, const phase::Phase& phase, const phase::PhaseLogic& logic,
                   const json& context, const context::Secrets& secrets) {
    plan.facts = Planner(phase, logic, context, secrets).facts(plan);
}

Plan make_plan(const phase::Phase& phase, const phase::PhaseLogic& logic, const json& context,
               const context::Secrets& secrets) {
    return Planner(phase, logic, context, secrets).plan();
}

}  // namespace deployphase::plan
