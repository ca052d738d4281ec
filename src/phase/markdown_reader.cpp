#include <deployphase/phase/markdown_reader.hpp>

#include <array>
#include <cctype>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include <deployphase/support/spelling.hpp>

#include "phase/inline_text.hpp"
#include "phase/step_actions.hpp"
#include "phase/step_item.hpp"
#include "support/text.hpp"

namespace deployphase::phase {
namespace {

std::size_t start_line(cmark_node* node) {
    return static_cast<std::size_t>(cmark_node_get_start_line(node));
}
std::size_t start_column(cmark_node* node) {
    return static_cast<std::size_t>(cmark_node_get_start_column(node));
}

enum class Region { preamble, steps, validation, section };

bool is_steps_heading(std::string_view heading) {
    std::string key = heading_key(heading);
    return key == "steps sequence" || key == "step sequence";
}

bool is_validation_heading(std::string_view heading) {
    return heading_key(heading) == "validation logic";
}

// The known section a heading was almost certainly meant to be ("## Steps", "## Validaton
// Logic"): read as prose, it would leave the phase without its steps or its logic, silently.
std::optional<std::string_view> near_miss_section(std::string_view heading) {
    std::string key = heading_key(heading);
    struct Known {
        std::string_view title;
        std::vector<std::string> misspelt;  // within three edits of one of these
        std::vector<std::string> words;     // other words used for it
    };
    static const Known known[] = {
        {"Steps Sequence",
         {"steps sequence", "step sequence"},
         {"steps", "step", "sequence", "steps list", "step list", "list of steps",
          "sequence of steps"}},
        {"Validation Logic",
         {"validation logic"},
         {"validation", "validations", "validation rules", "validation code", "logic",
          "phase logic", "decision logic"}},
    };
    for (const Known& section : known) {
        for (const std::string& word : section.words) {
            if (key == word) return section.title;
        }
        for (const std::string& name : section.misspelt) {
            if (edit_distance(key, name) <= 3) return section.title;
        }
    }
    return std::nullopt;
}

// The number an ordered-list item was written with ("7." -> 7), read from the source
// because cmark keeps only the list's first number.
std::optional<std::size_t> written_item_number(cmark_node* item, const SourceFile& source) {
    std::string_view line = source.line(start_line(item));
    std::size_t column = start_column(item);
    if (column == 0 || column > line.size()) return std::nullopt;
    std::size_t value = 0;
    std::size_t digits = 0;
    for (std::size_t i = column - 1;
         i < line.size() && std::isdigit(static_cast<unsigned char>(line[i])); ++i) {
        value = value * 10 + static_cast<std::size_t>(line[i] - '0');
        if (++digits > 9) return std::nullopt;
    }
    if (digits == 0) return std::nullopt;
    return value;
}

class MarkdownPhaseReader {
  public:
    MarkdownPhaseReader(const SourceFile& source, DiagnosticSink& sink)
        : m_source(source), m_sink(sink) {}

    Phase read(cmark_node* document) {
        m_phase.source_path = m_source.path();
        for (cmark_node* block = cmark_node_first_child(document); block;
             block = cmark_node_next(block)) {
            if (cmark_node_get_type(block) == CMARK_NODE_HEADING) {
                int level = cmark_node_get_heading_level(block);
                if (level == 1) {
                    read_title(block);
                    continue;
                }
                if (level == 2) {
                    open_section(block);
                    continue;
                }
            }
            read_content(block);
        }
        finish();
        return std::move(m_phase);
    }

  private:
    void error(cmark_node* node, std::string message) {
        m_source.error(m_sink, start_line(node), start_column(node), std::move(message));
    }
    void warning(cmark_node* node, std::string message) {
        m_source.warning(m_sink, start_line(node), start_column(node), std::move(message));
    }

    void read_title(cmark_node* heading) {
        std::string title(trim(inline_plain_text(heading)));
        if (m_title_line != 0) {
            warning(heading,
                    fmt::format("second title ignored; the title is on line {}", m_title_line));
            return;
        }
        m_title_line = start_line(heading);
        m_phase.title = title;
        m_phase.name = phase_name_from_title(title);
        if (m_phase.name.empty()) {
            error(
                heading,
                fmt::format("title \"{}\" has no phase name; expected \"# Phase • Name\"", title));
        }
    }

    void open_section(cmark_node* heading) {
        std::string title(trim(inline_plain_text(heading)));
        m_current_section = nullptr;
        if (is_steps_heading(title)) {
            if (m_steps_heading) {
                error(heading, fmt::format("second steps section; the first is on line {}",
                                           start_line(m_steps_heading)));
            } else {
                m_steps_heading = heading;
            }
            m_region = Region::steps;
        } else if (is_validation_heading(title)) {
            if (m_validation_heading) {
                error(heading, fmt::format("second \"## Validation Logic\" section; the first is "
                                           "on line {}",
                                           start_line(m_validation_heading)));
            } else {
                m_validation_heading = heading;
            }
            m_region = Region::validation;
        } else {
            if (std::optional<std::string_view> meant = near_miss_section(title)) {
                m_near_miss_reported = true;
                error(heading, fmt::format("heading \"{}\" is not a section deployphase reads; "
                                           "did you mean \"## {}\"?",
                                           title, *meant));
            }
            Section section;
            section.kind = section_kind_from_heading(title);
            section.title = title;
            section.where = m_source.at(start_line(heading), start_column(heading));
            m_phase.sections.push_back(std::move(section));
            m_current_section = &m_phase.sections.back();
            m_region = Region::section;
        }
    }

    void read_content(cmark_node* block) {
        if (is_action_block(block)) return;  // read_step_actions() binds it to its step
        switch (m_region) {
            case Region::preamble:
                append_paragraph(m_phase.summary, block_plain_text(block));
                break;
            case Region::steps:
                if (cmark_node_get_type(block) == CMARK_NODE_LIST) read_steps(block);
                break;
            case Region::validation:
                if (cmark_node_get_type(block) == CMARK_NODE_CODE_BLOCK) read_validation(block);
                break;
            case Region::section:
                if (cmark_node_get_type(block) == CMARK_NODE_LIST) {
                    for (cmark_node* item = cmark_node_first_child(block); item;
                         item = cmark_node_next(item)) {
                        m_current_section->items.push_back(block_plain_text(item));
                    }
                } else {
                    append_paragraph(m_current_section->text, block_plain_text(block));
                }
                break;
        }
    }

    static void append_paragraph(std::string& text, const std::string& paragraph) {
        if (paragraph.empty()) return;
        if (!text.empty()) text += "\n\n";
        text += paragraph;
    }

    void read_steps(cmark_node* list) {
        bool ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
        // A Step is large: growing the vector by doubling would hold one and a half copies of
        // a long phase at its peak.
        std::size_t items = 0;
        for (cmark_node* item = cmark_node_first_child(list); item; item = cmark_node_next(item))
            ++items;
        m_phase.steps.reserve(m_phase.steps.size() + items);
        for (cmark_node* item = cmark_node_first_child(list); item; item = cmark_node_next(item)) {
            ++m_item_count;
            std::size_t index = m_item_count;
            if (ordered) {
                auto number = written_item_number(item, m_source);
                if (number && *number != index) {
                    warning(item, fmt::format("step numbered {} is step {} of the phase; steps "
                                              "run in the order they are written",
                                              *number, index));
                }
            }
            if (auto step = read_step_item(item, index, m_source, m_sink)) {
                m_phase.steps.push_back(std::move(*step));
            }
        }
    }

    void read_validation(cmark_node* block) {
        if (m_phase.validation) {
            error(block, fmt::format("second code block in \"## Validation Logic\"; the first is "
                                     "on line {}",
                                     m_validation_block_line));
            return;
        }
        const char* info = cmark_node_get_fence_info(block);
        std::string info_text(trim(info ? info : ""));
        std::string language = info_text.substr(0, info_text.find_first_of(" \t"));
        if (!is_validation_language(language)) {
            error(block, fmt::format("validation logic is marked as \"{}\"; expected "
                                     "\"javascript\", \"js\" or no language",
                                     language));
        }
        m_validation_block_line = start_line(block);
        ValidationLogic logic;
        logic.language = language;
        const char* literal = cmark_node_get_literal(block);
        logic.source = literal ? literal : "";
        logic.where = content_start(block, logic.source);
        if (trim(logic.source).empty()) warning(block, "validation logic block is empty");
        m_phase.validation = std::move(logic);
    }

    // Where a code block's content starts: the line after an opening fence (or the
    // block's own first line when indented), at the column its first line sits in the
    // source once the block's indentation is removed.
    SourceLocation content_start(cmark_node* block, std::string_view literal) {
        std::size_t line = start_line(block);
        std::string_view first = trim(m_source.line(line));
        if (first.starts_with("```") || first.starts_with("~~~")) ++line;
        std::string_view first_content = literal.substr(0, literal.find('\n'));
        std::size_t found = first_content.empty() ? std::string_view::npos
                                                  : m_source.line(line).find(first_content);
        return m_source.at(line, found == std::string_view::npos ? 1 : found + 1);
    }

    void finish() {
        auto at_top = [&](std::string message) {
            m_source.error(m_sink, 1, 1, std::move(message));
        };
        if (m_title_line == 0) at_top("no title; expected a first line like \"# Phase • Name\"");
        if (!m_steps_heading) {
            if (!m_near_miss_reported) {
                at_top(
                    "no steps section; expected \"## Steps Sequence\" followed by a numbered "
                    "list of steps");
            }
        } else if (m_item_count == 0) {
            error(m_steps_heading,
                  "the steps section has no steps; expected a list like "
                  "\"1. **step-id** - description\"");
        }
        if (m_validation_heading && !m_phase.validation) {
            error(m_validation_heading,
                  "\"## Validation Logic\" has no code block; expected a ```javascript block");
        }
    }

    const SourceFile& m_source;
    DiagnosticSink& m_sink;
    Phase m_phase;
    Region m_region = Region::preamble;
    Section* m_current_section = nullptr;
    std::size_t m_title_line = 0;
    cmark_node* m_steps_heading = nullptr;
    bool m_near_miss_reported = false;  // its error names the missing section already
    cmark_node* m_validation_heading = nullptr;
    std::size_t m_validation_block_line = 0;
    std::size_t m_item_count = 0;
};

// Real phase documents nest a handful of levels; the readers below recurse per level, so a
// pathological document is refused here, by an iterative walk, before any of them runs.
constexpr std::size_t max_markdown_nesting = 64;

bool is_leaf(cmark_node_type type) {
    switch (type) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
        case CMARK_NODE_CODE:
        case CMARK_NODE_HTML_INLINE:
        case CMARK_NODE_CODE_BLOCK:
        case CMARK_NODE_HTML_BLOCK:
        case CMARK_NODE_THEMATIC_BREAK:
            return true;
        default:
            return false;
    }
}

bool check_nesting(cmark_node* document, const SourceFile& source, DiagnosticSink& sink) {
    std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> iter(cmark_iter_new(document),
                                                                 cmark_iter_free);
    std::size_t depth = 0;
    for (cmark_event_type event; (event = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE;) {
        cmark_node* node = cmark_iter_get_node(iter.get());
        if (is_leaf(cmark_node_get_type(node))) continue;
        if (event == CMARK_EVENT_EXIT) {
            --depth;
        } else if (++depth > max_markdown_nesting) {
            source.error(sink, start_line(node), start_column(node),
                         fmt::format("Markdown nested more than {} levels deep here; a phase "
                                     "document needs far fewer",
                                     max_markdown_nesting));
            return false;
        }
    }
    return true;
}

}  // namespace

std::string phase_name_from_title(std::string_view title) {
    title = trim(title);
    if (ascii_lower(title.substr(0, 5)) != "phase") return std::string(title);
    std::string_view rest = trim(title.substr(5));
    // "â€¢" is "•" saved as UTF-8, read as Windows-1252 and saved again; real documents have it.
    static constexpr std::array<std::string_view, 8> separators{
        "\u2022", "\u00e2\u20ac\u00a2", ":", "-", "\u2013", "\u2014", "\u00b7", "|"};
    for (std::string_view separator : separators) {
        if (rest.starts_with(separator)) return std::string(trim(rest.substr(separator.size())));
    }
    return std::string(title);
}

Phase read_markdown_phase(const SourceFile& source, DiagnosticSink& sink) {
    std::string_view text = source.text();
    CmarkDocument document(cmark_parse_document(text.data(), text.size(), CMARK_OPT_DEFAULT));
    cmark_consolidate_text_nodes(document.get());
    if (!check_nesting(document.get(), source, sink)) return Phase{};
    Phase phase = MarkdownPhaseReader(source, sink).read(document.get());
    read_step_actions(document.get(), source, phase, sink);
    return phase;
}

}  // namespace deployphase::phase
