#pragma once
// Predicate text lives inside another file (a Markdown code block, a step's guard, a JSON
// string). This maps an offset in that text back to a LINE:COL in the file.

#include <string_view>
#include <vector>

#include <deployphase/support/source_file.hpp>

namespace deployphase::predicate {

class EmbeddedSource {
  public:
    // `origin` is where text[0] sits in `file`. When `exact`, the text's lines are the file's
    // lines, each starting at origin.column (a code block with its indentation removed).
    // Otherwise (text unescaped from a JSON string) every offset maps to `origin` and the
    // message says where in the text the problem is.
    EmbeddedSource(std::string_view text, const SourceFile& file, SourceLocation origin,
                   bool exact);

    std::string_view text() const { return m_text; }
    SourceLocation locate(std::size_t offset) const;
    Diagnostic error(std::size_t offset, std::string message) const;
    Diagnostic error_at(const SourceLocation& where, std::string message) const;

  private:
    struct Line {
        std::size_t start;  // offset in the text
        bool ascii;         // then a column is a byte count, found without counting
    };
    // Line (from 0) and character column (from 0) of an offset.
    std::pair<std::size_t, std::size_t> position(std::size_t offset) const;

    std::string_view m_text;
    std::vector<Line> m_lines;
    const SourceFile& m_file;
    SourceLocation m_origin;
    bool m_exact;
};

}  // namespace deployphase::predicate
