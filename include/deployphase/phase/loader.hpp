#pragma once
// The one entry point later stages use: a path in, a checked phase out.

#include <string>
#include <vector>

#include <deployphase/phase/model.hpp>
#include <deployphase/support/source_file.hpp>

namespace deployphase::phase {

struct LoadedPhase {
    Phase phase;
    std::vector<Diagnostic> warnings;
};

// Reads a phase document: JSON form when the name ends in ".json", Markdown otherwise.
// Throws InputError (with every error and warning found) when it is not a valid phase.
LoadedPhase load_phase(const std::string& path);
LoadedPhase load_phase(SourceFile source);

// Checks that hold whichever form a phase was written in (repeated ids, ...).
void check_phase(const Phase& phase, const SourceFile& source, DiagnosticSink& sink);

}  // namespace deployphase::phase
