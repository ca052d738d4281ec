#pragma once
// Small UTF-8 helpers; private to the core library.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace deployphase {

// Length in bytes of the well-formed UTF-8 sequence starting at text[offset], or 0
// when the bytes there are not valid UTF-8 (overlong forms and surrogates included).
std::size_t utf8_sequence_length(std::string_view text, std::size_t offset);

// Byte offset of the first byte that is not part of valid UTF-8.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

std::size_t count_code_points(std::string_view text);

// The longest start of `text` of at most `max_bytes` that does not end inside a character.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

// Calls visit(character) for each code point (an invalid byte counts as one) until it
// returns false.
template <typename Visit>
void for_each_code_point(std::string_view text, Visit&& visit) {
    std::size_t offset = 0;
    while (offset < text.size()) {
        std::size_t length = utf8_sequence_length(text, offset);
        if (length == 0) length = 1;
        if (!visit(text.substr(offset, length))) return;
        offset += length;
    }
}

// Valid UTF-8 without control characters (C0, DEL or C1): safe to show in a terminal as it is.
bool is_printable_utf8(std::string_view text);

// The text with every invalid byte replaced by U+FFFD, safe to print.
std::string replace_invalid_utf8(std::string_view text);

}  // namespace deployphase
