#pragma once
// The runner's one seam to processes: how a run's step, check and rollback scripts are run.
// The run's state machine (the driver, the rollback) only ever calls these; the real ones run
// processes (run/process_scripts.cpp), and tests give a fake that records what it was asked
// to run and answers as told, as ninja tests its build loop with a fake command runner.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <deployphase/context/secrets.hpp>
#include <deployphase/phase/loader.hpp>
#include <deployphase/run/subprocess.hpp>

namespace deployphase::run {

struct RunOptions;

enum class ScriptKind { step, check, rollback };

std::string_view script_kind_name(ScriptKind kind);  // "step", "check", "rollback"

class Scripts {
  public:
    virtual ~Scripts() = default;

    // Runs the step's script of this kind (which must exist) to its end. `context` may hold
    // masked secrets; the script's environment gets the real values the run's secrets know.
    virtual ProcessResult run(const phase::Step& step, ScriptKind kind, unsigned attempt,
                              const nlohmann::json& context) = 0;

    // What the last step script wrote to $DEPLOYPHASE_OUTPUT ("" when nothing). It stays
    // until clear_output() or the next step script: a step cut off before its output was
    // recorded may still be marked done with it.
    virtual std::string read_output() = 0;
    // Empties it once it is recorded or of no more use: it may hold secrets.
    virtual void clear_output() = 0;
    // Masks, in the logs the run's scripts wrote, the secret values learned since: a step's
    // output can make a value the step printed a secret only when it ends. Called before
    // that output is recorded, so no report or later reader sees the value.
    virtual void mask_logs() = 0;
};

// What a run's scripts are given: its phase and options, its id, the flag an interrupt sets,
// and its secrets (which may learn more values while it runs).
struct ScriptSetup {
    const phase::LoadedPhase& phase;
    const RunOptions& options;
    std::string run_id;
    const InterruptFlag& interrupt;
    const context::Secrets& secrets;
};

// Makes the scripts of one run (RunOptions::scripts); the default runs real processes.
using ScriptsFactory = std::function<std::unique_ptr<Scripts>(const ScriptSetup&)>;

// Real processes: each script in its own process group, in the run's working directory, with
// the step environment, the context as a file and a log under DIR/logs (process_scripts.cpp).
std::unique_ptr<Scripts> process_scripts(const ScriptSetup& setup);

// How an attempt ended, for the journal and the operator: "" for exit 0, else "exited with 3",
// "killed by signal 9", "timed out after 10s" or "interrupted".
std::string describe_ending(const ProcessResult& result, const phase::Script& script);

}  // namespace deployphase::run
