#pragma once
// What resume, rollback and confirm do first: take the lock, open the journal, fold it, and
// make sure the phase about to supply scripts is the one the run began with.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <deployphase/phase/loader.hpp>
#include <deployphase/state/journal.hpp>
#include <deployphase/state/run_state.hpp>
#include <deployphase/state/store.hpp>

namespace deployphase::run {

struct RecordedRun {
    std::unique_ptr<state::StoreLock> lock;
    state::Journal journal;
    state::RunState state;
};

// Locks the store and reads its current run. Throws LockHeld, or StateError when there is no
// run ("no run to <purpose>") or its journal cannot be trusted.
RecordedRun open_recorded_run(state::StateStore& store, std::string_view purpose);
// The same, but nothing (and nothing created, nothing locked) when there is no run.
std::optional<RecordedRun> open_recorded_run_if_any(state::StateStore& store);

// Reads the current run as `status` does, for a preview: no lock taken, nothing created or
// written (a torn last record is read past, not repaired). Throws LockHeld when a runner holds
// the store: what it records may change under the reader, and the command previewed would be
// refused too.
std::optional<RecordedRun> peek_recorded_run(state::StateStore& store);

// Throws StateError when the phase file changed since the run began (unless allow_changed), and
// always when its steps are no longer the same list: recorded indexes would name other steps.
void require_same_phase(const phase::LoadedPhase& phase, const state::RunState& run,
                        bool allow_changed);

// The keys a run treats as secret by name: those it started with and those given now.
std::vector<std::string> secret_names(const state::RunState& run,
                                      const std::vector<std::string>& given);

}  // namespace deployphase::run
