#pragma once
// The rollback loop, shared by `deployphase rollback` and `run --on-failure=rollback`.

#include <deployphase/phase/model.hpp>
#include <deployphase/state/events.hpp>
#include <deployphase/state/run_state.hpp>

#include "run/driver.hpp"

namespace deployphase::run {

// Records rollback_begun with plan_rollback's order and why, then drives it.
state::RunState begin_rollback(ActiveRun run, const phase::Phase& phase,
                               state::RollbackTrigger trigger);

// Runs the pending rollback scripts of the recorded order, one at a time, stopping at the first
// that does not succeed, and records how the run ended.
state::RunState drive_rollback(ActiveRun run, const phase::Phase& phase);

}  // namespace deployphase::run
