#pragma once
// A user's input file held in memory, checked to be text, with a line index so any
// byte position can be reported as LINE:COL.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <deployphase/support/diagnostic.hpp>

namespace deployphase {

// The most a phase document, context file or saved plan may hold. The largest real phase
// documents are tens of KB and a 10,000-step one is under 1 MB; an input without an end
// (/dev/zero) is refused here instead of read until memory runs out.
inline constexpr std::size_t max_input_bytes = 16 * 1024 * 1024;

class SourceFile {
  public:
    // Reads and checks a file. Throws InputError when it cannot be read, is larger than
    // max_input_bytes, is empty, is binary or UTF-16, or is not valid UTF-8.
    static SourceFile load(const std::string& path);
    // The same checks on text already in memory; `path` is only used in messages.
    static SourceFile from_text(std::string path, std::string text);

    const std::string& path() const { return m_path; }
    // The content with a leading UTF-8 byte order mark removed.
    std::string_view text() const { return m_text; }
    // The bytes as they were in the file.
    std::string original_bytes() const;

    std::size_t line_count() const { return m_line_starts.size(); }
    // Line n (from 1) without its line ending ("\n", "\r\n" or a lone "\r").
    std::string_view line(std::size_t n) const;

    // Location of a byte column (from 1) on a line, as a character column.
    SourceLocation at(std::size_t line, std::size_t byte_column) const;
    SourceLocation at_offset(std::size_t byte_offset) const;
    // Line and byte column (from 1) of a byte offset.
    std::pair<std::size_t, std::size_t> line_and_byte_column(std::size_t byte_offset) const;

    void error(DiagnosticSink& sink, std::size_t line, std::size_t byte_column,
               std::string message) const;
    void warning(DiagnosticSink& sink, std::size_t line, std::size_t byte_column,
                 std::string message) const;
    Diagnostic diagnostic(Severity severity, std::size_t line, std::size_t byte_column,
                          std::string message) const;
    Diagnostic error_at_offset(std::size_t byte_offset, std::string message) const;

  private:
    SourceFile(std::string path, std::string text);

    std::string m_path;
    std::string m_text;
    bool m_had_bom = false;
    std::vector<std::size_t> m_line_starts;
};

}  // namespace deployphase
