#include <deployphase/plan/context_drift.hpp>

#include <set>

namespace deployphase::plan {

using nlohmann::json;

std::vector<std::string> changed_keys(const json& before, const json& after) {
    std::set<std::string> keys;
    for (const json* side : {&before, &after}) {
        if (!side->is_object()) continue;
        for (const auto& [key, value] : side->items()) {
            const json& other = side == &before ? after : before;
            if (!other.is_object() || !other.contains(key) || other[key] != value) keys.insert(key);
        }
    }
    return {keys.begin(), keys.end()};
}

ContextDrift context_drift(const phase::Phase& phase, const phase::PhaseLogic& logic,
                           const json& before, const json& after,
                           const std::vector<std::size_t>& pending,
                           const context::Secrets& secrets) {
    ContextDrift drift;
    // Keys whose shown values differ: a secret given again is no change to report or record.
    drift.changed_keys = changed_keys(secrets.mask(before), secrets.mask(after));
    if (drift.changed_keys.empty()) return drift;
    for (std::size_t index : pending) {
        StepPlan was = plan_step(phase, logic, before, index - 1, secrets);
        StepPlan now = plan_step(phase, logic, after, index - 1, secrets);
        if (was.will_run != now.will_run) drift.guard_changes.push_back({was, now});
    }
    return drift;
}

}  // namespace deployphase::plan
