#pragma once
// Events are the one record of a run; everything else is folded from them. This is the fold
// that status, resume, rollback and the reports read; the events are in state/events.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/state/events.hpp>
#include <deployphase/state/journal.hpp>

namespace deployphase::state {

struct StepState {
    std::size_t index = 0;
    std::string id;
    StepStatus status = StepStatus::pending;
    unsigned attempts = 0;
    std::optional<int> exit_code;
    std::int64_t duration_ms = 0;                       // of the last attempt
    std::string reason;                                 // why it was skipped, or how it failed
    nlohmann::json outputs = nlohmann::json::object();  // what it wrote to $DEPLOYPHASE_OUTPUT
    // When, UTC (ISO 8601; "" in a journal of format 1, which kept no time): its latest start
    // (its guard let it run) and its end (finished, skipped, satisfied or confirmed).
    std::string started_at;
    std::string finished_at;
    // A confirmed manual step: who ({"user", "uid", "host"}), when, and what they said.
    nlohmann::json confirmed_by;  // null until confirmed
    bool four_eyes = false;       // its confirmer must not be who started the run
    std::string confirmed_at;
    std::string confirm_reason;
};

struct RunState {
    std::string run_id;
    std::string phase;
    std::string phase_file;
    std::string phase_sha256;
    RunStatus status = RunStatus::running;
    std::string reason;                                         // why it ended so, when it says
    bool finished = false;                                      // a run_finished event was recorded
    nlohmann::json context = nlohmann::json::object();          // as started, plus recorded outputs
    nlohmann::json started_context = nlohmann::json::object();  // as given to run_started
    nlohmann::json outputs = nlohmann::json::object();          // every recorded output, merged
    std::vector<std::string> secret_keys;  // named secret with --secret when the run started
    // Who started it ({"user", "uid", "host"}; null in a journal of format 1), with what, when.
    nlohmann::json started_by;
    std::string deployphase_version;
    std::string context_sha256;
    std::string started_at;      // UTC, ISO 8601; "" in a journal of format 1
    std::string finished_at;     // its last run_finished; "" while it runs
    nlohmann::json rollback_by;  // who asked for the rollback; null: none, or on failure
    std::vector<StepState> steps;
    // Set once a rollback began: the steps whose rollback scripts run, in that order.
    bool rollback_begun = false;
    std::string rollback_reason;  // "requested", or which step failed
    std::vector<std::size_t> rollback_order;

    // Has not ended well: still running (or its runner died), failed, interrupted, or
    // awaiting a confirmation. A new run must not silently replace it.
    bool unfinished() const;

    // An unfinished run that `resume` may continue: one whose rollback has not begun.
    bool resumable() const { return unfinished() && !rollback_begun; }

    // The steps a resume must still run: neither succeeded, satisfied, skipped nor rolled back.
    std::vector<std::size_t> unfinished_steps() const;

    // The steps of rollback_order whose rollback has not succeeded yet, in order.
    std::vector<std::size_t> pending_rollbacks() const;
};

// Folds records one at a time into the state they describe: what a run's journal keeps
// instead of its records. apply() throws RecordError when a record does not fit a run (no
// run_started first, an unknown step index or event type, a field of the wrong type).
class Fold {
  public:
    void apply(const nlohmann::json& record);
    const RunState& state() const { return m_state; }

  private:
    void apply_record(const nlohmann::json& record);
    void start(const nlohmann::json& record);
    void rollback_script_finished(const nlohmann::json& record);
    [[noreturn]] void bad(std::string message) const;
    StepState& step(const nlohmann::json& record);

    std::size_t m_seq = 0;  // the record being folded, 1-based
    RunState m_state;
};

// Folds the journal's records into the state they describe. Throws RecordError when a record
// does not fit a run (no run_started first, an unknown step index or event type, a field of
// the wrong type), StateError when there is no record.
RunState fold(const std::vector<nlohmann::json>& records);

}  // namespace deployphase::state
