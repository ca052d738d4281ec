#pragma once
// What changing the context of a run in progress changes: which keys, and which pending steps'
// guard decisions flip because of it. `resume --context/--set` prints it before running.

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/phase/model.hpp>
#include <deployphase/phase/phase_logic.hpp>
#include <deployphase/plan/plan.hpp>

namespace deployphase::plan {

struct GuardChange {
    StepPlan before;
    StepPlan after;
};

struct ContextDrift {
    std::vector<std::string> changed_keys;   // top-level keys added, removed or changed; sorted
    std::vector<GuardChange> guard_changes;  // in phase order
};

// Top-level keys whose values differ (present in one only, or unequal), sorted.
std::vector<std::string> changed_keys(const nlohmann::json& before, const nlohmann::json& after);

// Evaluates the guard of every step in `pending` (1-based indexes) against both contexts and
// keeps those whose run/skip decision differs. Changed keys are those whose values differ once
// `secrets` masks them: a secret given again is not a change.
ContextDrift context_drift(const phase::Phase& phase, const phase::PhaseLogic& logic,
                           const nlohmann::json& before, const nlohmann::json& after,
                           const std::vector<std::size_t>& pending,
                           const context::Secrets& secrets);

}  // namespace deployphase::plan
