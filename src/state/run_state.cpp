#include <deployphase/state/run_state.hpp>

#include <climits>

#include <fmt/format.h>

#include <deployphase/context/context.hpp>
#include <deployphase/state/journal.hpp>
#include <deployphase/support/errors.hpp>
#include <deployphase/support/json_source.hpp>

namespace deployphase::state {
namespace {

using nlohmann::json;

// Each field is read with its type checked, and a wrong one named: a record of this version
// always has them so. A missing field reads as its zero value; the events that need one check.
[[noreturn]] void wrong_type(std::size_t seq, const char* name, const json& found,
                             const char* expected) {
    throw RecordError(
        seq, fmt::format("field \"{}\" is {}, not {}", name, json_type_name(found), expected));
}

std::string text_of(const json& record, const char* name, std::size_t seq) {
    auto found = record.find(name);
    if (found == record.end()) return "";
    if (!found->is_string()) wrong_type(seq, name, *found, "a string");
    return found->get<std::string>();
}

std::size_t count_of(const json& record, const char* name, std::size_t seq) {
    auto found = record.find(name);
    if (found == record.end()) return 0;
    bool count = found->is_number_unsigned() ||
                 (found->is_number_integer() && found->get<std::int64_t>() >= 0);
    if (!count) wrong_type(seq, name, *found, "a whole number from 0");
    return found->get<std::size_t>();
}

std::int64_t integer_of(const json& record, const char* name, std::size_t seq) {
    auto found = record.find(name);
    if (found == record.end()) return 0;
    if (!found->is_number_integer()) wrong_type(seq, name, *found, "a whole number");
    return found->get<std::int64_t>();
}

// An object or array field, by reference: a long run's lists are large.
const json& structure_of(const json& record, const char* name, json::value_t type,
                         std::size_t seq) {
    static const json no_object = json::object();
    static const json no_array = json::array();
    auto found = record.find(name);
    if (found == record.end()) return type == json::value_t::object ? no_object : no_array;
    if (found->type() != type)
        wrong_type(seq, name, *found, type == json::value_t::object ? "an object" : "an array");
    return *found;
}

template <typename Enum>
Enum status_in(const json& record, std::optional<Enum> (*from_name)(std::string_view),
               std::size_t seq) {
    std::string name = text_of(record, field::status, seq);
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
    std::size_t index = count_of(record, field::index, m_seq);
    if (index == 0 || index > m_state.steps.size()) {
        bad(fmt::format("no step {} in this run", index));
    }
    return m_state.steps[index - 1];
}

void Fold::start(const json& record) {
    m_state.run_id = text_of(record, field::run_id, m_seq);
    m_state.phase = text_of(record, field::phase, m_seq);
    m_state.phase_file = text_of(record, field::phase_file, m_seq);
    m_state.phase_sha256 = text_of(record, field::phase_sha256, m_seq);
    m_state.started_at = text_of(record, field::at, m_seq);
    if (record.contains(field::started_by))
        m_state.started_by = structure_of(record, field::started_by, json::value_t::object, m_seq);
    m_state.deployphase_version = text_of(record, field::deployphase_version, m_seq);
    m_state.context_sha256 = text_of(record, field::context_sha256, m_seq);
    m_state.context = structure_of(record, field::context, json::value_t::object, m_seq);
    m_state.started_context = m_state.context;
    for (const json& key : structure_of(record, field::secret_keys, json::value_t::array, m_seq)) {
        if (!key.is_string()) bad("a secret key that is not a string");
        m_state.secret_keys.push_back(key.get<std::string>());
    }
    const json& steps = structure_of(record, field::steps, json::value_t::array, m_seq);
    m_state.steps.reserve(steps.size());
    for (const json& s : steps) {
        if (!s.is_object() || !s.contains(field::id) || !s[field::id].is_string())
            bad("a step without an id");
        StepState state;
        state.index = m_state.steps.size() + 1;
        state.id = s[field::id].get<std::string>();
        m_state.steps.push_back(std::move(state));
    }
}

void Fold::rollback_script_finished(const json& record) {
    StepState& s = step(record);
    std::string name = text_of(record, field::status, m_seq);
    std::optional<RollbackOutcome> outcome = rollback_outcome_from_name(name);
    if (!outcome) bad(fmt::format("unknown rollback outcome \"{}\"", name));
    switch (*outcome) {
        case RollbackOutcome::rolled_back:
            s.status = StepStatus::rolled_back;  // its reason, how it failed, stays
            break;
        case RollbackOutcome::failed:
            s.status = StepStatus::failed;
            s.reason = "rollback " + text_of(record, field::reason, m_seq);
            break;
        case RollbackOutcome::interrupted:
            s.reason = "rollback interrupted";
            break;
    }
}

void Fold::apply_record(const json& record) {
    std::optional<EventType> type = event_type(record);
    std::size_t seq = count_of(record, field::seq, m_seq);
    if (seq == 1 && type != EventType::run_started)
        bad("the journal does not begin with run_started");
    if (!type) bad(fmt::format("unknown event \"{}\"", text_of(record, field::type, m_seq)));
    switch (*type) {
        case EventType::run_started:
            if (seq != 1) bad("a second run_started");
            start(record);
            break;
        case EventType::step_skipped: {
            StepState& s = step(record);
            s.status = StepStatus::skipped;
            s.reason = text_of(record, field::reason, m_seq);
            s.finished_at = text_of(record, field::at, m_seq);
            break;
        }
        case EventType::step_started: {  // its guard let it run; what it did follows
            StepState& s = step(record);
            s.started_at = text_of(record, field::at, m_seq);
            s.finished_at.clear();
            break;
        }
        case EventType::check_finished:  // its outcome shows next: satisfied, or an attempt
        case EventType::rollback_script_started:
            step(record);
            break;
        case EventType::step_satisfied: {
            StepState& s = step(record);
            s.status = StepStatus::satisfied;
            s.finished_at = text_of(record, field::at, m_seq);
            break;
        }
        case EventType::attempt_started: {
            StepState& s = step(record);
            s.status = StepStatus::running;
            std::size_t attempt = count_of(record, field::attempt, m_seq);
            s.attempts = attempt == 0 ? s.attempts + 1 : static_cast<unsigned>(attempt);
            break;
        }
        case EventType::attempt_finished: {
            StepState& s = step(record);
            // No exit code (null, or none) when the attempt was killed or never started.
            auto code = record.find(field::exit_code);
            s.exit_code = std::nullopt;
            if (code != record.end() && !code->is_null()) {
                std::int64_t exit_code = integer_of(record, field::exit_code, m_seq);
                if (exit_code < INT_MIN || exit_code > INT_MAX)
                    bad("field \"exit_code\" is out of range");
                s.exit_code = static_cast<int>(exit_code);
            }
            s.duration_ms = integer_of(record, field::duration_ms, m_seq);
            s.reason = text_of(record, field::reason, m_seq);
            break;
        }
        case EventType::output_recorded: {
            const json& values = structure_of(record, field::values, json::value_t::object, m_seq);
            context::deep_merge(step(record).outputs, values);
            context::deep_merge(m_state.context, values);
            context::deep_merge(m_state.outputs, values);
            break;
        }
        case EventType::context_changed:
            m_state.context = structure_of(record, field::context, json::value_t::object, m_seq);
            break;
        case EventType::step_finished: {
            StepState& s = step(record);
            s.status = status_in<StepStatus>(record, step_status_from_name, seq);
            if (record.contains(field::reason)) s.reason = text_of(record, field::reason, m_seq);
            s.finished_at = text_of(record, field::at, m_seq);
            break;
        }
        case EventType::step_awaiting_confirmation: {
            StepState& s = step(record);
            s.status = StepStatus::awaiting_confirmation;
            auto four_eyes = record.find(field::four_eyes);
            s.four_eyes = four_eyes != record.end() && four_eyes->is_boolean() && *four_eyes;
            break;
        }
        case EventType::step_confirmed: {
            StepState& s = step(record);
            s.status = StepStatus::succeeded;
            s.finished_at = s.confirmed_at = text_of(record, field::at, m_seq);
            if (record.contains(field::by))
                s.confirmed_by = structure_of(record, field::by, json::value_t::object, m_seq);
            s.confirm_reason = text_of(record, field::reason, m_seq);
            break;
        }
        case EventType::rollback_begun:
            m_state.rollback_begun = true;
            m_state.rollback_reason = text_of(record, field::reason, m_seq);
            if (record.contains(field::by))
                m_state.rollback_by = structure_of(record, field::by, json::value_t::object, m_seq);
            m_state.rollback_order.clear();
            for (const json& index :
                 structure_of(record, field::steps, json::value_t::array, m_seq)) {
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
            if (record.contains(field::phase_sha256))
                m_state.phase_sha256 = text_of(record, field::phase_sha256, m_seq);
            break;
        case EventType::run_finished:
            m_state.status = status_in<RunStatus>(record, run_status_from_name, seq);
            m_state.reason = text_of(record, field::reason, m_seq);
            m_state.finished = true;
            m_state.finished_at = text_of(record, field::at, m_seq);
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
