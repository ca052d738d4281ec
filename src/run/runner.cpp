#include <deployphase/run/runner.hpp>

#include <algorithm>
#include <random>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <deployphase/context/context.hpp>
#include <deployphase/context/secrets.hpp>
#include <deployphase/plan/plan.hpp>
#include <deployphase/run/leftovers.hpp>
#include <deployphase/run/step_environment.hpp>
#include <deployphase/state/directory_store.hpp>
#include <deployphase/state/events.hpp>
#include <deployphase/support/digest.hpp>
#include <deployphase/support/errors.hpp>
#include <deployphase/support/version.hpp>

#include "run/driver.hpp"
#include "run/identity.hpp"

namespace deployphase::run {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using state::RunState;
using state::RunStatus;
using state::StepStatus;
namespace event = state::event;

std::string new_run_id() {
    std::random_device random;
    return fmt::format(
        "{:%Y%m%dT%H%M%SZ}-{:06x}",
        fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())),
        random() & 0xFFFFFF);
}

// Cut off by an interrupt, or by the death of its runner.
bool cut_off(StepStatus status) {
    return status == StepStatus::interrupted || status == StepStatus::running;
}

// resume --interrupted=done|fail: the operator's word on steps that were cut off. False when
// the run must stop here (a step marked failed).
bool settle_cut_off_steps(const RunState& state, const RunOptions& options, ActiveRun run,
                          Driver& driver, const phase::LoadedPhase& phase) {
    if (options.interrupted == RunOptions::Interrupted::rerun) return true;
    bool as_done = options.interrupted == RunOptions::Interrupted::done;
    for (const state::StepState& step : state.steps) {
        if (!cut_off(step.status)) continue;
        const phase::Step& cut = phase.phase.steps[step.index - 1];
        if (as_done) driver.record_output(cut);
        run.journal.append(
            event::step_finished(step.index, as_done ? StepStatus::succeeded : StepStatus::failed,
                                 as_done ? "marked done on resume (--interrupted=done)"
                                         : "marked failed on resume (--interrupted=fail)"));
        if (!as_done) {
            run.scripts.clear_output();
            return false;
        }
    }
    return true;
}

// The context a resume --context/--set asks for, with the secrets it gives learned and put
// back where the journal has "***" (a recorded secret output must not hide the value given
// again). Throws InputError for a bad assignment.
json updated_context(const RunState& state, const RunOptions::ContextUpdate& update,
                     context::Secrets& secrets) {
    json context = update.base.value_or(state.context);
    secrets.learn(context);
    context::deep_merge(context, state.outputs);
    for (const std::string& assignment : update.assignments)
        context::apply_assignment(context, assignment);
    secrets.learn(context);
    return secrets.reveal(context);
}

// The journal keeps secrets masked: a resumed run must be given them again.
void require_secrets(const json& context, const context::Secrets& secrets,
                     const state::Journal& journal, const RunState& state) {
    std::vector<std::string> missing = secrets.missing(context);
    if (missing.empty()) return;
    throw StateError(journal.name(),
                     fmt::format("run {} recorded the secret{} {} as \"***\"; give {} again with "
                                 "--context FILE or --set KEY=VALUE to resume",
                                 state.run_id, missing.size() == 1 ? "" : "s",
                                 fmt::join(missing, ", "), missing.size() == 1 ? "it" : "them"));
}

// resume --context/--set: records the new context, tells the caller what it changes, and
// returns it (real values, not masked).
std::optional<json> update_context(const RunState& state, const RunOptions& options,
                                   state::Journal& journal, const phase::LoadedPhase& phase,
                                   context::Secrets& secrets) {
    if (!options.context_update) return std::nullopt;
    json context = updated_context(state, *options.context_update, secrets);
    plan::ContextDrift drift =
        plan::context_drift(phase.phase, phase.logic, secrets.reveal(state.context), context,
                            state.unfinished_steps(), secrets);
    if (options.report_drift) options.report_drift(drift);
    if (!drift.changed_keys.empty())
        journal.append(event::context_changed(context, drift.changed_keys));
    return context;
}

// The plan the run began with, as recorded: the decision and each step's intent then.
// Guards are evaluated again before each step; this is what the operator was shown.
json plan_summary(const plan::Plan& plan) {
    json steps = json::array();
    for (const plan::StepPlan& step : plan.steps)
        steps.push_back({{"will_run", step.will_run}, {"reason", step.reason}});
    return {{"decision", plan::decision_name(plan.decision)},
            {"reason", plan.reason},
            {"steps", std::move(steps)}};
}

// A run the phase decided not to run: every step skipped and the end, with one write.
RunState record_not_run(state::Journal& journal, const phase::Phase& phase, plan::Decision decision,
                        const std::string& reason) {
    bool skip = decision == plan::Decision::skip;
    std::vector<json> events;
    for (const phase::Step& step : phase.steps) {
        events.push_back(event::step_skipped(
            step.index, skip ? "the phase is skipped" : "the phase is blocked"));
    }
    events.push_back(
        event::run_finished(skip ? RunStatus::skipped : RunStatus::blocked, std::string(reason)));
    journal.append_all(std::move(events));
    return journal.state();
}

}  // namespace

std::unique_ptr<Scripts> make_scripts(const ScriptSetup& setup) {
    return setup.options.scripts ? setup.options.scripts(setup) : process_scripts(setup);
}

std::shared_ptr<state::StateStore> store_of(const RunOptions& options) {
    if (options.store) return options.store;
    return std::make_shared<state::DirectoryStore>(options.state_dir);
}

std::optional<RunState> read_run(state::StateStore& store) {
    std::optional<state::Journal> journal = state::Journal::open_run(store, false);
    if (!journal || journal->size() == 0) return std::nullopt;
    return journal->state();
}

namespace {

std::optional<RunState> archived_since_current(state::StateStore& store) {
    std::optional<state::Journal> journal = state::Journal::open_archived_since_current(store);
    if (!journal || journal->size() == 0) return std::nullopt;
    return journal->state();
}

}  // namespace

bool of_another_phase(const RunState& run, const phase::LoadedPhase& phase) {
    if (run.phase_sha256 == phase.sha256()) return false;
    std::error_code error;
    fs::path given = fs::weakly_canonical(fs::absolute(phase.phase.source_path), error);
    if (error) return true;
    fs::path recorded = fs::weakly_canonical(run.phase_file, error);
    return error || given != recorded;
}

void refuse_unfinished(const RunState& run, const std::string& where,
                       const phase::LoadedPhase& phase) {
    if (!run.unfinished()) return;
    throw UnfinishedRun(where, {run.run_id, run.phase, run.phase_file, run.rollback_begun,
                                of_another_phase(run, phase)});
}

std::vector<RunState> run_history(state::StateStore& store, std::size_t limit) {
    std::vector<RunState> runs;
    std::vector<std::unique_ptr<state::Fold>> folds;
    std::vector<std::string> names;
    store.read_runs(limit, [&](const std::string& name) -> state::RecordSink {
        folds.push_back(std::make_unique<state::Fold>());
        names.push_back(name);
        state::Fold& fold = *folds.back();
        return [&fold, name](json&& record, std::string_view where) {
            try {
                fold.apply(record);
            } catch (const RecordError& e) {
                throw StateError(name, fmt::format("record at {}: {}", where, e.detail()));
            }
        };
    });
    bool locked = store.lock_holder().has_value();
    for (std::size_t i = 0; i < folds.size(); ++i) {
        RunState state = folds[i]->state();
        if (state.run_id.empty()) continue;  // a run with no record: a crash before its first
        if (!state.finished && !locked) state.status = RunStatus::interrupted;
        runs.push_back(std::move(state));
    }
    // By start: to the millisecond where both runs recorded it (journal format 2), else by the
    // run id's start to the second; a stable sort keeps the store's order within a tie.
    std::stable_sort(runs.begin(), runs.end(), [](const RunState& a, const RunState& b) {
        if (!a.started_at.empty() && !b.started_at.empty()) return a.started_at > b.started_at;
        return a.run_id.substr(0, 16) > b.run_id.substr(0, 16);
    });
    if (limit != 0 && runs.size() > limit) runs.resize(limit);
    return runs;
}

RunState find_run(state::StateStore& store, const std::string& id) {
    if (id.empty()) throw StateError("--run", "give a run id, or the start of one");
    std::vector<RunState> matches;
    for (RunState& run : run_history(store, 0)) {
        if (run.run_id.starts_with(id)) matches.push_back(std::move(run));
    }
    if (matches.empty()) {
        throw StateError(store.name(), fmt::format("no run \"{}\" here; `deployphase history` "
                                                   "lists the runs",
                                                   id));
    }
    if (matches.size() > 1) {
        throw StateError(store.name(), fmt::format("\"{}\" begins the ids of runs {} and {}; "
                                                   "give more of the id",
                                                   id, matches[0].run_id, matches[1].run_id));
    }
    return std::move(matches.front());
}

void require_rollback_target(state::StateStore& store, const RunState& current,
                             const std::string& id) {
    RunState named = find_run(store, id);
    if (named.run_id == current.run_id) return;
    throw StateError(store.name(),
                     fmt::format("run {} is not the run a rollback can undo: that is the last run "
                                 "that changed something, {} (`deployphase rollback` without "
                                 "--run, or --run {}); a rollback of an older run would undo "
                                 "steps a later run depends on",
                                 named.run_id, current.run_id, current.run_id));
}

RunState last_run(state::StateStore& store) {
    std::optional<RunState> current = read_run(store);
    if (!current) current = archived_since_current(store);
    if (!current) throw StateError(store.name(), "no run here");
    RunState& state = *current;
    if (!state.finished && !store.lock_holder()) {  // no live runner: the run lost its runner
        state.status = RunStatus::interrupted;
        for (state::StepState& step : state.steps) {
            if (step.status == StepStatus::running) step.status = StepStatus::interrupted;
        }
    }
    return state;
}

std::optional<RunState> later_run_that_changed_nothing(state::StateStore& store,
                                                       const RunState& current) {
    std::optional<RunState> latest = archived_since_current(store);
    if (!latest || latest->run_id == current.run_id) return std::nullopt;
    if (latest->status != RunStatus::skipped && latest->status != RunStatus::blocked)
        return std::nullopt;
    return latest;
}

bool already_succeeded(const RunState& run, const phase::LoadedPhase& phase, const json& context) {
    // The run's context was recorded masked; so is this one before they are compared.
    context::Secrets secrets(run.secret_keys);
    secrets.learn(context);
    return run.finished && run.status == RunStatus::succeeded &&
           run.phase_sha256 == phase.sha256() && run.started_context == secrets.mask(context);
}

ResumeDecision::Action resume_action(const RecordedRun& recorded, const phase::LoadedPhase& phase,
                                     const json& context) {
    const RunState& run = recorded.state;
    // --resume continues this phase's run; another phase's run is not for this command to
    // continue, nor to replace unasked.
    if (run.unfinished() && of_another_phase(run, phase))
        refuse_unfinished(run, recorded.journal.name(), phase);
    if (run.resumable()) return ResumeDecision::Action::resume;
    if (already_succeeded(run, phase, context)) return ResumeDecision::Action::already_succeeded;
    return ResumeDecision::Action::start;
}

ResumeDecision decide_run_resume(state::StateStore& store, const phase::LoadedPhase& phase,
                                 const json& context) {
    ResumeDecision decision;
    std::optional<RecordedRun> recorded = open_recorded_run_if_any(store);
    if (!recorded) return decision;
    decision.action = resume_action(*recorded, phase, context);
    // A new run: the lock goes, and start_run takes it again.
    if (decision.action != ResumeDecision::Action::start) decision.recorded = std::move(recorded);
    return decision;
}

std::optional<RunOptions::ContextUpdate> context_update(
    const std::vector<std::string>& files, const std::vector<std::string>& assignments) {
    if (files.empty() && assignments.empty()) return std::nullopt;
    RunOptions::ContextUpdate update;
    if (!files.empty()) update.base = context::load_context(files, {});
    update.assignments = assignments;
    return update;
}

std::size_t step_position(const RunState& run, const std::string& ref, const std::string& where) {
    std::vector<std::size_t> matches;
    for (std::size_t i = 0; i < run.steps.size(); ++i) {
        if (run.steps[i].id == ref || std::to_string(run.steps[i].index) == ref)
            matches.push_back(i);
    }
    if (matches.empty())
        throw StateError(where, fmt::format("run {} has no step \"{}\"", run.run_id, ref));
    if (matches.size() > 1) {
        throw StateError(where, fmt::format("\"{}\" names steps {} and {}; give the index", ref,
                                            matches[0] + 1, matches[1] + 1));
    }
    return matches.front();
}

state::StepState confirm_step(state::StateStore& store, const std::string& ref,
                              std::string_view reason) {
    RecordedRun run = open_recorded_run(store, "confirm");
    const std::string& path = run.journal.name();
    const state::StepState& step = run.state.steps[step_position(run.state, ref, path)];
    if (step.status != StepStatus::awaiting_confirmation) {
        throw StateError(
            path, fmt::format("step {} ({}) is {}, not awaiting confirmation", step.index, step.id,
                              state::step_status_name(step.status)));
    }
    json who = who_runs_this();
    if (step.four_eyes && run.state.started_by.is_object() &&
        run.state.started_by.value("user", "") == who["user"]) {
        throw StateError(
            path, fmt::format("step {} ({}) needs four eyes: {} started run {}, so another "
                              "user must confirm it (`deployphase confirm {}` as them)",
                              step.index, step.id, who["user"].get<std::string>(), run.state.run_id,
                              step.id));
    }
    run.journal.append(event::step_confirmed(step.index, std::move(who), reason));
    return run.journal.state().steps[step.index - 1];
}

RunState start_run(const phase::LoadedPhase& phase, const json& context, const RunOptions& options,
                   const InterruptFlag& interrupt) {
    require_environment_fits(context, options.environment, phase.phase);
    std::shared_ptr<state::StateStore> store = store_of(options);
    std::unique_ptr<state::StoreLock> lock = store->lock();
    // An empty current run (a crash before its first record) is used again.
    std::optional<state::Journal> previous = state::Journal::open_run(*store, true);
    bool previous_empty = !previous || previous->size() == 0;
    if (!previous_empty && !options.restart)
        refuse_unfinished(previous->state(), previous->name(), phase);
    context::Secrets secrets(options.secret_keys);
    secrets.learn(context);
    std::string run_id = new_run_id();
    event::RunStart start;
    plan::Decision decision;
    std::string reason;
    {  // the plan of a long phase is large: it is recorded, then let go before the run
        plan::Plan plan = plan::make_plan(phase.phase, phase.logic, context, secrets);
        decision = plan.decision;
        reason = plan.reason;
        // What stopped the phase, in the one line the run ends with.
        if (std::string read = plan::deciding_reads(plan); !read.empty())
            reason += "; it read " + read;
        start.plan = plan_summary(plan);
    }
    start.run_id = run_id;
    start.phase = phase.phase.name;
    start.phase_file = fs::absolute(phase.phase.source_path).string();
    start.phase_sha256 = phase.sha256();
    start.context = context;
    start.secret_keys = options.secret_keys;
    start.started_by = who_runs_this();
    start.deployphase_version = std::string(deployphase_version());
    // As the journal records the context (secrets masked), and as plan --out hashes it.
    start.context_sha256 = sha256_hex(secrets.mask(context).dump());
    start.step_ids.reserve(phase.phase.steps.size());
    for (const phase::Step& step : phase.phase.steps)
        start.step_ids.push_back(step.id);

    // A run that changes nothing is filed straight into the history: the current run, the
    // one deployed, stays what status, report, resume and rollback act on. One that runs
    // steps archives the current run and takes its place.
    auto journal_for_run = [&] {
        if (decision != plan::Decision::run) {
            previous.reset();
            return state::Journal::create_archived_run(*store, run_id);
        }
        if (!previous_empty) {
            std::string old_run = previous->state().run_id;
            previous.reset();
            store->archive_current(old_run);
        }
        return previous ? std::move(*previous) : state::Journal::create_run(*store);
    };
    state::Journal journal = journal_for_run();
    journal.set_observer(options.on_event);
    journal.mask_with(&secrets);
    journal.append(event::run_started(std::move(start)));
    if (decision != plan::Decision::run)
        return record_not_run(journal, phase.phase, decision, reason);

    std::unique_ptr<Scripts> scripts = make_scripts({phase, options, run_id, interrupt, secrets});
    return Driver(phase, options, {journal, *scripts, interrupt}, secrets, context).drive();
}

RunState resume_run(const phase::LoadedPhase& phase, const RunOptions& options,
                    const InterruptFlag& interrupt) {
    return resume_run(open_recorded_run(*store_of(options), "resume"), phase, options, interrupt);
}

namespace {

// Everything resume refuses, checked before anything is recorded, and the context it resumes
// with: a bad --set, a value too long for a step's environment, or a secret not given again
// must stop the resume (and its preview) at once.
json context_to_resume(const RecordedRun& run, const phase::LoadedPhase& phase,
                       const RunOptions& options, context::Secrets& secrets) {
    const RunState& state = run.state;
    if (!state.unfinished()) {
        throw StateError(run.journal.name(),
                         fmt::format("run {} already ended ({}); nothing to resume", state.run_id,
                                     state::run_status_name(state.status)));
    }
    if (state.rollback_begun) {
        throw StateError(run.journal.name(),
                         fmt::format("run {} is part-way through its rollback; finish it with "
                                     "`deployphase rollback`",
                                     state.run_id));
    }
    require_same_phase(phase, state, options.allow_changed);
    json resumed = options.context_update ? updated_context(state, *options.context_update, secrets)
                                          : state.context;
    require_environment_fits(resumed, options.environment, phase.phase);
    require_secrets(resumed, secrets, run.journal, state);
    return resumed;
}

}  // namespace

RunState resume_run(RecordedRun run, const phase::LoadedPhase& phase, const RunOptions& options,
                    const InterruptFlag& interrupt) {
    run.journal.set_observer(options.on_event);
    const RunState& state = run.state;
    context::Secrets secrets(secret_names(state, options.secret_keys));
    run.journal.mask_with(&secrets);
    context_to_resume(run, phase, options, secrets);
    // An accepted change binds the run to the new version: it is not refused again.
    std::optional<std::string> accepted;
    if (state.phase_sha256 != phase.sha256()) accepted = phase.sha256();
    // Whatever a step of a dead runner left running must not meet the rerun of that step.
    std::size_t stopped = stop_leftover_processes(state.run_id);
    run.journal.append(event::run_resumed(stopped, std::move(accepted)));

    std::unique_ptr<Scripts> scripts =
        make_scripts({phase, options, state.run_id, interrupt, secrets});
    ActiveRun active{run.journal, *scripts, interrupt};
    // Without --context, what the journal masked is all there is: secrets come back from what
    // was given again, a plain value that quoted a secret keeps its "***".
    Driver driver(phase, options, active, secrets, secrets.reveal(state.context));
    if (!settle_cut_off_steps(state, options, active, driver, phase)) return driver.fail();
    if (auto context = update_context(run.journal.state(), options, run.journal, phase, secrets)) {
        driver.replace_context(std::move(*context));
    }
    return driver.drive();
}

plan::Plan preview_resume(const RecordedRun& run, const phase::LoadedPhase& phase,
                          const RunOptions& options) {
    const RunState& state = run.state;
    context::Secrets secrets(secret_names(state, options.secret_keys));
    json context = secrets.reveal(context_to_resume(run, phase, options, secrets));
    plan::Plan preview;
    preview.phase = phase.phase.name;
    preview.decision = plan::Decision::run;
    bool stopped = false;  // --interrupted=fail: the run fails at the cut-off step
    for (std::size_t i = 0; i < phase.phase.steps.size(); ++i) {
        StepStatus status = state.steps[i].status;
        plan::StepPlan step = plan::plan_step(phase.phase, phase.logic, context, i, secrets);
        if (stopped) {
            step.will_run = false;
            step.trace.clear();
            step.reason = "the run stops at the step before";
        } else if (status == StepStatus::succeeded || status == StepStatus::satisfied ||
                   status == StepStatus::skipped) {
            step.will_run = false;
            step.trace.clear();
            step.recorded = state::step_status_name(status);
        } else if (cut_off(status) && options.interrupted != RunOptions::Interrupted::rerun) {
            bool as_done = options.interrupted == RunOptions::Interrupted::done;
            step.will_run = false;
            step.trace.clear();
            step.recorded = as_done ? "succeeded (marked done by --interrupted=done)"
                                    : "failed (marked failed by --interrupted=fail)";
            stopped = !as_done;
        }
        preview.steps.push_back(std::move(step));
    }
    auto next = std::find_if(preview.steps.begin(), preview.steps.end(),
                             [](const plan::StepPlan& step) { return step.will_run; });
    preview.reason =
        next == preview.steps.end()
            ? fmt::format("resumes run {}; no step is left to run", state.run_id)
            : fmt::format("resumes run {} at step {} ({})", state.run_id, next->index, next->id);
    plan::account_facts(preview, phase.phase, phase.logic, context, secrets);
    return preview;
}

plan::Plan preview_finished(const RunState& run, const phase::LoadedPhase& phase) {
    plan::Plan preview;
    preview.phase = phase.phase.name;
    preview.decision = plan::Decision::run;
    preview.reason = fmt::format(
        "run {} already succeeded with this phase and context; nothing "
        "to do (`run` without --resume starts a new run)",
        run.run_id);
    context::Secrets secrets(run.secret_keys);
    for (std::size_t i = 0; i < phase.phase.steps.size(); ++i) {
        plan::StepPlan step = plan::plan_step(phase.phase, phase.logic, run.context, i, secrets);
        step.will_run = false;
        step.trace.clear();
        step.recorded = state::step_status_name(run.steps[i].status);
        preview.steps.push_back(std::move(step));
    }
    plan::account_facts(preview, phase.phase, phase.logic, run.context, secrets);
    return preview;
}

}  // namespace deployphase::run
