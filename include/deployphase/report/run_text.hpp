#pragma once
// A run as `status` shows it (text, JSON), and a rollback plan and a context change as text for
// a person at a terminal.

#include <string>

#include <nlohmann/json.hpp>

#include <deployphase/phase/model.hpp>
#include <deployphase/plan/context_drift.hpp>
#include <deployphase/run/rollback.hpp>
#include <deployphase/state/run_state.hpp>

namespace deployphase::report {

// `Run ID of "PHASE": STATE (REASON)`: the one line --quiet ends with.
std::string render_run_line(const state::RunState& run);

// A recorded time as JSON: the time, or null where a journal of format 1 kept none or the
// moment has not come. What status, report and history print for every time.
nlohmann::ordered_json recorded_time(const std::string& at);

// "user@host" of a recorded identity ({"user", "uid", "host"}); "" for none.
std::string describe_who(const nlohmann::json& who);

// "  started AT by USER@HOST, deployphase V; ended AT\n" under the run's line; "" for a
// journal of format 1, which kept no times.
std::string render_started_line(const state::RunState& run);

// That line, then one per step: "  2/8  deploy  succeeded  1 attempt  1.2s".
std::string render_run_state(const state::RunState& run);

// What `rollback --dry-run` prints (and a rollback with nothing to undo): the rollback scripts
// that would run, in order, and the completed steps left as they are.
std::string render_rollback_plan(const state::RunState& run, const phase::Phase& phase,
                                 const run::RollbackPlan& plan);

// The line `status` adds under the current run for a later run that changed nothing: "Later,
// run ID was skipped (REASON); it changed nothing, so the run above is still the last that
// did."
std::string render_later_run(const state::RunState& later);

// "Context changed: a, b" and each pending step whose guard decision flipped.
std::string render_context_drift(const plan::ContextDrift& drift);

// A run as JSON: run_id, phase, state, reason, and steps with index, id, status, attempts,
// exit_code, duration_ms and reason.
nlohmann::ordered_json status_json(const state::RunState& run);
// What `status --output json` (and `run -o json`) prints: status_json, then `finished`, and
// with `later`, `later_run` (run_id, state, reason) for a later run that changed nothing.
nlohmann::ordered_json status_document(const state::RunState& run,
                                       const state::RunState* later = nullptr);

}  // namespace deployphase::report
