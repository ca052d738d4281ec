#include <deployphase/state/run_state.hpp>

#include <fmt/format.h>

#include <deployphase/context/context.hpp>
#include <deployphase/state/journal.hpp>
#include <deployphase/support/errors.hpp>

namespace deployphase::state {
namespace {

using nlohmann::json;

template <typename Enum>
Enum status_in(const json& record, std::optional<Enum> (*from_name)(std::string_view),
               std::size_t seq) {
    std::string name = record.value(field::status, "");
    if (std::optional<Enum> status = from_name(name)) return *status;
    throw RecordError(seq, fmt::format("unknown status \"{}\"", name));
}

}  // namespace

void Fold::apply(const json& record) {
    ++m_seq;
    try {
        apply_record(record);
    } catch (const json::exception& e) {
        // A field of the wrong type: the record is not one this version wrote.
        std::string_view what = e.what();  // "[json.exception.type_error.302] type..."
        if (auto end = what.find("] "); end != std::string_view::npos) what.remove_prefix(end + 2);
        throw RecordError(m_seq, fmt::format("malformed record: {}", what));
    }
}

[[noreturn]] void Fold::bad(std::string message) const {
    throw RecordError(m_seq, std::move(message));
}

StepState& Fold::step(const json& record) {
    std::size_t index = record.value(field::index, std::size_t{0});
    if (index == 0 || index > m_state.steps.size()) {
        bad(fmt::format("no step {} in this run", index));
    }
    return m_state.steps[index - 1];
}

void Fold::start(const json& record) {
    m_state.run_id = record.value(field::run_id, "");
    m_state.phase = record.value(field::phase, "");
    m_state.phase_file = record.value(field::phase_file, "");
    m_state.phase_sha256 = record.value(field::phase_sha256, "");
    m_state.context = record.value(field::context, json::object());
    m_state.started_context = m_state.context;
    if (!m_state.context.is_object()) bad("the run's context is not an object");
    json secret_keys = record.value(field::secret_keys, json::array());
    if (!secret_keys.is_array()) bad("secret_keys is not an array");
    for (const json& key : secret_keys) {
        if (!key.is_string()) bad("a secret key that is not a string");
        m_state.secret_keys.push_back(key.get<std::string>());
    }
    // Not record.value(): that copies, and a long run's list of steps is large.
    static const json no_steps = json::array();
    auto found = record.find(field::steps);
    const json& steps = found != record.end() ? *found : no_steps;
    if (steps.is_array()) m_state.steps.reserve(steps.size());
    for (const json& s : steps) {
        if (!s.is_object() || !s.contains(field::id) || !s[field::id].is_string())
            bad("a step without an id");
        StepState state;
        state.index = m_state.steps.size() + 1;
        state.id = s.value(field::id, "");
        m_state.steps.push_back(std::move(state));
    }
}

void Fold::rollback_script_finished(const json& record) {
    StepState& s = step(record);
    std::string name = record.value(field::status, "");
    std::optional<RollbackOutcome> outcome = rollback_outcome_from_name(name);
    if (!outcome) bad(fmt::format("unknown rollback outcome \"{}\"", name));
    switch (*outcome) {
        case RollbackOutcome::rolled_back:
            s.status = StepStatus::rolled_back;  // its reason, how it failed, stays
            break;
        case RollbackOutcome::failed:
            s.status = StepStatus::failed;
            s.reason = "rollback " + record.value(field::reason, "");
            break;
        case RollbackOutcome::interrupted:
            s.reason = "rollback interrupted";
            break;
    }
}

void Fold::apply_record(const json& record) {
    std::optional<EventType> type = event_type(record);
    std::size_t seq = record.value(field::seq, std::size_t{0});
    if (seq == 1 && type != EventType::run_started)
        bad("the journal does not begin with run_started");
    if (!type) bad(fmt::format("unknown event \"{}\"", record.value(field::type, "")));
    switch (*type) {
        case EventType::run_started:
            if (seq != 1) bad("a second run_started");
            start(record);
            break;
        case EventType::step_skipped: {
            StepState& s = step(record);
            s.status = StepStatus::skipped;
            s.reason = record.value(field::reason, "");
            break;
        }
        case EventType::step_started:    // its guard let it run; what it did follows
        case EventType::check_finished:  // its outcome shows next: satisfied, or an attempt
        case EventType::rollback_script_started:
            step(record);
            break;
        case EventType::step_satisfied:
            step(record).status = StepStatus::satisfied;
            break;
        case EventType::attempt_started: {
            StepState& s = step(record);
            s.status = StepStatus::running;
            s.attempts = record.value(field::attempt, s.attempts + 1);
            break;
        }
        case EventType::attempt_finished: {
            StepState& s = step(record);
            auto code = record.find(field::exit_code);
            s.exit_code = code != record.end() && code->is_number_integer()
                              ? std::optional<int>(code->get<int>())
                              : std::nullopt;
            s.duration_ms = record.value(field::duration_ms, std::int64_t{0});
            s.reason = record.value(field::reason, "");
            break;
        }
        case EventType::output_recorded: {
            json values = record.value(field::values, json::object());
            context::deep_merge(step(record).outputs, values);
            context::deep_merge(m_state.context, values);
            context::deep_merge(m_state.outputs, values);
            break;
        }
        case EventType::context_changed:
            m_state.context = record.value(field::context, json::object());
            break;
        case EventType::step_finished: {
            StepState& s = step(record);
            s.status = status_in<StepStatus>(record, step_status_from_name, seq);
            if (record.contains(field::reason)) s.reason = record.value(field::reason, "");
            break;
        }
        case EventType::step_awaiting_confirmation:
            step(record).status = StepStatus::awaiting_confirmation;
            break;
        case EventType::step_confirmed:
            step(record).status = StepStatus::succeeded;
            break;
        case EventType::rollback_begun:
            m_state.rollback_begun = true;
            m_state.rollback_reason = record.value(field::reason, "");
            m_state.rollback_order.clear();
            for (const json& index : record.value(field::steps, json::array())) {
                json at = {{field::index, index}};
                m_state.rollback_order.push_back(step(at).index);
            }
            m_state.status = RunStatus::running;
            m_state.finished = false;
            break;
        case EventType::rollback_script_finished:
            rollback_script_finished(record);
            break;
        case EventType::run_resumed:
            m_state.status = RunStatus::running;
            m_state.reason.clear();
            m_state.finished = false;
            break;
        case EventType::run_finished:
            m_state.status = status_in<RunStatus>(record, run_status_from_name, seq);
            m_state.reason = record.value(field::reason, "");
            m_state.finished = true;
            break;
    }
}

bool RunState::unfinished() const {
    return !finished || status == RunStatus::failed || status == RunStatus::interrupted ||
           status == RunStatus::awaiting_confirmation;
}

std::vector<std::size_t> RunState::unfinished_steps() const {
    std::vector<std::size_t> out;
    for (const StepState& s : steps) {
        if (s.status != StepStatus::succeeded && s.status != StepStatus::satisfied &&
            s.status != StepStatus::skipped && s.status != StepStatus::rolled_back) {
            out.push_back(s.index);
        }
    }
    return out;
}

std::vector<std::size_t> RunState::pending_rollbacks() const {
    std::vector<std::size_t> out;
    for (std::size_t index : rollback_order) {
        if (steps[index - 1].status != StepStatus::rolled_back) out.push_back(index);
    }
    return out;
}

RunState fold(const std::vector<json>& records) {
    Fold fold;
    for (const json& record : records)
        fold.apply(record);
    if (records.empty()) throw StateError({}, "the journal records no run");
    return fold.state();
}

}  // namespace deployphase::state
