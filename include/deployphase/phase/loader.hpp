#pragma once
// The one entry point later stages use: a path in, a checked phase out.

#include <optional>
#include <string>
#include <vector>

#include <deployphase/phase/model.hpp>
#include <deployphase/phase/phase_logic.hpp>
#include <deployphase/support/source_file.hpp>

namespace deployphase::phase {

struct LoadedPhase {
    Phase phase;
    phase::PhaseLogic logic;  // the validation logic and guards, compiled
    std::vector<Diagnostic> warnings;
    std::optional<SourceFile> source;  // the file as read, for messages about it

    // Of the file's bytes exactly as read, as `sha256sum` prints it. Computed when first asked:
    // only what records or fingerprints the phase needs it, and `plan` of a big phase spent
    // 5% of its time on it.
    const std::string& sha256() const;

  private:
    mutable std::optional<std::string> m_sha256;
};

// Reads a phase document (JSON form when the name ends in ".json", Markdown otherwise) and
// compiles its predicates. Throws InputError (with every error and warning found) when it
// is not a valid phase.
LoadedPhase load_phase(const std::string& path);
LoadedPhase load_phase(SourceFile source);

// Checks that hold whichever form a phase was written in (repeated ids, ...).
void check_phase(const Phase& phase, const SourceFile& source, DiagnosticSink& sink);

}  // namespace deployphase::phase
