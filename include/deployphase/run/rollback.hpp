#pragma once
// Undoing a run: which rollback scripts run, in what order, and running them. Used on demand
// (`deployphase rollback`) and by `run --on-failure=rollback`.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <vector>

#include <deployphase/phase/loader.hpp>
#include <deployphase/run/runner.hpp>
#include <deployphase/state/run_state.hpp>
#include <deployphase/state/store.hpp>

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

// What `deployphase rollback` finds in the store, read without its lock: the current run, the
// phase it recorded (loaded from its file), and what rolling it back would do now.
struct RollbackPreview {
    state::RunState run;
    std::optional<phase::LoadedPhase> phase;  // none for a run already rolled back
    RollbackPlan plan;

    bool already_rolled_back() const;
    // No rollback script to run and none begun (a skipped phase, steps without rollback
    // scripts): a rollback would change nothing.
    bool nothing_to_undo() const;
};

// Throws StateError when the store holds no run, InputError when its phase file no longer
// reads.
RollbackPreview preview_rollback(state::StateStore& store);

// "Nothing to undo" is only true of a run no live runner is adding steps to: for a run that has
// not finished, takes the store's lock and lets it go again, throwing LockHeld while a runner
// holds it.
void require_no_live_runner(state::StateStore& store, const state::RunState& run);

// Rolls back the run in options.state_dir (finished or not; a rollback that stopped part-way
// continues where it stopped), recording every rollback script's start and end. Ends the run
// `rolled-back` when every script succeeded, `failed` at the first that fails, `interrupted`
// on a signal. A run already rolled back, or with no rollback script to run, is returned as
// it is and nothing is recorded. Throws LockHeld, or
// StateError when there is no run or the phase changed (unless options.allow_changed).
state::RunState rollback_run(const phase::LoadedPhase& phase, const RunOptions& options,
                             const InterruptFlag& interrupt);

}  // namespace deployphase::run
