#pragma once
// Undoing a run: which rollback scripts run, in what order, and running them. Used on demand
// (`deployphase rollback`) and by `run --on-failure=rollback`.

#include <cstddef>
#include <filesystem>
#include <vector>

#include <deployphase/phase/loader.hpp>
#include <deployphase/run/runner.hpp>
#include <deployphase/state/run_state.hpp>

namespace deployphase::run {

struct RollbackPlan {
    // Step indexes in the order their rollback scripts run: the steps this run completed,
    // newest first, then the step that failed, was interrupted or died with its runner.
    std::vector<std::size_t> order;
    // Completed steps with no rollback script: left as they are.
    std::vector<std::size_t> without_script;
};

// What rolling back `run` would do now. Once a rollback has begun, its recorded order is kept
// and only the steps not yet rolled back remain. Satisfied, skipped and pending steps are never
// rolled back: this run changed nothing there.
RollbackPlan plan_rollback(const phase::Phase& phase, const state::RunState& run);

// Rolls back the run in options.state_dir (finished or not; a rollback that stopped part-way
// continues where it stopped), recording every rollback script's start and end. Ends the run
// `rolled-back` when every script succeeded, `failed` at the first that fails, `interrupted`
// on a signal. A run already rolled back, or with no rollback script to run, is returned as
// it is and nothing is recorded. Throws state::LockHeld, or
// StateError when there is no run or the phase changed (unless options.allow_changed).
state::RunState rollback_run(const phase::LoadedPhase& phase, const RunOptions& options,
                             const InterruptFlag& interrupt);

}  // namespace deployphase::run
