#pragma once
// A phase as deployphase reads it (`show`), and the facts it can read (`facts`), for people
// and for scripts.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/phase/model.hpp>
#include <deployphase/phase/phase_logic.hpp>
#include <deployphase/plan/plan.hpp>

namespace deployphase::report {

// The outline `show` prints: name, file, summary, each step with its guard, notes and scripts,
// the validation logic and the other sections.
std::string render_phase_text(const phase::Phase& phase, const phase::PhaseLogic& logic);

// `facts`: each key, what else the context may call it, and every place it is read.
std::string render_facts_text(const std::vector<plan::FactEntry>& facts);
// `facts --output json`: [{key, kind, also_accepts, uses: [{call, in, file, line, column}]}].
nlohmann::ordered_json facts_json(const std::vector<plan::FactEntry>& facts);

}  // namespace deployphase::report
