#include "phase/step_item.hpp"

#include <cctype>

#include <fmt/format.h>

#include "phase/inline_text.hpp"
#include "support/text.hpp"

namespace deployphase::phase {
namespace {

bool starts_with_word(std::string_view text, std::string_view word) {
    if (text.size() < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) != word[i]) return false;
    }
    return true;
}

std::string collapse_whitespace(std::string_view text) {
    std::string out;
    bool pending_space = false;
    for (char c : text) {
        if (is_blank(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        out += c;
    }
    return out;
}

// "- description", "– description", ": description" -> "description"
std::string strip_leading_separator(std::string text) {
    for (std::string_view separator : {"-", "\u2013", "\u2014", ":"}) {
        if (text.starts_with(separator)) {
            return std::string(trim(std::string_view(text).substr(separator.size())));
        }
    }
    return text;
}

struct Cursor {
    const SourceFile& source;
    DiagnosticSink& sink;

    void error(const MappedText::Origin& at, std::string message) const {
        source.error(sink, at.line, at.byte_column, std::move(message));
    }
    SourceLocation location(const MappedText::Origin& at) const {
        return source.at(at.line, at.byte_column);
    }
};

std::optional<std::string> read_id(cmark_node* strong, const Cursor& cursor) {
    MappedText id;
    for (cmark_node* child = cmark_node_first_child(strong); child;
         child = cmark_node_next(child)) {
        id.append(child, cursor.source);
    }
    if (auto problem = check_step_id(id.text)) {
        cursor.error(id.origins.empty() ? MappedText::Origin{} : id.origins[problem->offset],
                     std::move(problem->message));
        return std::nullopt;
    }
    return id.text;
}

}  // namespace

Bracketed classify_bracketed(std::string_view content) {
    std::string_view text = trim(content);
    Bracketed result{false, std::string(text), 0, {}};
    std::size_t offset = 0;
    if (starts_with_word(text, "conditional:")) {
        result.is_guard = true;
        offset = std::string_view("conditional:").size();
    } else if (starts_with_word(text, "if") && (text.size() == 2 || is_blank(text[2]))) {
        result.is_guard = true;
    }
    if (!result.is_guard) return result;
    while (offset < text.size() && is_blank(text[offset]))
        ++offset;
    std::string_view rest = text.substr(offset);
    if (starts_with_word(rest, "if") && (rest.size() == 2 || is_blank(rest[2]))) {
        offset += 2;
        while (offset < text.size() && is_blank(text[offset]))
            ++offset;
    }
    result.condition_offset = offset;
    result.condition = std::string(text.substr(offset));
    return result;
}

std::optional<Step> read_step_item(cmark_node* item, std::size_t index, const SourceFile& source,
                                   DiagnosticSink& sink) {
    const Cursor cursor{source, sink};
    cmark_node* paragraph = cmark_node_first_child(item);
    auto item_line = static_cast<std::size_t>(cmark_node_get_start_line(item));
    auto item_column = static_cast<std::size_t>(cmark_node_get_start_column(item));
    if (!paragraph || cmark_node_get_type(paragraph) != CMARK_NODE_PARAGRAPH) {
        source.error(sink, item_line, item_column,
                     "empty step; expected \"**step-id** - description\"");
        return std::nullopt;
    }
    cmark_node* strong = cmark_node_first_child(paragraph);
    if (!strong || cmark_node_get_type(strong) != CMARK_NODE_STRONG) {
        source.error(sink, static_cast<std::size_t>(cmark_node_get_start_line(paragraph)),
                     static_cast<std::size_t>(cmark_node_get_start_column(paragraph)),
                     "step has no bold id; expected \"**step-id** - description\"");
        return std::nullopt;
    }

    Step step;
    step.index = index;
    {
        cmark_node* first = cmark_node_first_child(strong);
        auto line = static_cast<std::size_t>(cmark_node_get_start_line(first ? first : strong));
        auto column = static_cast<std::size_t>(cmark_node_get_start_column(first ? first : strong));
        step.where = source.at(line, column);
    }
    std::optional<std::string> id = read_id(strong, cursor);
    if (!id) return std::nullopt;
    step.id = std::move(*id);

    MappedText rest;
    for (cmark_node* node = cmark_node_next(strong); node; node = cmark_node_next(node)) {
        rest.append(node, source);
    }

    std::string description;
    bool ok = true;
    for (std::size_t i = 0; i < rest.text.size(); ++i) {
        if (!(rest.text[i] == '[' && rest.origins[i].literal)) {
            description += rest.text[i];
            continue;
        }
        // Bracketed text; brackets may nest inside a guard expression.
        std::size_t depth = 0;
        std::size_t close = std::string::npos;
        for (std::size_t j = i; j < rest.text.size(); ++j) {
            if (!rest.origins[j].literal) continue;
            if (rest.text[j] == '[') ++depth;
            if (rest.text[j] == ']' && --depth == 0) {
                close = j;
                break;
            }
        }
        if (close == std::string::npos) {
            cursor.error(rest.origins[i], "unclosed '[' in step; a guard reads \"[if fact]\"");
            ok = false;
            break;
        }
        std::string_view content = std::string_view(rest.text).substr(i + 1, close - i - 1);
        Bracketed bracketed = classify_bracketed(content);
        if (!bracketed.is_guard) {
            if (!bracketed.text.empty()) step.annotations.push_back(bracketed.text);
        } else if (step.guard) {
            cursor.error(rest.origins[i],
                         "step has a second guard; combine the conditions in one guard");
            ok = false;
        } else if (bracketed.condition.empty()) {
            cursor.error(rest.origins[i], "guard has no condition; expected \"[if fact]\"");
            ok = false;
        } else {
            // classify_bracketed() measured the condition from the trimmed content.
            std::size_t leading = content.find_first_not_of(" \t\n");
            std::size_t start = i + 1 + leading + bracketed.condition_offset;
            step.guard =
                Guard{bracketed.text, bracketed.condition, cursor.location(rest.origins[start])};
        }
        i = close;
    }
    if (!ok) return std::nullopt;
    step.description = strip_leading_separator(collapse_whitespace(description));
    return step;
}

}  // namespace deployphase::phase
