#pragma once
// Scripts that run nothing, for tests of the run's state machine (as ninja's
// FakeCommandRunner): every script the runner asks for is written down, and each ends as the
// test said (exit 0 unless told otherwise), writing the output it was given.

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/run/scripts.hpp>

namespace deployphase::test {

// How one run of a fake script ends.
struct FakeEnding {
    run::ProcessResult::Ending ending = run::ProcessResult::Ending::exited;
    int exit_code = 0;
    std::string output;  // KEY=VALUE lines it writes to $DEPLOYPHASE_OUTPUT
    // Runs while the script "runs": what the test has happen meanwhile (an interrupt, say). When
    // the run's interrupt flag is set by then, the script ends interrupted, as a real one would.
    std::function<void()> meanwhile;

    static FakeEnding exit(int code) { return {run::ProcessResult::Ending::exited, code, "", {}}; }
    static FakeEnding writes(std::string output) {
        return {run::ProcessResult::Ending::exited, 0, std::move(output), {}};
    }
};

// The scripts of one test: what each will do, and what ran.
class FakeScripts {
  public:
    struct Call {
        std::size_t index;
        std::string id;
        run::ScriptKind kind;
        unsigned attempt;
        nlohmann::json context;  // as the runner handed it over (secrets masked)
    };

    // The next runs of step `id`'s script of `kind` end as given, in order; later ones exit 0.
    void will(const std::string& id, std::vector<FakeEnding> endings,
              run::ScriptKind kind = run::ScriptKind::step);

    // For RunOptions::scripts.
    run::ScriptsFactory factory();

    const std::vector<Call>& calls() const { return m_calls; }
    // What ran, in order: "one two check:three rollback:two" (the step script by its id alone).
    std::string ran() const;
    // How many times step `id`'s script of `kind` ran.
    std::size_t count(const std::string& id, run::ScriptKind kind = run::ScriptKind::step) const;
    // How many times the runner asked for the logs to be masked, and which scripts had run
    // by then (ran() at that moment), one entry per request.
    const std::vector<std::string>& log_maskings() const { return m_log_maskings; }

  private:
    friend class FakeRun;
    std::map<std::pair<std::string, run::ScriptKind>, std::vector<FakeEnding>> m_endings;
    std::vector<Call> m_calls;
    std::vector<std::string> m_log_maskings;
    std::string m_output;  // outputs/step.env: it outlives a run, as the real file does
};

}  // namespace deployphase::test
