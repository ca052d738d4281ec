#include "cli/terminal.hpp"

#include <unistd.h>

#include <cstdlib>

#include <fmt/format.h>

namespace deployphase::cli {
namespace {

bool terminal_wants_color(std::FILE* stream) {
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color && *no_color) return false;
    const char* term = std::getenv("TERM");
    if (term && std::string_view(term) == "dumb") return false;
    return ::isatty(::fileno(stream)) == 1;
}

}  // namespace

Style::Style(ColorMode mode, std::FILE* stream)
    : m_enabled(mode == ColorMode::always ||
                (mode == ColorMode::automatic && terminal_wants_color(stream))) {}

std::string Style::wrap(std::string_view code, std::string_view text) const {
    if (!m_enabled) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
}

}  // namespace deployphase::cli
