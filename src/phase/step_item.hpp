#pragma once
// One item of the steps list: `**step-id** - description [conditional: if fact]`.

#include <optional>

#include <cmark.h>

#include <deployphase/phase/model.hpp>
#include <deployphase/support/source_file.hpp>

namespace deployphase::phase {

// Reads the item's first paragraph into a step numbered `index`. Problems go to `sink`;
// returns nothing when the item cannot be a step at all.
std::optional<Step> read_step_item(cmark_node* item, std::size_t index, const SourceFile& source,
                                   DiagnosticSink& sink);

// Splits bracketed text into a guard or an annotation. Exposed for tests.
struct Bracketed {
    bool is_guard = false;
    std::string text;                  // trimmed content
    std::size_t condition_offset = 0;  // offset of the condition within `text`, for guards
    std::string condition;
};
Bracketed classify_bracketed(std::string_view content);

}  // namespace deployphase::phase
