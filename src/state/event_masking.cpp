#include <deployphase/state/event_masking.hpp>

#include <deployphase/state/events.hpp>

namespace deployphase::state {

nlohmann::json mask_event(const nlohmann::json& event, const context::Secrets& secrets) {
    nlohmann::json masked = event;
    mask_event_in_place(masked, secrets);
    return masked;
}

void mask_event_in_place(nlohmann::json& event, const context::Secrets& secrets) {
    if (!event.is_object()) {
        event = secrets.mask_strings(event);
        return;
    }
    bool hunt_values = !secrets.texts().empty();
    for (auto& [key, value] : event.items()) {
        if (key == field::context || key == field::values) {
            value = secrets.mask(value);
        } else if (hunt_values) {
            value = secrets.mask_strings(value);
        }
    }
}

}  // namespace deployphase::state
