#include <deployphase/report/style.hpp>

#include <fmt/format.h>

namespace deployphase::report {

std::string Style::wrap(std::string_view code, std::string_view text) const {
    if (!m_enabled) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
}

}  // namespace deployphase::report
