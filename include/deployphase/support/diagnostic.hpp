#pragma once
// A problem found in a user's input, with its position, and how it is printed. The errors
// that carry them are in errors.hpp.

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace deployphase {

// A position in a user's file. Lines and columns count from 1; columns count
// characters (Unicode code points), so a tab or a multi-byte character is one
// column. line == 0 means "the file as a whole" (it could not be read, say).
struct SourceLocation {
    SourceLocation() = default;
    // A place without a line (a file as a whole, a flag, a state directory, a server) or, with
    // a line and column, a position in a file.
    SourceLocation(std::string where, std::size_t at_line = 0, std::size_t at_column = 0)
        : file(std::move(where)), line(at_line), column(at_column) {}
    SourceLocation(const char* where) : file(where) {}
    SourceLocation(const std::filesystem::path& where) : file(where.string()) {}

    std::string file;
    std::size_t line = 0;
    std::size_t column = 0;

    bool operator==(const SourceLocation&) const = default;
};

enum class Severity { warning, error };

struct Diagnostic {
    Severity severity = Severity::error;
    SourceLocation where;
    std::string message;
    // The offending source line, shown under the message with a caret; empty when
    // there is nothing useful to show (a whole-file problem, binary content).
    std::string source_line;

    // An error with no source line to show.
    static Diagnostic error(SourceLocation where, std::string message) {
        return {Severity::error, std::move(where), std::move(message), {}};
    }

    bool operator==(const Diagnostic&) const = default;
};

// `FILE:LINE:COL: error: message`, then the source line and a caret under the column;
// `WHERE: error: message` for a place without a line (a file as a whole, a flag, a state
// directory, a server), and `deployphase: error: message` for no place at all. The one place
// deployphase's error text is made.
std::string format_diagnostic(const Diagnostic& diagnostic);

// Collects diagnostics while reading one input; throws once at the end if any is an error.
class DiagnosticSink {
  public:
    void add(Diagnostic diagnostic) { m_diagnostics.push_back(std::move(diagnostic)); }

    bool has_errors() const;
    const std::vector<Diagnostic>& diagnostics() const { return m_diagnostics; }
    std::vector<Diagnostic> warnings() const;

    // Throws InputError with everything collected when any error was reported.
    void throw_if_errors() const;

  private:
    std::vector<Diagnostic> m_diagnostics;
};

}  // namespace deployphase
