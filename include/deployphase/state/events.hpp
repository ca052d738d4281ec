#pragma once
// The journal's vocabulary: every event a run records, its fields, and the statuses it carries.
// The journal is a durable file format (docs/state-format.md lists the events), so its words
// live here once. The runner and the rollback write events only through the builders below;
// the fold, progress, masking and reports read them through EventType and `field` names. A
// misspelt event or status is a compile error, never a record the fold later refuses.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace deployphase::state {

enum class StepStatus {
    pending,
    running,
    succeeded,
    failed,
    skipped,
    satisfied,
    awaiting_confirmation,
    interrupted,
    rolled_back,
};

enum class RunStatus {
    running,
    succeeded,
    failed,
    interrupted,
    awaiting_confirmation,
    rolled_back,
    skipped,
    blocked,
};

std::string_view step_status_name(StepStatus status);  // "awaiting-confirmation", ...
std::string_view run_status_name(RunStatus status);
std::optional<StepStatus> step_status_from_name(std::string_view name);
std::optional<RunStatus> run_status_from_name(std::string_view name);

enum class EventType {
    run_started,
    run_resumed,
    context_changed,
    step_skipped,
    step_started,
    check_finished,
    step_satisfied,
    attempt_started,
    attempt_finished,
    output_recorded,
    step_finished,
    step_awaiting_confirmation,
    step_confirmed,
    rollback_begun,
    rollback_script_started,
    rollback_script_finished,
    run_finished,
};

std::string_view event_name(EventType type);  // "run_started", ...
// The type of a record, from its "type" field; nothing for a missing or unknown one.
std::optional<EventType> event_type(const nlohmann::json& event);

// Why a rollback began, and how one rollback script ended.
enum class RollbackTrigger { on_failure, requested };
enum class RollbackOutcome { rolled_back, failed, interrupted };
std::string_view rollback_outcome_name(RollbackOutcome outcome);  // "rolled-back", ...
std::optional<RollbackOutcome> rollback_outcome_from_name(std::string_view name);

// The fields events carry, by the names readers look them up with.
namespace field {
inline constexpr const char* type = "type";
inline constexpr const char* seq = "seq";      // set by the journal: 1, 2, ... within a run
inline constexpr const char* index = "index";  // a step's position, from 1
inline constexpr const char* reason = "reason";
inline constexpr const char* status = "status";
inline constexpr const char* attempt = "attempt";
inline constexpr const char* exit_code = "exit_code";
inline constexpr const char* duration_ms = "duration_ms";
inline constexpr const char* context = "context";
inline constexpr const char* values = "values";
inline constexpr const char* problems = "problems";
inline constexpr const char* changed_keys = "changed_keys";
inline constexpr const char* steps = "steps";
inline constexpr const char* trigger = "trigger";
inline constexpr const char* run_id = "run_id";
inline constexpr const char* phase = "phase";
inline constexpr const char* phase_file = "phase_file";
inline constexpr const char* phase_sha256 = "phase_sha256";
inline constexpr const char* secret_keys = "secret_keys";
inline constexpr const char* plan = "plan";
inline constexpr const char* id = "id";
inline constexpr const char* stopped_leftover_processes = "stopped_leftover_processes";
// Journal format 2: when (every record, set by the journal), who and with what.
inline constexpr const char* at = "at";  // UTC, ISO 8601 to the millisecond
inline constexpr const char* started_by = "started_by";
inline constexpr const char* by = "by";  // {"user", "uid", "host"}
inline constexpr const char* deployphase_version = "deployphase_version";
inline constexpr const char* context_sha256 = "context_sha256";
inline constexpr const char* four_eyes = "four_eyes";
}  // namespace field

// One builder per event, with exactly the fields docs/state-format.md lists for it.
namespace event {

struct RunStart {
    std::string run_id;
    std::string phase;
    std::string phase_file;  // absolute
    std::string phase_sha256;
    nlohmann::json context;
    std::vector<std::string> secret_keys;  // the --secret keys
    std::vector<std::string> step_ids;     // in phase order
    nlohmann::json plan;                   // the decision and each step's intent, as begun
    nlohmann::json started_by;             // {"user", "uid", "host"}
    std::string deployphase_version;
    std::string context_sha256;  // of the context as recorded (secrets masked)
};

nlohmann::json run_started(RunStart start);
// `stopped`: how many leftover processes of the run a resume killed (absent: none looked for).
// `phase_sha256`: the resume accepted a changed phase file (--allow-changed); from here on the
// run is of that version, and is compared with it.
nlohmann::json run_resumed(std::optional<std::size_t> stopped = std::nullopt,
                           std::optional<std::string> phase_sha256 = std::nullopt);
nlohmann::json context_changed(nlohmann::json context, std::vector<std::string> changed_keys);
nlohmann::json step_skipped(std::size_t index, std::string_view reason);
nlohmann::json step_started(std::size_t index, std::string_view reason);
nlohmann::json check_finished(std::size_t index, int exit_code, std::string_view reason);
nlohmann::json step_satisfied(std::size_t index);
nlohmann::json attempt_started(std::size_t index, unsigned attempt);
nlohmann::json attempt_finished(std::size_t index, int exit_code, std::int64_t duration_ms,
                                std::string_view reason);
nlohmann::json output_recorded(std::size_t index, nlohmann::json values,
                               std::vector<std::string> problems);
// `reason` only when an operator decided the step's end (resume --interrupted=done|fail).
nlohmann::json step_finished(std::size_t index, StepStatus status,
                             std::optional<std::string_view> reason = std::nullopt);
// `four_eyes`: the step is marked [four eyes]; whoever confirms it must not be who started the
// run (recorded, so `confirm` needs no phase file to know).
nlohmann::json step_awaiting_confirmation(std::size_t index, bool four_eyes = false);
// `by`: who confirmed ({"user", "uid", "host"}); `reason`: what they said (confirm --reason).
nlohmann::json step_confirmed(std::size_t index, nlohmann::json by, std::string_view reason = {});
// `by`: who asked for a requested rollback (null for one on failure: the run's own).
nlohmann::json rollback_begun(RollbackTrigger trigger, std::string_view reason, nlohmann::json by,
                              const std::vector<std::size_t>& order);
nlohmann::json rollback_script_started(std::size_t index);
nlohmann::json rollback_script_finished(std::size_t index, RollbackOutcome outcome, int exit_code,
                                        std::int64_t duration_ms, std::string_view reason);
nlohmann::json run_finished(RunStatus status,
                            std::optional<std::string_view> reason = std::nullopt);

}  // namespace event

}  // namespace deployphase::state
