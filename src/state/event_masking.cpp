#include <deployphase/state/event_masking.hpp>

namespace deployphase::state {

nlohmann::json mask_event(const nlohmann::json& event, const context::Secrets& secrets) {
    if (!event.is_object()) return secrets.mask_strings(event);
    nlohmann::json masked = nlohmann::json::object();
    for (const auto& [key, value] : event.items()) {
        bool carries_context = key == "context" || key == "values";
        masked[key] = carries_context ? secrets.mask(value) : secrets.mask_strings(value);
    }
    return masked;
}

}  // namespace deployphase::state
