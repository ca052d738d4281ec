#include <deployphase/predicate/embedded_source.hpp>

#include <fmt/format.h>

#include "support/utf8.hpp"

namespace deployphase::predicate {
namespace {

// Line (from 0) and character column (from 0) of an offset within `text`.
std::pair<std::size_t, std::size_t> text_position(std::string_view text, std::size_t offset) {
    std::size_t line = 0;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    return {line, count_code_points(text.substr(line_start, offset - line_start))};
}

}  // namespace

EmbeddedSource::EmbeddedSource(std::string_view text, const SourceFile& file, SourceLocation origin,
                               bool exact)
    : m_text(text), m_file(file), m_origin(std::move(origin)), m_exact(exact) {}

SourceLocation EmbeddedSource::locate(std::size_t offset) const {
    if (!m_exact) return m_origin;
    auto [line, column] = text_position(m_text, offset);
    return {m_origin.file, m_origin.line + line, m_origin.column + column};
}

Diagnostic EmbeddedSource::error_at(const SourceLocation& where, std::string message) const {
    return {Severity::error, where, std::move(message),
            replace_invalid_utf8(m_file.line(where.line))};
}

Diagnostic EmbeddedSource::error(std::size_t offset, std::string message) const {
    if (!m_exact) {
        auto [line, column] = text_position(m_text, offset);
        message +=
            fmt::format(" (at line {}, column {} of the predicate text)", line + 1, column + 1);
    }
    return error_at(locate(offset), std::move(message));
}

}  // namespace deployphase::predicate
