#include <deployphase/run/rollback.hpp>

#include <algorithm>

#include <fmt/format.h>

#include <deployphase/run/leftovers.hpp>

#include <deployphase/run/recorded_run.hpp>
#include "run/rolling_back.hpp"

namespace deployphase::run {
namespace {

using nlohmann::json;
using state::RunState;
using state::StepStatus;

bool completed(StepStatus status) {
    return status == StepStatus::succeeded;
}

// Tried and possibly half done.
bool attempted(StepStatus status) {
    return status == StepStatus::failed || status == StepStatus::interrupted ||
           status == StepStatus::running;
}

}  // namespace

RollbackPlan plan_rollback(const phase::Phase& phase, const RunState& run) {
    RollbackPlan plan;
    if (run.rollback_begun) {
        plan.order = run.pending_rollbacks();
        return plan;
    }
    auto has_script = [&](const state::StepState& s) {
        return s.index <= phase.steps.size() && phase.steps[s.index - 1].rollback.has_value();
    };
    for (auto step = run.steps.rbegin(); step != run.steps.rend(); ++step) {
        if (!completed(step->status)) continue;
        (has_script(*step) ? plan.order : plan.without_script).push_back(step->index);
    }
    std::sort(plan.without_script.begin(), plan.without_script.end());
    for (auto step = run.steps.rbegin(); step != run.steps.rend(); ++step) {
        if (attempted(step->status) && has_script(*step)) plan.order.push_back(step->index);
    }
    return plan;
}

RunState begin_rollback(state::Journal& journal, ScriptRunner& scripts, const phase::Phase& phase,
                        std::string_view trigger) {
    RunState state = journal.state();
    RollbackPlan plan = plan_rollback(phase, state);
    std::string reason = "requested";
    for (const state::StepState& step : state.steps) {
        if (step.status == StepStatus::failed) {
            reason = fmt::format("step {} ({}) failed{}", step.index, step.id,
                                 step.reason.empty() ? "" : ": " + step.reason);
        }
    }
    journal.append({{"type", "rollback_begun"},
                    {"trigger", trigger},
                    {"reason", trigger == "on-failure" ? reason : "requested"},
                    {"steps", plan.order}});
    return drive_rollback(journal, scripts, phase);
}

RunState drive_rollback(state::Journal& journal, ScriptRunner& scripts, const phase::Phase& phase) {
    RunState state = journal.state();
    for (std::size_t index : state.pending_rollbacks()) {
        if (scripts.interrupted()) {
            journal.append({{"type", "run_finished"}, {"status", "interrupted"}});
            return journal.state();
        }
        const phase::Step& step = phase.steps[index - 1];
        journal.append({{"type", "rollback_script_started"}, {"index", index}});
        ProcessResult result = scripts.run(step, ScriptKind::rollback, 1, state.context);
        std::string reason = describe_ending(result, *step.rollback);
        std::string outcome = result.ending == ProcessResult::Ending::interrupted ? "interrupted"
                              : reason.empty()                                    ? "rolled-back"
                                                                                  : "failed";
        journal.append({{"type", "rollback_script_finished"},
                        {"index", index},
                        {"status", outcome},
                        {"exit_code", result.exit_code},
                        {"duration_ms", result.duration.count()},
                        {"reason", reason}});
        if (outcome == "interrupted") {
            journal.append({{"type", "run_finished"}, {"status", "interrupted"}});
            return journal.state();
        }
        if (outcome == "failed") {
            journal.append(
                {{"type", "run_finished"},
                 {"status", "failed"},
                 {"reason", fmt::format("the rollback of step {} ({}) {}; `deployphase rollback` "
                                        "tries it again",
                                        index, step.id, reason)}});
            return journal.state();
        }
    }
    journal.append({{"type", "run_finished"},
                    {"status", "rolled-back"},
                    {"reason", state.rollback_reason == "requested" ? "" : state.rollback_reason}});
    return journal.state();
}

RunState rollback_run(const phase::LoadedPhase& phase, const RunOptions& options,
                      const InterruptFlag& interrupt) {
    RecordedRun run = open_recorded_run(*store_of(options), "roll back");
    run.journal.set_observer(options.on_event);
    if (run.state.finished && run.state.status == state::RunStatus::rolled_back) return run.state;
    // Nothing to undo (a skipped phase, steps without rollback scripts): the run stays as it
    // is rather than claiming a rollback that changed nothing.
    if (!run.state.rollback_begun && plan_rollback(phase.phase, run.state).order.empty()) {
        return run.state;
    }
    require_same_phase(phase, run.state, options.allow_changed);
    // A dead runner's step may still be running in the background: it must not race its own
    // rollback.
    if (!run.state.finished) stop_leftover_processes(run.state.run_id);
    // Nothing here gives the secrets' values again: rollback scripts see "***" for them
    // (docs/reliability.md).
    context::Secrets secrets(secret_names(run.state, options));
    run.journal.mask_with(&secrets);
    ScriptRunner scripts(phase, options, run.state.run_id, interrupt, secrets);
    if (run.state.rollback_begun) {
        run.journal.append({{"type", "run_resumed"}});
        return drive_rollback(run.journal, scripts, phase.phase);
    }
    return begin_rollback(run.journal, scripts, phase.phase, "requested");
}

}  // namespace deployphase::run
