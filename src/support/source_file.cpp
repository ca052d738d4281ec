#include <deployphase/support/errors.hpp>
#include <deployphase/support/source_file.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "support/file_io.hpp"
#include "support/utf8.hpp"

namespace deployphase {
namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

std::string read_whole_file(const std::string& path) {
    std::string content;
    if (auto failure = read_file(path, content, max_input_bytes)) {
        if (failure->error == EFBIG) {
            throw InputError(Diagnostic::error(
                {path, 0, 0}, fmt::format("input is larger than {} MiB, the most deployphase reads "
                                          "from a phase, context or plan file",
                                          max_input_bytes / (1024 * 1024))));
        }
        throw InputError(Diagnostic::error(
            {path, 0, 0},
            fmt::format("cannot {} file: {}", failure->operation, std::strerror(failure->error))));
    }
    return content;
}

}  // namespace

SourceFile SourceFile::load(const std::string& path) {
    return from_text(path, read_whole_file(path));
}

SourceFile SourceFile::from_text(std::string path, std::string text) {
    auto whole_file_error = [&](std::string message) {
        return InputError(Diagnostic::error({path, 1, 1}, std::move(message)));
    };
    if (text.empty()) throw whole_file_error("file is empty");
    if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")) {
        throw whole_file_error("file is encoded as UTF-16; save it as UTF-8");
    }
    bool had_bom = text.starts_with(utf8_bom);
    if (had_bom) text.erase(0, utf8_bom.size());

    SourceFile file(std::move(path), std::move(text));
    file.m_had_bom = had_bom;
    if (auto nul = file.m_text.find('\0'); nul != std::string::npos) {
        Diagnostic d = file.error_at_offset(nul, "file is binary (it contains a NUL byte)");
        d.source_line.clear();  // printing binary content helps nobody
        throw InputError(std::move(d));
    }
    if (auto bad = first_invalid_utf8(file.m_text)) {
        throw InputError(
            file.error_at_offset(*bad, fmt::format("invalid UTF-8 (byte 0x{:02X})",
                                                   static_cast<unsigned char>(file.m_text[*bad]))));
    }
    return file;
}

SourceFile::SourceFile(std::string path, std::string text)
    : m_path(std::move(path)), m_text(std::move(text)) {
    // Line endings as CommonMark counts them, so our line numbers match cmark's.
    m_line_starts.push_back(0);
    for (std::size_t i = 0; i < m_text.size(); ++i) {
        if (m_text[i] == '\r' && i + 1 < m_text.size() && m_text[i + 1] == '\n') ++i;
        if ((m_text[i] == '\n' || m_text[i] == '\r') && i + 1 < m_text.size()) {
            m_line_starts.push_back(i + 1);
        }
    }
}

std::string SourceFile::original_bytes() const {
    return m_had_bom ? std::string(utf8_bom) + m_text : m_text;
}

std::string_view SourceFile::line(std::size_t n) const {
    if (n == 0 || n > m_line_starts.size()) return {};
    std::size_t begin = m_line_starts[n - 1];
    std::size_t end = n < m_line_starts.size() ? m_line_starts[n] : m_text.size();
    std::string_view view(m_text.data() + begin, end - begin);
    while (!view.empty() && (view.back() == '\n' || view.back() == '\r'))
        view.remove_suffix(1);
    return view;
}

SourceLocation SourceFile::at(std::size_t line_number, std::size_t byte_column) const {
    std::string_view text = line(line_number);
    std::size_t prefix = std::min(byte_column > 0 ? byte_column - 1 : 0, text.size());
    // Bytes past the end of the line (a position just after it) count one column each.
    std::size_t beyond =
        byte_column > 0 && byte_column - 1 > text.size() ? byte_column - 1 - text.size() : 0;
    return {m_path, line_number, count_code_points(text.substr(0, prefix)) + beyond + 1};
}

std::pair<std::size_t, std::size_t> SourceFile::line_and_byte_column(
    std::size_t byte_offset) const {
    auto next = std::upper_bound(m_line_starts.begin(), m_line_starts.end(), byte_offset);
    std::size_t index = static_cast<std::size_t>(next - m_line_starts.begin());  // 1-based line
    return {index, byte_offset - m_line_starts[index - 1] + 1};
}

SourceLocation SourceFile::at_offset(std::size_t byte_offset) const {
    auto [line_number, byte_column] = line_and_byte_column(byte_offset);
    return at(line_number, byte_column);
}

Diagnostic SourceFile::diagnostic(Severity severity, std::size_t line_number,
                                  std::size_t byte_column, std::string message) const {
    return {severity, at(line_number, byte_column), std::move(message),
            replace_invalid_utf8(line(line_number))};
}

void SourceFile::error(DiagnosticSink& sink, std::size_t line_number, std::size_t byte_column,
                       std::string message) const {
    sink.add(diagnostic(Severity::error, line_number, byte_column, std::move(message)));
}

void SourceFile::warning(DiagnosticSink& sink, std::size_t line_number, std::size_t byte_column,
                         std::string message) const {
    sink.add(diagnostic(Severity::warning, line_number, byte_column, std::move(message)));
}

Diagnostic SourceFile::error_at_offset(std::size_t byte_offset, std::string message) const {
    auto [line_number, byte_column] = line_and_byte_column(byte_offset);
    return diagnostic(Severity::error, line_number, byte_column, std::move(message));
}

}  // namespace deployphase
