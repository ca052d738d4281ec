#include <deployphase/support/shell_words.hpp>

#include "support/text.hpp"

namespace deployphase {

std::string shell_quoted(std::string_view text) {
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string shell_word(std::string_view text) {
    if (text.empty()) return "''";
    for (char c : text) {
        bool plain = is_letter(c) || is_digit(c) ||
                     std::string_view("_./:@%+=,-").find(c) != std::string_view::npos;
        if (!plain) return shell_quoted(text);
    }
    return std::string(text);
}

}  // namespace deployphase
