#pragma once
// Small ASCII text helpers shared by the readers; private to the core library.

#include <string>
#include <string_view>

namespace deployphase {

inline bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// ASCII classes, whatever the locale: <cctype> would read bytes of UTF-8 by the C locale.
inline bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
inline bool is_upper(char c) {
    return c >= 'A' && c <= 'Z';
}
inline bool is_lower(char c) {
    return c >= 'a' && c <= 'z';
}
inline bool is_letter(char c) {
    return is_upper(c) || is_lower(c);
}

inline std::string_view trim(std::string_view text) {
    while (!text.empty() && is_blank(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_blank(text.back()))
        text.remove_suffix(1);
    return text;
}

// Lower-cases ASCII letters only; other bytes (UTF-8 included) pass through.
inline std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

}  // namespace deployphase
