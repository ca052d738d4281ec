#pragma once
// `deployphase history`: the runs of a store, newest first, as a table and as JSON
// (docs/history.schema.json).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/state/run_state.hpp>

namespace deployphase::report {

// The exit code a run earned, as the command line maps it (docs/cli.md).
using ExitCodeOf = std::function<int(const state::RunState&)>;

// How many of a run's steps ran (succeeded, failed, interrupted, rolled back, running),
// were skipped (a false guard, a satisfied check, a phase not run) and failed.
struct StepCounts {
    std::size_t ran = 0;
    std::size_t skipped = 0;
    std::size_t failed = 0;
};
StepCounts count_steps(const state::RunState& run);

// Milliseconds from one recorded time to another ("2026-11-29T10:59:41.522Z"); nothing when
// either is missing (a journal of format 1) or not such a time.
std::optional<std::int64_t> milliseconds_between(const std::string& from, const std::string& to);

nlohmann::ordered_json history_json(const std::vector<state::RunState>& runs,
                                    const ExitCodeOf& exit_code);
std::string render_history_text(const std::vector<state::RunState>& runs,
                                const ExitCodeOf& exit_code);

}  // namespace deployphase::report
