#pragma once

#include <deployphase/phase/model.hpp>
#include <deployphase/support/source_file.hpp>

namespace deployphase::phase {

// Reads a Markdown phase document. Every problem found goes to `sink`; the returned
// phase is only meaningful when the sink holds no error.
Phase read_markdown_phase(const SourceFile& source, DiagnosticSink& sink);

// "Phase • Deployment" -> "Deployment". A title without a "Phase" prefix is the name
// itself. Returns an empty string when the prefix has no name after it.
std::string phase_name_from_title(std::string_view title);

}  // namespace deployphase::phase
