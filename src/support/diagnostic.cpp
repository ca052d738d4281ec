#include <deployphase/support/diagnostic.hpp>

#include <deployphase/support/errors.hpp>

#include <algorithm>

#include <fmt/format.h>

#include "support/utf8.hpp"

namespace deployphase {
namespace {

// Whitespace that keeps a caret under the right character: tabs stay tabs.
std::string caret_line(const std::string& source_line, std::size_t column) {
    std::string prefix;
    std::size_t seen = 1;
    for_each_code_point(source_line, [&](std::string_view character) {
        if (seen >= column) return false;
        prefix += character == "\t" ? '\t' : ' ';
        ++seen;
        return true;
    });
    // A column just past the end (a missing token at end of line) still gets its caret.
    while (seen < column) {
        prefix += ' ';
        ++seen;
    }
    return prefix + '^';
}

// A long line is shown as a window around the column, with "..." where it was cut, so that
// an error in a 10 MB line is still a few readable lines. Returns the window and the column
// within it.
std::pair<std::string, std::size_t> excerpt(const std::string& line, std::size_t column) {
    constexpr std::size_t longest = 160, before = 60, after = 80;  // in code points
    std::size_t length = 0;
    for_each_code_point(line, [&](std::string_view) { return ++length <= longest; });
    if (length <= longest) return {line, column};
    std::size_t at = column > 0 ? column - 1 : 0;
    std::size_t first = at > before ? at - before : 0;
    std::size_t last = std::max(at + after, first + longest);
    std::size_t index = 0, offset = 0, first_offset = 0, last_offset = line.size();
    for_each_code_point(line, [&](std::string_view character) {
        if (index == first) first_offset = offset;
        if (index == last) {
            last_offset = offset;
            return false;
        }
        offset += character.size();
        ++index;
        return true;
    });
    if (first == 0 && last_offset == line.size()) return {line, column};
    std::string window = first > 0 ? "..." : "";
    window += line.substr(first_offset, last_offset - first_offset);
    if (last_offset < line.size()) window += "...";
    return {window, column - first + (first > 0 ? 3 : 0)};
}

}  // namespace

std::string format_diagnostic(const Diagnostic& d) {
    const char* kind = d.severity == Severity::error ? "error" : "warning";
    std::string text;
    if (d.where.line == 0) {
        text = fmt::format("{}: {}: {}", d.where.file.empty() ? "deployphase" : d.where.file, kind,
                           d.message);
    } else {
        text = fmt::format("{}:{}:{}: {}: {}", d.where.file, d.where.line, d.where.column, kind,
                           d.message);
    }
    if (!d.source_line.empty() && d.where.line != 0) {
        auto [line, column] = excerpt(d.source_line, d.where.column);
        text += '\n';
        text += line;
        text += '\n';
        text += caret_line(line, column);
    }
    return text;
}

bool DiagnosticSink::has_errors() const {
    return std::any_of(m_diagnostics.begin(), m_diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::error; });
}

std::vector<Diagnostic> DiagnosticSink::warnings() const {
    std::vector<Diagnostic> out;
    std::copy_if(m_diagnostics.begin(), m_diagnostics.end(), std::back_inserter(out),
                 [](const Diagnostic& d) { return d.severity == Severity::warning; });
    return out;
}

void DiagnosticSink::throw_if_errors() const {
    if (has_errors()) throw InputError(m_diagnostics);
}

}  // namespace deployphase
