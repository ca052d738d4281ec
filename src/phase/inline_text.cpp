#include "phase/inline_text.hpp"

#include <algorithm>

namespace deployphase::phase {
namespace {

std::string literal_of(cmark_node* node) {
    const char* literal = cmark_node_get_literal(node);
    return literal ? literal : "";
}

void append_inline(std::string& out, cmark_node* node) {
    switch (cmark_node_get_type(node)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
        case CMARK_NODE_HTML_INLINE:
            out += literal_of(node);
            break;
        case CMARK_NODE_SOFTBREAK:
            out += ' ';
            break;
        case CMARK_NODE_LINEBREAK:
            out += '\n';
            break;
        default:  // emphasis, strong, link, image: their text
            for (cmark_node* child = cmark_node_first_child(node); child;
                 child = cmark_node_next(child)) {
                append_inline(out, child);
            }
    }
}

std::string trim_newlines(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

std::string join_children(cmark_node* block, const char* separator, const char* item_prefix) {
    std::string out;
    for (cmark_node* child = cmark_node_first_child(block); child; child = cmark_node_next(child)) {
        std::string part = block_plain_text(child);
        if (part.empty()) continue;
        if (!out.empty()) out += separator;
        out += item_prefix;
        out += part;
    }
    return out;
}

}  // namespace

std::string inline_plain_text(cmark_node* parent) {
    std::string out;
    for (cmark_node* child = cmark_node_first_child(parent); child;
         child = cmark_node_next(child)) {
        append_inline(out, child);
    }
    return out;
}

std::string block_plain_text(cmark_node* block) {
    switch (cmark_node_get_type(block)) {
        case CMARK_NODE_PARAGRAPH:
        case CMARK_NODE_HEADING:
            return inline_plain_text(block);
        case CMARK_NODE_CODE_BLOCK:
        case CMARK_NODE_HTML_BLOCK:
            return trim_newlines(literal_of(block));
        case CMARK_NODE_LIST:
            return join_children(block, "\n", "- ");
        case CMARK_NODE_ITEM:
            return join_children(block, "\n", "");
        case CMARK_NODE_BLOCK_QUOTE:
            return join_children(block, "\n\n", "");
        default:
            return {};
    }
}

TextOrigin text_origin(cmark_node* node, const std::string& text, const SourceFile& source) {
    TextOrigin origin{static_cast<std::size_t>(cmark_node_get_start_line(node)),
                      static_cast<std::size_t>(cmark_node_get_start_column(node)), false};
    // cmark's positions of inlines are approximate: a code span that continues a paragraph
    // lazily over several lines can be placed past the end of its line. Such a position is
    // clamped onto the line and used as it is, never trusted as exact.
    origin.line =
        std::clamp<std::size_t>(origin.line, 1, std::max<std::size_t>(1, source.line_count()));
    std::string_view line = source.line(origin.line);
    origin.byte_column = std::clamp<std::size_t>(origin.byte_column, 1, line.size() + 1);
    if (line.substr(origin.byte_column - 1).starts_with(text)) origin.exact = true;
    return origin;
}

void MappedText::append(cmark_node* node, const SourceFile& source) {
    cmark_node_type type = cmark_node_get_type(node);
    if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE || type == CMARK_NODE_HTML_INLINE) {
        std::string literal = literal_of(node);
        TextOrigin origin = text_origin(node, literal, source);
        for (std::size_t i = 0; i < literal.size(); ++i) {
            text += literal[i];
            origins.push_back({origin.line, origin.byte_column + (origin.exact ? i : 0),
                               type == CMARK_NODE_TEXT});
        }
        return;
    }
    if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) {
        Origin previous = origins.empty() ? Origin{} : origins.back();
        previous.literal = true;
        text += type == CMARK_NODE_SOFTBREAK ? ' ' : '\n';
        origins.push_back(previous);
        return;
    }
    for (cmark_node* child = cmark_node_first_child(node); child; child = cmark_node_next(child)) {
        append(child, source);
    }
}

}  // namespace deployphase::phase
