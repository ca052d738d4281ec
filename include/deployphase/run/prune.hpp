#pragma once
// `deployphase prune`: old runs deleted from a store (journals or rows, and their log sections),
// never an unfinished run nor the last run that changed something.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <vector>

#include <deployphase/state/run_state.hpp>
#include <deployphase/state/store.hpp>

namespace deployphase::run {

struct PruneRule {
    std::optional<std::size_t> keep;                      // the newest N runs stay
    std::optional<std::chrono::milliseconds> older_than;  // runs that ended longer ago go
};

struct PrunePlan {
    std::vector<state::RunState> doomed;  // newest first
    std::size_t kept = 0;
};

// What the rule deletes, read without the lock (`prune --dry-run` prints it). A run's time is
// when it ended, else when it started (to the second, from its id, for journal format 1).
PrunePlan plan_prune(state::StateStore& store, const PruneRule& rule,
                     std::chrono::system_clock::time_point now);

// Deletes the plan's runs under the store's lock, each durably, and their sections of the step
// logs in `state_dir`. Throws LockHeld while a runner holds the store.
void prune(state::StateStore& store, const std::filesystem::path& state_dir, const PrunePlan& plan);

}  // namespace deployphase::run
