#include <deployphase/predicate/embedded_source.hpp>

#include <fmt/format.h>

#include <algorithm>

#include "support/utf8.hpp"

namespace deployphase::predicate {
EmbeddedSource::EmbeddedSource(std::string_view text, const SourceFile& file, SourceLocation origin,
                               bool exact)
    : m_text(text), m_file(file), m_origin(std::move(origin)), m_exact(exact) {
    m_lines.push_back({0, true});
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') m_lines.push_back({i + 1, true});
        if (static_cast<unsigned char>(text[i]) >= 0x80) m_lines.back().ascii = false;
    }
}

std::pair<std::size_t, std::size_t> EmbeddedSource::position(std::size_t offset) const {
    offset = std::min(offset, m_text.size());
    auto after =
        std::upper_bound(m_lines.begin(), m_lines.end(), offset,
                         [](std::size_t value, const Line& line) { return value < line.start; });
    const Line& line = *(after - 1);
    std::size_t column = line.ascii
                             ? offset - line.start
                             : count_code_points(m_text.substr(line.start, offset - line.start));
    return {static_cast<std::size_t>(after - m_lines.begin()) - 1, column};
}

SourceLocation EmbeddedSource::locate(std::size_t offset) const {
    if (!m_exact) return m_origin;
    auto [line, column] = position(offset);
    return {m_origin.file, m_origin.line + line, m_origin.column + column};
}

Diagnostic EmbeddedSource::error_at(const SourceLocation& where, std::string message) const {
    return {Severity::error, where, std::move(message),
            replace_invalid_utf8(m_file.line(where.line))};
}

Diagnostic EmbeddedSource::error(std::size_t offset, std::string message) const {
    if (!m_exact) {
        auto [line, column] = position(offset);
        message +=
            fmt::format(" (at line {}, column {} of the predicate text)", line + 1, column + 1);
    }
    return error_at(locate(offset), std::move(message));
}

}  // namespace deployphase::predicate
