#pragma once
// The run's state machine: for each step not done, its guard, its check, its attempts or its
// confirmation, every transition recorded before the next thing happens. A fresh run and a
// resume are the same loop over the state folded from the journal. It touches no file and no
// process itself: the journal records, the scripts run (run/scripts.hpp).

#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/context/secrets.hpp>
#include <deployphase/phase/loader.hpp>
#include <deployphase/run/runner.hpp>
#include <deployphase/run/scripts.hpp>
#include <deployphase/run/step_environment.hpp>
#include <deployphase/state/journal.hpp>
#include <deployphase/state/run_state.hpp>

namespace deployphase::run {

// A run being driven: its journal, the scripts it runs, and the flag an interrupt sets.
struct ActiveRun {
    state::Journal& journal;
    Scripts& scripts;
    const InterruptFlag& interrupt;

    bool interrupted() const { return interrupt.load() != 0; }
};

// The run's scripts: RunOptions::scripts when set (a test's fake), else real processes.
std::unique_ptr<Scripts> make_scripts(const ScriptSetup& setup);

// The journal holds the context with its secrets masked; the driver keeps the real one (as
// given, plus the outputs it records) to evaluate guards and hand to scripts.
class Driver {
  public:
    Driver(const phase::LoadedPhase& phase, const RunOptions& options, ActiveRun run,
           context::Secrets& secrets, nlohmann::json context);

    // resume --context/--set: the context from here on.
    void replace_context(nlohmann::json context) { m_context = std::move(context); }

    // Runs the steps not done yet, in order, until the run ends or stops.
    state::RunState drive();
    // The run stops at a failed step: it fails, or rolls back (--on-failure=rollback).
    state::RunState fail();
    // Records the output a step left and merges it into the context (a cut-off step marked
    // done keeps what it wrote).
    void record_output(const phase::Step& step);

  private:
    enum class Outcome { next, failed, interrupted, awaiting_confirmation };

    Outcome run_step(std::size_t position);
    std::optional<Outcome> run_check(const phase::Step& step, std::vector<nlohmann::json>& ahead);
    Outcome run_attempts(const phase::Step& step, std::vector<nlohmann::json>& ahead);
    Outcome confirm_manual_step(const phase::Step& step);
    Outcome step_finished(const phase::Step& step, std::vector<nlohmann::json> events,
                          state::StepStatus status, Outcome outcome,
                          std::optional<std::string_view> reason = std::nullopt);
    nlohmann::json take_output(const phase::Step& step, StepOutput output,
                               std::vector<nlohmann::json>& events);
    void merge_output(const nlohmann::json& values);
    void record_all(std::vector<nlohmann::json> events);
    state::RunState finish(state::RunStatus status);

    const phase::LoadedPhase& m_phase;
    const RunOptions& m_options;
    ActiveRun m_run;
    context::Secrets& m_secrets;
    nlohmann::json m_context;
};

}  // namespace deployphase::run
