#pragma once
// The rollback loop, shared by `deployphase rollback` and `run --on-failure=rollback`.

#include <string_view>

#include <deployphase/phase/loader.hpp>
#include <deployphase/state/journal.hpp>
#include <deployphase/state/run_state.hpp>

#include "run/script_runner.hpp"

namespace deployphase::run {

// Records rollback_begun with plan_rollback's order (`trigger` says why: "on-failure" or
// "requested"), then drives it.
state::RunState begin_rollback(state::Journal& journal, ScriptRunner& scripts,
                               const phase::Phase& phase, std::string_view trigger);

// Runs the pending rollback scripts of the recorded order, one at a time, stopping at the first
// that does not succeed, and records how the run ended.
state::RunState drive_rollback(state::Journal& journal, ScriptRunner& scripts,
                               const phase::Phase& phase);

}  // namespace deployphase::run
