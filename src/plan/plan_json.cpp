#include <deployphase/plan/plan_json.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <deployphase/support/digest.hpp>
#include <deployphase/support/errors.hpp>

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

bool is_sha256(const nlohmann::json& value) {
    if (!value.is_string()) return false;
    const std::string& text = value.get_ref<const std::string&>();
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

void require_saved_plan_matches(const JsonSource& saved_plan, const Fingerprint& now) {
    std::vector<std::string> changes = fingerprint_changes(read_fingerprint(saved_plan), now);
    if (changes.empty()) return;
    throw InputError(saved_plan.error_at(
        "/fingerprint",
        fmt::format("the phase or context no longer matches this saved plan; changed: {}; "
                    "review a new plan before running",
                    fmt::join(changes, ", "))));
}

Fingerprint read_fingerprint(const JsonSource& saved) {
    const nlohmann::json& plan = saved.value();
    auto fail = [&](const std::string& pointer, std::string message) {
        throw InputError(saved.error_at(pointer, std::move(message)));
    };
    if (!plan.is_object()) fail("", "a saved plan is a JSON object, as `plan --out` writes it");
    if (!plan.contains("format_version") || plan["format_version"] != plan_format_version) {
        fail(plan.contains("format_version") ? "/format_version" : "",
             fmt::format("not a plan this version can read (format_version {} expected)",
                         plan_format_version));
    }
    if (!plan.contains("fingerprint") || !plan["fingerprint"].is_object()) {
        fail(plan.contains("fingerprint") ? "/fingerprint" : "",
             "the plan has no fingerprint; save it with `deployphase plan --out FILE`");
    }
    const nlohmann::json& print = plan["fingerprint"];
    Fingerprint result;
    for (const char* field : {"phase_sha256", "context_sha256"}) {
        if (!print.contains(field) || !is_sha256(print[field])) {
            fail(print.contains(field) ? fmt::format("/fingerprint/{}", field) : "/fingerprint",
                 fmt::format("fingerprint.{} must be a SHA-256 in hex", field));
        }
    }
    result.phase_file = print.value("phase_file", "");
    result.phase_sha256 = print["phase_sha256"];
    result.context_sha256 = print["context_sha256"];
    if (!print.contains("context_keys") || !print["context_keys"].is_object()) {
        fail(print.contains("context_keys") ? "/fingerprint/context_keys" : "/fingerprint",
             "fingerprint.context_keys must be an object of SHA-256 hashes");
    }
    for (const auto& [key, hash] : print["context_keys"].items()) {
        if (!is_sha256(hash)) {
            fail("/fingerprint/context_keys/" + json_pointer_token(key),
                 fmt::format("fingerprint.context_keys.{} must be a SHA-256 in hex", key));
        }
        result.context_keys[key] = hash;
    }
    return result;
}

std::vector<std::string> fingerprint_changes(const Fingerprint& saved, const Fingerprint& now) {
    std::vector<std::string> changes;
    if (saved.phase_sha256 != now.phase_sha256) changes.push_back("the phase file");
    std::map<std::string, std::string> keys;  // key -> how it changed
    for (const auto& [key, hash] : saved.context_keys) {
        auto current = now.context_keys.find(key);
        if (current == now.context_keys.end()) {
            keys[key] = "removed";
        } else if (current->second != hash) {
            keys[key] = "changed";
        }
    }
    for (const auto& [key, hash] : now.context_keys) {
        if (!saved.context_keys.count(key)) keys[key] = "added";
    }
    for (const auto& [key, how] : keys)
        changes.push_back(fmt::format("context key \"{}\" ({})", key, how));
    return changes;
}

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
        steps.push_back(
            {{"index", step.index},
             {"id", step.id},
             {"will_run", step.will_run},
             {"guard", step.guard.empty() ? ordered_json() : ordered_json(step.guard)},
             {"guard_kind",
              step.guard_kind.empty() ? ordered_json() : ordered_json(step.guard_kind)},
             {"reason", step.reason},
             {"action", step.action},
             {"recorded", step.recorded.empty() ? ordered_json() : ordered_json(step.recorded)},
             {"decided_after",
              step.decided_after == 0 ? ordered_json() : ordered_json(step.decided_after)},
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
