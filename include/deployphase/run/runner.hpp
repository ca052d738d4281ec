#pragma once
// Running a phase: starting a run, resuming one, confirming a manual step, and reading the run a
// command acts on. Each decides, then drives the steps (src/run/driver.hpp), recording every
// transition in the journal before acting on it. A fresh run and a resume are the same loop
// over the state folded from the journal.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/phase/loader.hpp>
#include <deployphase/plan/context_drift.hpp>
#include <deployphase/plan/plan.hpp>
#include <deployphase/run/recorded_run.hpp>
#include <deployphase/run/scripts.hpp>
#include <deployphase/run/subprocess.hpp>
#include <deployphase/state/journal.hpp>
#include <deployphase/state/run_state.hpp>
#include <deployphase/state/store.hpp>

namespace deployphase::run {

struct RunOptions {
    // Local files of the run: step logs, outputs, the context handed to scripts.
    std::filesystem::path state_dir = ".deployphase";
    // Where runs are recorded and locked; null: the journal in state_dir (store_of()).
    std::shared_ptr<state::StateStore> store;
    std::filesystem::path workdir;  // empty: the phase file's directory
    std::chrono::milliseconds kill_after{10'000};
    int echo_fd = -1;                  // also copy step output to this descriptor (-1: no)
    bool confirm_all = false;          // --yes: every manual step is confirmed
    bool allow_changed = false;        // resume even though the phase file changed
    bool restart = false;              // start_run abandons an unfinished run (kept under history/)
    bool rollback_on_failure = false;  // --on-failure=rollback
    // resume: what a step cut off by an interrupt or by its runner's death becomes.
    enum class Interrupted { rerun, done, fail };
    Interrupted interrupted = Interrupted::rerun;
    // resume --context/--set: the new context is `base` (the run's context when absent) with
    // the outputs recorded so far merged over it, then `assignments`.
    struct ContextUpdate {
        std::optional<nlohmann::json> base;
        std::vector<std::string> assignments;
    };
    std::optional<ContextUpdate> context_update;
    // Told which pending steps' guard decisions a context update changed, before any runs.
    std::function<void(const plan::ContextDrift&)> report_drift;
    // Asks the operator to confirm a manual step; empty when there is no terminal, and the run
    // then stops awaiting confirmation.
    std::function<bool(const phase::Step&)> confirm;
    std::vector<std::string> environment;  // inherited by steps
    // --secret: context keys (dotted paths) whose values are masked wherever they are shown or
    // recorded, besides the keys the name patterns catch (context/secrets.hpp).
    std::vector<std::string> secret_keys;
    // Sees every event once it is durable (progress lines, --events, CI annotations).
    std::function<void(const nlohmann::json&)> on_event;
    // Called repeatedly (at least every 100 ms) while a script runs: a live timer's tick.
    std::function<void()> on_wait;
    // Told when an interrupt stops a step's script: SIGTERM sent (`killing` false), or a second
    // interrupt killing it at once (true).
    std::function<void(const phase::Step&, bool killing)> on_stop;
    // Makes the run's scripts; empty: real processes (process_scripts). Tests put a fake here.
    ScriptsFactory scripts;
};

// The store a command with `options` records its run in.
std::shared_ptr<state::StateStore> store_of(const RunOptions& options);

// The current run in `store`, read without locking or changing anything (a torn tail is
// ignored, not cut); nothing when there is none.
std::optional<state::RunState> read_run(state::StateStore& store);

// The last run in the store as `status` and `report` show it: the current run, the last that
// ran its steps (runs that changed nothing are filed into the history), or, when there is
// none, the run filed into the history last. An unfinished run whose lock nobody holds
// has lost its runner, so it and its running step read `interrupted`. Throws StateError ("no
// run here") when there is none at all.
state::RunState last_run(state::StateStore& store);

// A run that started after `current` and changed nothing (skipped or blocked, so filed into
// the history): what `status` mentions under the current run, so that the operator sees both.
std::optional<state::RunState> later_run_that_changed_nothing(state::StateStore& store,
                                                              const state::RunState& current);

// `run --resume` of a run that already succeeded with this very phase file and context: a
// retried CI job whose first attempt finished (perhaps killed just after) must not deploy
// again. Anything else (another phase or context, a run that ended otherwise) starts anew.
// Secret values are compared masked, as they were recorded: a rotated secret alone does not
// make a new run.
bool already_succeeded(const state::RunState& run, const phase::LoadedPhase& phase,
                       const nlohmann::json& context);

// The runs `store` holds, newest first (by start: run ids order to the second, the store's
// filing order within one): at most `limit` (0: all). A run without an end whose store's lock
// is free lost its runner and reads as interrupted, as in last_run(). Throws StateError when a
// record cannot be trusted, naming the run's journal or row.
std::vector<state::RunState> run_history(state::StateStore& store, std::size_t limit);

// The run of `store` whose id is `id` or begins with it (a unique prefix is enough), as
// run_history() reads it. Throws StateError when none does, or several do (naming two).
state::RunState find_run(state::StateStore& store, const std::string& id);

// rollback --run ID: throws StateError unless `id` names the run rollback acts on, the last
// that changed something (`current`), saying which run that is.
void require_rollback_target(state::StateStore& store, const state::RunState& current,
                             const std::string& id);

// Whether `phase` is another phase file than the one `run` is of: another path and other
// contents (a file edited in place is the same phase, changed; a copy is the same phase).
bool of_another_phase(const state::RunState& run, const phase::LoadedPhase& phase);

// Throws UnfinishedRun when `run` (read from `where`) has not finished: a new run of `phase`
// would replace it.
void refuse_unfinished(const state::RunState& run, const std::string& where,
                       const phase::LoadedPhase& phase);

// What `run --resume` does: continue the store's unfinished run, leave alone one that already
// succeeded with this phase and context, or start a new run. A run to continue or leave alone
// is kept open under the store's lock, so the journal is read once.
struct ResumeDecision {
    enum class Action { start, resume, already_succeeded };
    Action action = Action::start;
    std::optional<RecordedRun> recorded;  // for resume and already_succeeded
};
ResumeDecision decide_run_resume(state::StateStore& store, const phase::LoadedPhase& phase,
                                 const nlohmann::json& context);
// The same choice for a run already read (locked, or peeked at for a preview). Throws
// UnfinishedRun when the run is unfinished and of another phase.
ResumeDecision::Action resume_action(const RecordedRun& recorded, const phase::LoadedPhase& phase,
                                     const nlohmann::json& context);

// resume --context/--set: files become the new base (none: the run's context), assignments
// apply last. Nothing when neither was given. Throws InputError for a bad file.
std::optional<RunOptions::ContextUpdate> context_update(
    const std::vector<std::string>& files, const std::vector<std::string>& assignments);

// The position (from 0) of the step `ref` names in `run`: its id, or its 1-based index. Throws
// StateError (at `where`) when there is no such step, or the id names several.
std::size_t step_position(const state::RunState& run, const std::string& ref,
                          const std::string& where);

// Records the operator's confirmation of a manual step that the run is waiting on; `resume`
// then continues past it. `step` is an id or a 1-based index. Throws StateError when there is
// no such run or step, the id names several steps, or the step is not awaiting confirmation.
// Records who confirmed (the operating-system user and host) and `reason`, when given.
state::StepState confirm_step(state::StateStore& store, const std::string& step,
                              std::string_view reason = {});

// Starts a new run. Refuses (UnfinishedRun) when the state directory holds an unfinished run;
// a finished one is moved into the store's history first. Throws LockHeld when another
// runner holds the store.
state::RunState start_run(const phase::LoadedPhase& phase, const nlohmann::json& context,
                          const RunOptions& options, const InterruptFlag& interrupt);

// Continues the unfinished run: steps that succeeded, were satisfied or skipped do not run
// again; a failed step runs again; an interrupted one, or one that was running when its runner
// died, runs again from the start unless options.interrupted says otherwise. Refuses when the
// phase file changed, unless allow_changed, and a run whose rollback has begun.
state::RunState resume_run(const phase::LoadedPhase& phase, const RunOptions& options,
                           const InterruptFlag& interrupt);
// The same for a run already opened with open_recorded_run() (recorded_run.hpp), whose phase
// file the caller has read from it: the journal is read once, under the lock.
state::RunState resume_run(RecordedRun run, const phase::LoadedPhase& phase,
                           const RunOptions& options, const InterruptFlag& interrupt);

// What resume_run would do with `run`, running and recording nothing: the same refusals (the
// run ended, its rollback began, the phase changed, a secret not given again, a bad --set),
// then each step: those that will not run again as recorded, the others planned against the
// context the resume would start from. The phase is not decided again: it was, when the run
// began.
plan::Plan preview_resume(const RecordedRun& run, const phase::LoadedPhase& phase,
                          const RunOptions& options);
// A run that already succeeded, as `run --resume --dry-run` shows it: every step as recorded.
plan::Plan preview_finished(const state::RunState& run, const phase::LoadedPhase& phase);

}  // namespace deployphase::run
