#pragma once
// What to type next when a run stops short: the exact commands, with the state flags the
// operator gave, so that nobody has to work out which store the run is in.

#include <string>

#include <deployphase/phase/model.hpp>
#include <deployphase/state/run_state.hpp>

#include "run_flags.hpp"

namespace deployphase::cli {

// " --state-dir DIR" (unless the default), " --state-key KEY --state-url URL" (each unless it
// came from its DEPLOYPHASE_STATE_* variable, which the next command reads too; a password in
// the URL shown as ***): what to add to the next command to reach the same run.
std::string state_arguments(const StateFlags& state);

// Lines naming the next commands for a run that failed (its log, resume, rollback), was
// interrupted (resume) or awaits a manual step's confirmation (confirm, then resume); "" when
// the run needs nothing more. `rolling_back`: the run stopped in its rollback.
std::string next_steps(const state::RunState& run, const phase::Phase& phase,
                       const StateFlags& state);

}  // namespace deployphase::cli
