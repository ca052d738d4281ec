#include <deployphase/state/events.hpp>

#include <array>

namespace deployphase::state {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 9> step_names = {"pending",
                                                        "running",
                                                        "succeeded",
                                                        "failed",
                                                        "skipped",
                                                        "satisfied",
                                                        "awaiting-confirmation",
                                                        "interrupted",
                                                        "rolled-back"};
constexpr std::array<std::string_view, 8> run_names = {
    "running",     "succeeded", "failed", "interrupted", "awaiting-confirmation",
    "rolled-back", "skipped",   "blocked"};
constexpr std::array<std::string_view, 17> event_names = {
    "run_started",      "run_resumed",     "context_changed",         "step_skipped",
    "step_started",     "check_finished",  "step_satisfied",          "attempt_started",
    "attempt_finished", "output_recorded", "step_finished",           "step_awaiting_confirmation",
    "step_confirmed",   "rollback_begun",  "rollback_script_started", "rollback_script_finished",
    "run_finished"};
constexpr std::array<std::string_view, 3> outcome_names = {"rolled-back", "failed", "interrupted"};

template <typename Enum, std::size_t N>
std::optional<Enum> from_name(const std::array<std::string_view, N>& names, std::string_view name) {
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i] == name) return static_cast<Enum>(i);
    }
    return std::nullopt;
}

json of(EventType type) {
    return {{field::type, event_name(type)}};
}

json at_step(EventType type, std::size_t index) {
    json event = of(type);
    event[field::index] = index;
    return event;
}

}  // namespace

std::string_view step_status_name(StepStatus status) {
    return step_names[static_cast<std::size_t>(status)];
}
std::string_view run_status_name(RunStatus status) {
    return run_names[static_cast<std::size_t>(status)];
}
std::optional<StepStatus> step_status_from_name(std::string_view name) {
    return from_name<StepStatus>(step_names, name);
}
std::optional<RunStatus> run_status_from_name(std::string_view name) {
    return from_name<RunStatus>(run_names, name);
}

std::string_view event_name(EventType type) {
    return event_names[static_cast<std::size_t>(type)];
}

std::optional<EventType> event_type(const json& event) {
    auto found = event.find(field::type);
    if (found == event.end() || !found->is_string()) return std::nullopt;
    return from_name<EventType>(event_names, found->get_ref<const std::string&>());
}

std::string_view rollback_outcome_name(RollbackOutcome outcome) {
    return outcome_names[static_cast<std::size_t>(outcome)];
}
std::optional<RollbackOutcome> rollback_outcome_from_name(std::string_view name) {
    return from_name<RollbackOutcome>(outcome_names, name);
}

namespace event {

json run_started(RunStart start) {
    json steps = json::array();
    for (std::string& id : start.step_ids)
        steps.push_back({{field::id, std::move(id)}});
    json event = of(EventType::run_started);
    event[field::run_id] = std::move(start.run_id);
    event[field::phase] = std::move(start.phase);
    event[field::phase_file] = std::move(start.phase_file);
    event[field::phase_sha256] = std::move(start.phase_sha256);
    event[field::context] = std::move(start.context);
    event[field::secret_keys] = std::move(start.secret_keys);
    event[field::steps] = std::move(steps);
    event[field::plan] = std::move(start.plan);
    event[field::started_by] = std::move(start.started_by);
    event[field::deployphase_version] = std::move(start.deployphase_version);
    event[field::context_sha256] = std::move(start.context_sha256);
    return event;
}

json run_resumed(std::optional<std::size_t> stopped, std::optional<std::string> phase_sha256) {
    json event = of(EventType::run_resumed);
    if (stopped) event[field::stopped_leftover_processes] = *stopped;
    if (phase_sha256) event[field::phase_sha256] = std::move(*phase_sha256);
    return event;
}

json context_changed(json context, std::vector<std::string> changed_keys) {
    json event = of(EventType::context_changed);
    event[field::context] = std::move(context);
    event[field::changed_keys] = std::move(changed_keys);
    return event;
}

json step_skipped(std::size_t index, std::string_view reason) {
    json event = at_step(EventType::step_skipped, index);
    event[field::reason] = reason;
    return event;
}

json step_started(std::size_t index, std::string_view reason) {
    json event = at_step(EventType::step_started, index);
    event[field::reason] = reason;
    return event;
}

json check_finished(std::size_t index, int exit_code, std::string_view reason) {
    json event = at_step(EventType::check_finished, index);
    event[field::exit_code] = exit_code;
    event[field::reason] = reason;
    return event;
}

json step_satisfied(std::size_t index) {
    return at_step(EventType::step_satisfied, index);
}

json attempt_started(std::size_t index, unsigned attempt) {
    json event = at_step(EventType::attempt_started, index);
    event[field::attempt] = attempt;
    return event;
}

json attempt_finished(std::size_t index, int exit_code, std::int64_t duration_ms,
                      std::string_view reason) {
    json event = at_step(EventType::attempt_finished, index);
    event[field::exit_code] = exit_code;
    event[field::duration_ms] = duration_ms;
    event[field::reason] = reason;
    return event;
}

json output_recorded(std::size_t index, json values, std::vector<std::string> problems) {
    json event = at_step(EventType::output_recorded, index);
    event[field::values] = std::move(values);
    event[field::problems] = std::move(problems);
    return event;
}

json step_finished(std::size_t index, StepStatus status, std::optional<std::string_view> reason) {
    json event = at_step(EventType::step_finished, index);
    event[field::status] = step_status_name(status);
    if (reason) event[field::reason] = *reason;
    return event;
}

json step_awaiting_confirmation(std::size_t index, bool four_eyes) {
    json event = at_step(EventType::step_awaiting_confirmation, index);
    if (four_eyes) event[field::four_eyes] = true;
    return event;
}

json step_confirmed(std::size_t index, json by, std::string_view reason) {
    json event = at_step(EventType::step_confirmed, index);
    event[field::by] = std::move(by);
    if (!reason.empty()) event[field::reason] = reason;
    return event;
}

json rollback_begun(RollbackTrigger trigger, std::string_view reason, json by,
                    const std::vector<std::size_t>& order) {
    json event = of(EventType::rollback_begun);
    event[field::trigger] = trigger == RollbackTrigger::on_failure ? "on-failure" : "requested";
    event[field::reason] = reason;
    event[field::steps] = order;
    if (!by.is_null()) event[field::by] = std::move(by);
    return event;
}

json rollback_script_started(std::size_t index) {
    return at_step(EventType::rollback_script_started, index);
}

json rollback_script_finished(std::size_t index, RollbackOutcome outcome, int exit_code,
                              std::int64_t duration_ms, std::string_view reason) {
    json event = at_step(EventType::rollback_script_finished, index);
    event[field::status] = rollback_outcome_name(outcome);
    event[field::exit_code] = exit_code;
    event[field::duration_ms] = duration_ms;
    event[field::reason] = reason;
    return event;
}

json run_finished(RunStatus status, std::optional<std::string_view> reason) {
    json event = of(EventType::run_finished);
    event[field::status] = run_status_name(status);
    if (reason) event[field::reason] = *reason;
    return event;
}

}  // namespace event
}  // namespace deployphase::state
