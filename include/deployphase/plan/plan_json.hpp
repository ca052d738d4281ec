#pragma once
// The plan as JSON (`plan --output json`, `plan --out FILE`). docs/plan.md and
// docs/plan.schema.json describe it.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/plan/plan.hpp>
#include <deployphase/support/json_source.hpp>

namespace deployphase::plan {

inline constexpr int plan_format_version = 1;

// What a saved plan was made from, so a later run can refuse when either has changed.
struct Fingerprint {
    std::string phase_file;
    std::string phase_sha256;
    std::string context_sha256;                       // of the merged context, canonical JSON
    std::map<std::string, std::string> context_keys;  // top-level key -> SHA-256 of its value
};

Fingerprint fingerprint(std::string phase_file, std::string phase_sha256,
                        const nlohmann::json& context);

// The fingerprint of a plan saved with `plan --out`. Throws InputError at FILE:LINE:COL when
// the file is not such a plan (unknown format_version, no or malformed fingerprint).
Fingerprint read_fingerprint(const JsonSource& saved_plan);

// `run --plan FILE`: what is about to run must be what the saved plan was made from. Throws
// InputError at the saved plan's fingerprint, naming every change, when it is not.
void require_saved_plan_matches(const JsonSource& saved_plan, const Fingerprint& now);

// How `now` differs from `saved`, for an error message: "the phase file", then
// "context key \"K\" (changed|added|removed)" per key in key order. Empty when they match.
std::vector<std::string> fingerprint_changes(const Fingerprint& saved, const Fingerprint& now);

nlohmann::ordered_json plan_to_json(const Plan& plan,
                                    const std::optional<Fingerprint>& fingerprint = std::nullopt);

}  // namespace deployphase::plan
