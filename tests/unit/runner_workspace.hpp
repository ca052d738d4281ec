#pragma once
// A temporary directory holding a phase and its state directory, for tests that drive the
// runner through its library API with real scripts. Scripts made by step_script() append their
// step id to `ran`, so "ran exactly once" is counted, not assumed.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <deployphase/phase/loader.hpp>
#include <deployphase/run/runner.hpp>
#include <deployphase/state/journal.hpp>
#include <deployphase/state/run_state.hpp>

#include "test_support.hpp"

namespace deployphase::test {

struct Workspace {
    TempDir temp;
    const std::filesystem::path& dir = temp.path;

    phase::LoadedPhase phase(const std::string& markdown) const {
        std::ofstream(dir / "phase.md") << markdown;
        return phase::load_phase((dir / "phase.md").string());
    }
    run::RunOptions options() const {
        run::RunOptions options;
        options.state_dir = dir / ".deployphase";
        options.environment = {"PATH=/usr/bin:/bin"};
        options.kill_after = std::chrono::milliseconds(500);
        return options;
    }
    std::string read(const std::string& name) const { return read_file(dir / name); }
    std::string ran() const { return read("ran"); }

    // Writes the journal a runner would have left after run_started (with `context`) and
    // `events`: how tests stand in for a runner killed part-way.
    void write_journal(const phase::LoadedPhase& phase, const nlohmann::json& context,
                       const std::vector<nlohmann::json>& events) const {
        std::filesystem::create_directories(dir / ".deployphase");
        nlohmann::json steps = nlohmann::json::array();
        for (const auto& step : phase.phase.steps)
            steps.push_back({{"id", step.id}});
        state::Journal journal = state::Journal::open(dir / ".deployphase" / "journal", true);
        // Unique: a resume stops leftover processes by run id, and ctest runs tests at once;
        // a shared id let one test's resume kill another test's step.
        journal.append({{"type", "run_started"},
                        {"run_id", "r-dead-" + dir.filename().string()},
                        {"phase", phase.phase.name},
                        {"phase_file", phase.phase.source_path},
                        {"phase_sha256", phase.sha256()},
                        {"context", context},
                        {"steps", steps}});
        for (const auto& event : events)
            journal.append(event);
    }
};

// A step script (or, with kind "rollback", a rollback script) that appends its step id to
// `ran` (or "undo <id>" to `ran`), then does `extra`.
inline std::string step_script(const std::string& ref, const std::string& extra = "",
                               const std::string& attributes = "",
                               const std::string& kind = "step") {
    std::string record = kind == "rollback" ? "echo \"undo $DEPLOYPHASE_STEP\" >> ran\n"
                                            : "echo \"$DEPLOYPHASE_STEP\" >> ran\n";
    return "```sh " + kind + "=" + ref + (attributes.empty() ? "" : " " + attributes) + "\n" +
           record + extra + "```\n";
}

inline std::string rollback_script(const std::string& ref, const std::string& extra = "") {
    return step_script(ref, extra, "", "rollback");
}

}  // namespace deployphase::test
