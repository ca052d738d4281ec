#include <deployphase/run/rollback.hpp>

#include <algorithm>

#include <fmt/format.h>

#include <deployphase/run/leftovers.hpp>
#include <deployphase/run/recorded_run.hpp>
#include <deployphase/state/events.hpp>
#include <deployphase/support/errors.hpp>

#include "run/identity.hpp"
#include "run/rolling_back.hpp"

namespace deployphase::run {
namespace {

using state::RollbackOutcome;
using state::RunState;
using state::RunStatus;
using state::StepStatus;
namespace event = state::event;

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

RunState begin_rollback(ActiveRun run, const phase::Phase& phase, state::RollbackTrigger trigger) {
    RunState state = run.journal.state();
    RollbackPlan plan = plan_rollback(phase, state);
    std::string reason = "requested";
    if (trigger == state::RollbackTrigger::on_failure) {
        for (const state::StepState& step : state.steps) {
            if (step.status == StepStatus::failed) {
                reason = fmt::format("step {} ({}) failed{}", step.index, step.id,
                                     step.reason.empty() ? "" : ": " + step.reason);
            }
        }
    }
    // A requested rollback names who asked; one on failure is the run's own.
    nlohmann::json by =
        trigger == state::RollbackTrigger::requested ? who_runs_this() : nlohmann::json();
    run.journal.append(event::rollback_begun(trigger, reason, std::move(by), plan.order));
    return drive_rollback(run, phase);
}

RunState drive_rollback(ActiveRun run, const phase::Phase& phase) {
    RunState state = run.journal.state();
    for (std::size_t index : state.pending_rollbacks()) {
        if (run.interrupted()) {
            run.journal.append(event::run_finished(RunStatus::interrupted));
            return run.journal.state();
        }
        const phase::Step& step = phase.steps[index - 1];
        run.journal.append(event::rollback_script_started(index));
        ProcessResult result = run.scripts.run(step, ScriptKind::rollback, 1, state.context);
        std::string reason = describe_ending(result, *step.rollback);
        RollbackOutcome outcome = result.ending == ProcessResult::Ending::interrupted
                                      ? RollbackOutcome::interrupted
                                  : reason.empty() ? RollbackOutcome::rolled_back
                                                   : RollbackOutcome::failed;
        run.journal.append(event::rollback_script_finished(index, outcome, result.exit_code,
                                                           result.duration.count(), reason));
        if (outcome == RollbackOutcome::interrupted) {
            run.journal.append(event::run_finished(RunStatus::interrupted));
            return run.journal.state();
        }
        if (outcome == RollbackOutcome::failed) {
            run.journal.append(event::run_finished(
                RunStatus::failed,
                fmt::format("the rollback of step {} ({}) {}; `deployphase rollback` tries it "
                            "again",
                            index, step.id, reason)));
            return run.journal.state();
        }
    }
    run.journal.append(event::run_finished(
        RunStatus::rolled_back, state.rollback_reason == "requested" ? "" : state.rollback_reason));
    return run.journal.state();
}

RunState rollback_run(const phase::LoadedPhase& phase, const RunOptions& options,
                      const InterruptFlag& interrupt) {
    RecordedRun run = open_recorded_run(*store_of(options), "roll back");
    run.journal.set_observer(options.on_event);
    if (run.state.finished && run.state.status == RunStatus::rolled_back) return run.state;
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
    context::Secrets secrets(secret_names(run.state, options.secret_keys));
    run.journal.mask_with(&secrets);
    std::unique_ptr<Scripts> scripts =
        make_scripts({phase, options, run.state.run_id, interrupt, secrets});
    ActiveRun active{run.journal, *scripts, interrupt};
    if (run.state.rollback_begun) {
        std::optional<std::string> accepted;
        if (run.state.phase_sha256 != phase.sha256()) accepted = phase.sha256();
        run.journal.append(event::run_resumed(std::nullopt, std::move(accepted)));
        return drive_rollback(active, phase.phase);
    }
    return begin_rollback(active, phase.phase, state::RollbackTrigger::requested);
}

bool RollbackPreview::already_rolled_back() const {
    return run.finished && run.status == RunStatus::rolled_back;
}

bool RollbackPreview::nothing_to_undo() const {
    return !already_rolled_back() && !run.rollback_begun && plan.order.empty();
}

RollbackPreview preview_rollback(state::StateStore& store) {
    std::optional<RunState> current = read_run(store);
    if (!current) throw StateError(store.name(), "no run to roll back");
    RollbackPreview preview{std::move(*current), std::nullopt, {}};
    if (preview.already_rolled_back()) return preview;
    preview.phase = phase::load_phase(preview.run.phase_file);
    preview.plan = plan_rollback(preview.phase->phase, preview.run);
    return preview;
}

void require_no_live_runner(state::StateStore& store, const RunState& run) {
    if (run.finished) return;
    std::unique_ptr<state::StoreLock> probe = store.lock();  // LockHeld while a runner holds it
}

}  // namespace deployphase::run
