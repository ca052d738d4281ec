#pragma once
// ```sh step=ID timeout=10m retries=2 retry-delay=5s``` blocks: scripts bound to steps.

#include <cmark.h>

#include <deployphase/phase/model.hpp>
#include <deployphase/support/source_file.hpp>

namespace deployphase::phase {

// A code block whose info string is `sh` or `bash` followed by attributes.
bool is_action_block(cmark_node* code_block);

// Finds every action block in the document, at any depth (under `## Step Actions`, or nested
// under a step's list item), and binds it to its step. Problems go to `sink`.
void read_step_actions(cmark_node* document, const SourceFile& source, Phase& phase,
                       DiagnosticSink& sink);

}  // namespace deployphase::phase
