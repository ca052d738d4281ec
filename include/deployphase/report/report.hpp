#pragma once
// The post-deployment report (`deployphase report`): what each step did, how long it took,
// what it output, and the phase's Success Criteria as a checklist for the operator's
// sign-off. Built from the phase and the state folded from the journal; pure.

#include <string>

#include <nlohmann/json.hpp>

#include <deployphase/phase/model.hpp>
#include <deployphase/state/run_state.hpp>

namespace deployphase::report {

// run_id, phase, state, reason, finished, phase_file, phase_sha256, phase_changed,
// duration_ms, steps (index, id, description, status, attempts, exit_code, duration_ms,
// reason, outputs), success_criteria ([{criterion, checked: false}]) and outputs (merged).
nlohmann::ordered_json report_json(const phase::Phase& phase, const std::string& phase_sha256,
                                   const state::RunState& run);

// The same as Markdown: a summary, a table of steps, each step's outputs, and the criteria
// as `- [ ]` items.
std::string report_markdown(const phase::Phase& phase, const std::string& phase_sha256,
                            const state::RunState& run);

}  // namespace deployphase::report
