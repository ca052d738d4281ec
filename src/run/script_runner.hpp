#pragma once
// Runs one of a step's scripts the way every script of a run runs: in its own process group,
// in the run's working directory, with the step environment, the merged context as a file and
// a log under DIR/logs. The forward run and the rollback share it. Secrets reach the script
// only through its environment; the context file, the log and the echo have them masked.

#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <deployphase/context/secrets.hpp>
#include <deployphase/phase/loader.hpp>
#include <deployphase/run/runner.hpp>
#include <deployphase/run/subprocess.hpp>

namespace deployphase::run {

enum class ScriptKind { step, check, rollback };

std::string_view script_kind_name(ScriptKind kind);  // "step", "check", "rollback"

class ScriptRunner {
  public:
    ScriptRunner(const phase::LoadedPhase& phase, const RunOptions& options, std::string run_id,
                 const InterruptFlag& interrupt, const context::Secrets& secrets);
    ~ScriptRunner();
    ScriptRunner(const ScriptRunner&) = delete;
    ScriptRunner& operator=(const ScriptRunner&) = delete;

    // Runs the step's script of this kind (which must exist) to its end. `context` may hold
    // masked secrets; the script's environment gets the real values the secrets know.
    ProcessResult run(const phase::Step& step, ScriptKind kind, unsigned attempt,
                      const nlohmann::json& context);

    // What the last step script wrote to $DEPLOYPHASE_OUTPUT ("" when nothing). It stays
    // until clear_output() or the next step script: a step cut off before its output was
    // recorded may still be marked done with it.
    std::string read_output() const;
    // Empties the step output file once it is recorded or of no more use: it may hold
    // secrets.
    void clear_output() const;

    const InterruptFlag& interrupt() const { return m_interrupt; }
    bool interrupted() const { return m_interrupt.load() != 0; }

  private:
    // Where a script of this kind may write KEY=VALUE lines ($DEPLOYPHASE_OUTPUT); emptied
    // before each run of such a script.
    std::filesystem::path output_file(ScriptKind kind) const;
    void write_context(const nlohmann::json& context);
    void empty_step_output() const;

    const phase::LoadedPhase& m_phase;
    const RunOptions& m_options;
    std::string m_run_id;
    const InterruptFlag& m_interrupt;
    const context::Secrets& m_secrets;
    std::filesystem::path m_workdir;
    std::filesystem::path m_state_dir;  // absolute: scripts run elsewhere
    int m_step_output = -1;             // outputs/step.env
    nlohmann::json m_context_written;
    bool m_context_file_exists = false;
};

// How an attempt ended, for the journal and the operator: "" for exit 0, else "exited with 3",
// "killed by signal 9", "timed out after 10s" or "interrupted".
std::string describe_ending(const ProcessResult& result, const phase::Script& script);

// Waits, but not past an interrupt.
void interruptible_sleep(std::chrono::milliseconds duration, const InterruptFlag& interrupt);

}  // namespace deployphase::run
