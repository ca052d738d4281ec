#pragma once
// Plain text out of cmark nodes: what a reader sees, without Markdown markup.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <cmark.h>

#include <deployphase/support/source_file.hpp>

namespace deployphase::phase {

struct CmarkNodeFree {
    void operator()(cmark_node* node) const { cmark_node_free(node); }
};
using CmarkDocument = std::unique_ptr<cmark_node, CmarkNodeFree>;

// Inline content of a paragraph or heading, as plain text: emphasis and links keep
// their text, code spans their content, a soft break becomes a space, a hard break "\n".
std::string inline_plain_text(cmark_node* parent);
// Any block as plain text; nested list items become "- item" lines.
std::string block_plain_text(cmark_node* block);

// Plain text that remembers, for every byte, where in the source it came from and
// whether it was literal text (so a "[" in it is bracket syntax, not part of code).
struct MappedText {
    struct Origin {
        std::size_t line = 0;
        std::size_t byte_column = 0;
        bool literal = false;
    };
    std::string text;
    std::vector<Origin> origins;  // one per byte of `text`

    void append(cmark_node* inline_node, const SourceFile& source);
};

// Where an inline node's text starts, byte-exact when the source at cmark's reported
// position holds that text verbatim (no escapes or entities); otherwise cmark's position.
struct TextOrigin {
    std::size_t line = 0;
    std::size_t byte_column = 0;
    bool exact = false;
};
TextOrigin text_origin(cmark_node* node, const std::string& text, const SourceFile& source);

}  // namespace deployphase::phase
