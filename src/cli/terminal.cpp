#include "terminal.hpp"

#include "closed_output.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace deployphase::cli {
namespace {

bool terminal_wants_color(std::FILE* stream) {
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color && *no_color) return false;
    const char* term = std::getenv("TERM");
    if (term && std::string_view(term) == "dumb") return false;
    return ::isatty(descriptor_of(stream)) == 1;
}

}  // namespace

report::Style style_for(ColorMode mode, std::FILE* stream) {
    return report::Style(mode == ColorMode::always ||
                         (mode == ColorMode::automatic && terminal_wants_color(stream)));
}

}  // namespace deployphase::cli
