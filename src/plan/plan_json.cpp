#include <deployphase/plan/plan_json.hpp>

#include <deployphase/support/digest.hpp>

namespace deployphase::plan {
namespace {

using nlohmann::ordered_json;

ordered_json trace_json(const predicate::Trace& trace) {
    ordered_json out = ordered_json::array();
    for (const auto& entry : trace) {
        ordered_json item = {
            {"depth", entry.depth}, {"call", entry.call}, {"result", entry.result}};
        if (entry.reads_context) {
            item["key"] = entry.key;
            item["value"] = entry.value;
            item["missing"] = entry.missing;
        }
        item["line"] = entry.where.line;
        item["column"] = entry.where.column;
        out.push_back(std::move(item));
    }
    return out;
}

}  // namespace

Fingerprint fingerprint(std::string phase_file, std::string phase_sha256,
                        const nlohmann::json& context) {
    // nlohmann::json keeps object keys sorted, so dump() is canonical.
    Fingerprint result{
        std::move(phase_file), std::move(phase_sha256), sha256_hex(context.dump()), {}};
    for (const auto& [key, value] : context.items())
        result.context_keys[key] = sha256_hex(value.dump());
    return result;
}

ordered_json plan_to_json(const Plan& plan, const std::optional<Fingerprint>& fingerprint) {
    ordered_json predicates = ordered_json::object();
    for (const auto& predicate : plan.predicates)
        predicates[predicate.name] = predicate.value;

    ordered_json facts = ordered_json::array();
    for (const auto& fact : plan.facts) {
        facts.push_back({{"name", fact.name},
                         {"value", fact.value},
                         {"missing", fact.missing},
                         {"used", fact.used}});
    }

    ordered_json steps = ordered_json::array();
    for (const auto& step : plan.steps) {
        steps.push_back({{"index", step.index},
                         {"id", step.id},
                         {"will_run", step.will_run},
                         {"guard", step.guard.empty() ? ordered_json() : ordered_json(step.guard)},
                         {"guard_kind",
                          step.guard_kind.empty() ? ordered_json() : ordered_json(step.guard_kind)},
                         {"reason", step.reason},
                         {"trace", trace_json(step.trace)}});
    }

    ordered_json out = {{"format_version", plan_format_version},
                        {"phase", plan.phase},
                        {"decision", decision_name(plan.decision)},
                        {"reason", plan.reason},
                        {"predicates", std::move(predicates)},
                        {"trace", trace_json(plan.trace)},
                        {"facts", std::move(facts)},
                        {"steps", std::move(steps)}};
    if (fingerprint) {
        out["fingerprint"] = {{"phase_file", fingerprint->phase_file},
                              {"phase_sha256", fingerprint->phase_sha256},
                              {"context_sha256", fingerprint->context_sha256},
                              {"context_keys", fingerprint->context_keys}};
    }
    return out;
}

}  // namespace deployphase::plan
