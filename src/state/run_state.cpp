#include <deployphase/state/run_state.hpp>

#include <fmt/format.h>

#include <deployphase/context/context.hpp>
#include <deployphase/state/journal.hpp>

namespace deployphase::state {
namespace {

using nlohmann::json;

const char* const step_names[] = {"pending",
                                  "running",
                                  "succeeded",
                                  "failed",
                                  "skipped",
                                  "satisfied",
                                  "awaiting-confirmation",
                                  "interrupted",
                                  "rolled-back"};
const char* const run_names[] = {
    "running",     "succeeded", "failed", "interrupted", "awaiting-confirmation",
    "rolled-back", "skipped",   "blocked"};

template <typename Enum, std::size_t N>
Enum from_name(const char* const (&names)[N], const std::string& name, std::size_t seq) {
    for (std::size_t i = 0; i < N; ++i) {
        if (name == names[i]) return static_cast<Enum>(i);
    }
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

[[noreturn]] void Fold::bad(const json&, std::string message) const {
    throw RecordError(m_seq, std::move(message));
}

StepState& Fold::step(const json& record) {
    std::size_t index = record.value("index", std::size_t{0});
    if (index == 0 || index > m_state.steps.size()) {
        bad(record, fmt::format("no step {} in this run", index));
    }
    return m_state.steps[index - 1];
}

void Fold::apply_record(const json& record) {
    std::string type = record.value("type", "");
    std::size_t seq = record.value("seq", std::size_t{0});
    if (seq == 1 && type != "run_started")
        bad(record, "the journal does not begin with run_started");
    if (type == "run_started") {
        if (seq != 1) bad(record, "a second run_started");
        m_state.run_id = record.value("run_id", "");
        m_state.phase = record.value("phase", "");
        m_state.phase_file = record.value("phase_file", "");
        m_state.phase_sha256 = record.value("phase_sha256", "");
        m_state.context = record.value("context", json::object());
        m_state.started_context = m_state.context;
        if (!m_state.context.is_object()) bad(record, "the run's context is not an object");
        json secret_keys = record.value("secret_keys", json::array());
        if (!secret_keys.is_array()) bad(record, "secret_keys is not an array");
        for (const json& key : secret_keys) {
            if (!key.is_string()) bad(record, "a secret key that is not a string");
            m_state.secret_keys.push_back(key.get<std::string>());
        }
        // Not record.value(): that copies, and a long run's list of steps is large.
        static const json no_steps = json::array();
        auto found = record.find("steps");
        const json& steps = found != record.end() ? *found : no_steps;
        if (steps.is_array()) m_state.steps.reserve(steps.size());
        for (const json& s : steps) {
            if (!s.is_object() || !s.contains("id") || !s["id"].is_string())
                bad(record, "a step without an id");
            StepState state;
            state.index = m_state.steps.size() + 1;
            state.id = s.value("id", "");
            m_state.steps.push_back(std::move(state));
        }
    } else if (type == "step_skipped") {
        StepState& s = step(record);
        s.status = StepStatus::skipped;
        s.reason = record.value("reason", "");
    } else if (type == "step_satisfied") {
        step(record).status = StepStatus::satisfied;
    } else if (type == "attempt_started") {
        StepState& s = step(record);
        s.status = StepStatus::running;
        s.attempts = record.value("attempt", s.attempts + 1);
    } else if (type == "attempt_finished") {
        StepState& s = step(record);
        s.exit_code = record.contains("exit_code") && record["exit_code"].is_number_integer()
                          ? std::optional<int>(record["exit_code"].get<int>())
                          : std::nullopt;
        s.duration_ms = record.value("duration_ms", std::int64_t{0});
        s.reason = record.value("reason", "");
    } else if (type == "output_recorded") {
        json values = record.value("values", json::object());
        context::deep_merge(step(record).outputs, values);
        context::deep_merge(m_state.context, values);
        context::deep_merge(m_state.outputs, values);
    } else if (type == "context_changed") {
        m_state.context = record.value("context", json::object());
    } else if (type == "step_finished") {
        StepState& s = step(record);
        s.status = from_name<StepStatus>(step_names, record.value("status", ""), seq);
        if (record.contains("reason")) s.reason = record.value("reason", "");
    } else if (type == "step_awaiting_confirmation") {
        step(record).status = StepStatus::awaiting_confirmation;
    } else if (type == "step_confirmed") {
        step(record).status = StepStatus::succeeded;
    } else if (type == "rollback_begun") {
        m_state.rollback_begun = true;
        m_state.rollback_reason = record.value("reason", "");
        m_state.rollback_order.clear();
        for (const json& index : record.value("steps", json::array())) {
            json at = {{"seq", seq}, {"index", index}};
            m_state.rollback_order.push_back(step(at).index);
        }
        m_state.status = RunStatus::running;
        m_state.finished = false;
    } else if (type == "rollback_script_started") {
        step(record);
    } else if (type == "rollback_script_finished") {
        StepState& s = step(record);
        std::string outcome = record.value("status", "");
        std::string reason = record.value("reason", "");
        if (outcome == "rolled-back") {
            s.status = StepStatus::rolled_back;  // its reason, how it failed, stays
        } else if (outcome == "failed") {
            s.status = StepStatus::failed;
            s.reason = "rollback " + reason;
        } else if (outcome == "interrupted") {
            s.reason = "rollback interrupted";
        } else {
            bad(record, fmt::format("unknown rollback outcome \"{}\"", outcome));
        }
    } else if (type == "step_started") {
        step(record);  // its guard let it run; what it did follows
    } else if (type == "check_finished") {
        step(record);  // the check's outcome shows in what follows: satisfied or an attempt
    } else if (type == "run_resumed") {
        m_state.status = RunStatus::running;
        m_state.reason.clear();
        m_state.finished = false;
    } else if (type == "run_finished") {
        m_state.status = from_name<RunStatus>(run_names, record.value("status", ""), seq);
        m_state.reason = record.value("reason", "");
        m_state.finished = true;
    } else {
        bad(record, fmt::format("unknown event \"{}\"", type));
    }
}

std::string_view step_status_name(StepStatus status) {
    return step_names[static_cast<int>(status)];
}
std::string_view run_status_name(RunStatus status) {
    return run_names[static_cast<int>(status)];
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

RecordError::RecordError(std::size_t seq, const std::string& message)
    : StateError(fmt::format("record {}: {}", seq, message)), m_seq(seq), m_message(message) {}

RunState fold(const std::vector<json>& records) {
    Fold fold;
    for (const json& record : records)
        fold.apply(record);
    if (records.empty()) throw StateError("the journal records no run");
    return fold.state();
}

nlohmann::ordered_json status_json(const RunState& state) {
    nlohmann::ordered_json steps = nlohmann::ordered_json::array();
    for (const StepState& s : state.steps) {
        steps.push_back({{"index", s.index},
                         {"id", s.id},
                         {"status", step_status_name(s.status)},
                         {"attempts", s.attempts},
                         {"exit_code", s.exit_code ? nlohmann::ordered_json(*s.exit_code)
                                                   : nlohmann::ordered_json()},
                         {"duration_ms", s.duration_ms},
                         {"reason", s.reason}});
    }
    return {{"run_id", state.run_id},
            {"phase", state.phase},
            {"state", run_status_name(state.status)},
            {"reason", state.reason},
            {"steps", std::move(steps)}};
}

}  // namespace deployphase::state
