#pragma once
// What of a journal event may be written down: the same event with every secret masked.

#include <nlohmann/json.hpp>

#include <deployphase/context/secrets.hpp>

namespace deployphase::state {

// `event` with the contexts it carries ("context" of run_started and context_changed,
// "values" of output_recorded) masked by key and by value, and the known secret values
// replaced in every other string (a reason that quotes a step's output, say).
nlohmann::json mask_event(const nlohmann::json& event, const context::Secrets& secrets);

// The same, changing `event` itself: a long run's first event is large, and a masked copy
// beside it would double it.
void mask_event_in_place(nlohmann::json& event, const context::Secrets& secrets);

}  // namespace deployphase::state
