#include "support/utf8.hpp"

namespace deployphase {

std::size_t utf8_sequence_length(std::string_view text, std::size_t offset) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[offset + i]); };
    auto continuation = [&](std::size_t i) {
        return offset + i < text.size() && (byte(i) & 0xC0) == 0x80;
    };
    const unsigned char lead = byte(0);
    if (lead < 0x80) return 1;
    if (lead < 0xC2) return 0;  // continuation byte or overlong two-byte form
    if (lead < 0xE0) return continuation(1) ? 2 : 0;
    if (lead < 0xF0) {
        if (!continuation(1) || !continuation(2)) return 0;
        if (lead == 0xE0 && byte(1) < 0xA0) return 0;   // overlong
        if (lead == 0xED && byte(1) >= 0xA0) return 0;  // UTF-16 surrogate
        return 3;
    }
    if (lead < 0xF5) {
        if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
        if (lead == 0xF0 && byte(1) < 0x90) return 0;   // overlong
        if (lead == 0xF4 && byte(1) >= 0x90) return 0;  // beyond U+10FFFF
        return 4;
    }
    return 0;
}

std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
    std::size_t offset = 0;
    while (offset < text.size()) {
        std::size_t length = utf8_sequence_length(text, offset);
        if (length == 0) return offset;
        offset += length;
    }
    return std::nullopt;
}

std::size_t count_code_points(std::string_view text) {
    std::size_t count = 0;
    for_each_code_point(text, [&](std::string_view) {
        ++count;
        return true;
    });
    return count;
}

std::string replace_invalid_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t offset = 0;
    while (offset < text.size()) {
        std::size_t length = utf8_sequence_length(text, offset);
        if (length == 0) {
            out += "\xEF\xBF\xBD";
            ++offset;
        } else {
            out.append(text.substr(offset, length));
            offset += length;
        }
    }
    return out;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;
    return text.substr(0, cut);
}

bool is_printable_utf8(std::string_view text) {
    if (first_invalid_utf8(text)) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f) return false;
        // U+0080..U+009F, encoded C2 80..C2 9F: terminals act on these too.
        if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xa0)
            return false;
    }
    return true;
}

}  // namespace deployphase
