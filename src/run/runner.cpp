#include <deployphase/run/runner.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
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
#include <deployphase/support/crash_point.hpp>
#include <deployphase/support/storage_error.hpp>

#include <deployphase/run/recorded_run.hpp>
#include "run/rolling_back.hpp"
#include "run/script_runner.hpp"
#include "support/file_io.hpp"

namespace deployphase::run {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using state::RunState;
using state::StepStatus;

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

// Goes through the steps that are not done, in order, recording every transition before the
// next thing happens. The journal holds the context with its secrets masked; the driver keeps
// the real one (as given, plus the outputs it records) to evaluate guards and hand to scripts.
class Driver {
  public:
    Driver(const phase::LoadedPhase& phase, const RunOptions& options, state::Journal& journal,
           ScriptRunner& scripts, context::Secrets& secrets, json context)
        : m_phase(phase),
          m_options(options),
          m_journal(journal),
          m_scripts(scripts),
          m_secrets(secrets),
          m_context(std::move(context)) {}

    // resume --context/--set: the context from here on.
    void replace_context(json context) { m_context = std::move(context); }

    RunState drive() {
        for (std::size_t index : m_journal.state().unfinished_steps()) {
            if (m_scripts.interrupted()) return finish("interrupted");
            switch (run_step(index - 1)) {
                case Outcome::next:
                    continue;
                case Outcome::failed:
                    return fail();
                case Outcome::interrupted:
                    return finish("interrupted");
                case Outcome::awaiting_confirmation:
                    return finish("awaiting-confirmation");
            }
        }
        return finish("succeeded");
    }

    // The run stops at a failed step: it fails, or rolls back.
    RunState fail() {
        if (m_options.rollback_on_failure) {
            return begin_rollback(m_journal, m_scripts, m_phase.phase, "on-failure");
        }
        return finish("failed");
    }

    // Records the output a step left in its output file and merges it into the context.
    void record_output(const phase::Step& step) {
        std::vector<json> events;
        json values = take_output(step, events);
        record_all(std::move(events));
        merge_output(values);
    }

  private:
    enum class Outcome { next, failed, interrupted, awaiting_confirmation };

    void record(json event) { m_journal.append(std::move(event)); }
    void record_all(std::vector<json> events) {
        if (!events.empty()) m_journal.append_all(std::move(events));
    }
    RunState finish(std::string_view status) {
        record({{"type", "run_finished"}, {"status", status}});
        return m_journal.state();
    }

    // Adds the output_recorded event for what the step wrote to `events` (none when it wrote
    // nothing) and returns the values. Secret values are learned first, so that the record
    // and everything shown later mask them.
    json take_output(const phase::Step& step, std::vector<json>& events) {
        StepOutput out = parse_step_output(m_scripts.read_output());
        if (out.values.empty() && out.problems.empty()) return json::object();
        m_secrets.learn(out.values);
        events.push_back({{"type", "output_recorded"},
                          {"index", step.index},
                          {"values", out.values},
                          {"problems", out.problems}});
        return std::move(out.values);
    }
    // Once the output is recorded: the context takes it, and its file (unmasked) goes.
    void merge_output(const json& values) {
        context::deep_merge(m_context, values);
        m_scripts.clear_output();
    }

    // Records `events`, then the step's end, with one fsync.
    Outcome step_finished(const phase::Step& step, std::vector<json> events,
                          std::string_view status, Outcome outcome) {
        events.push_back({{"type", "step_finished"}, {"index", step.index}, {"status", status}});
        record_all(std::move(events));
        // An interrupted step's output may still be marked done on resume.
        if (outcome == Outcome::failed) m_scripts.clear_output();
        return outcome;
    }

    // Every record is durable before the action it announces, and events with no action
    // between them share one write and one fsync: a step costs two, like any durable runner.
    Outcome run_step(std::size_t position) {
        const phase::Step& step = m_phase.phase.steps[position];
        plan::StepPlan intent =
            plan::plan_step(m_phase.phase, m_phase.logic, m_context, position, m_secrets);
        if (!intent.will_run) {
            record({{"type", "step_skipped"}, {"index", step.index}, {"reason", intent.reason}});
            return Outcome::next;
        }
        std::vector<json> ahead;  // recorded together with the next event, before any action
        ahead.push_back(
            {{"type", "step_started"}, {"index", step.index}, {"reason", intent.reason}});
        if (!step.run) {
            record_all(std::move(ahead));
            return confirm_manual_step(step);
        }

        if (step.check) {
            record_all(std::exchange(ahead, {}));
            ProcessResult check = m_scripts.run(step, ScriptKind::check, 1, m_context);
            json checked = {{"type", "check_finished"},
                            {"index", step.index},
                            {"exit_code", check.exit_code},
                            {"reason", describe_ending(check, *step.check)}};
            if (check.ending == ProcessResult::Ending::interrupted)
                return step_finished(step, {checked}, "interrupted", Outcome::interrupted);
            if (check.ending == ProcessResult::Ending::exited && check.exit_code == 0) {
                record_all({checked, {{"type", "step_satisfied"}, {"index", step.index}}});
                return Outcome::next;
            }
            ahead.push_back(std::move(checked));
        }
        unsigned attempts = step.retries + 1;
        for (unsigned attempt = 1; attempt <= attempts; ++attempt) {
            if (attempt > 1) {
                interruptible_sleep(step.retry_delay, m_scripts.interrupt());
                if (m_scripts.interrupted())
                    return step_finished(step, {}, "interrupted", Outcome::interrupted);
            }
            ahead.push_back(
                {{"type", "attempt_started"}, {"index", step.index}, {"attempt", attempt}});
            record_all(std::exchange(ahead, {}));
            ProcessResult result = m_scripts.run(step, ScriptKind::step, attempt, m_context);
            std::vector<json> ended = {{{"type", "attempt_finished"},
                                        {"index", step.index},
                                        {"exit_code", result.exit_code},
                                        {"duration_ms", result.duration.count()},
                                        {"reason", describe_ending(result, *step.run)}}};
            if (result.ending == ProcessResult::Ending::interrupted)
                return step_finished(step, std::move(ended), "interrupted", Outcome::interrupted);
            if (result.ending == ProcessResult::Ending::exited && result.exit_code == 0) {
                json values = take_output(step, ended);
                Outcome outcome = step_finished(step, std::move(ended), "succeeded", Outcome::next);
                merge_output(values);
                return outcome;
            }
            if (attempt == attempts)
                return step_finished(step, std::move(ended), "failed", Outcome::failed);
            record_all(std::move(ended));  // durable before the retry's delay
        }
        return Outcome::failed;  // not reached: the last attempt returns above
    }

    Outcome confirm_manual_step(const phase::Step& step) {
        bool confirmed = m_options.confirm_all || (m_options.confirm && m_options.confirm(step));
        if (confirmed) {
            record({{"type", "step_confirmed"}, {"index", step.index}});
            return Outcome::next;
        }
        record({{"type", "step_awaiting_confirmation"}, {"index", step.index}});
        return Outcome::awaiting_confirmation;
    }

    const phase::LoadedPhase& m_phase;
    const RunOptions& m_options;
    state::Journal& m_journal;
    ScriptRunner& m_scripts;
    context::Secrets& m_secrets;
    json m_context;
};

// resume --interrupted=done|fail: the operator's word on steps that were cut off. False when
// the run must stop here (a step marked failed).
bool settle_cut_off_steps(const RunState& state, const RunOptions& options, state::Journal& journal,
                          Driver& driver, const ScriptRunner& scripts,
                          const phase::LoadedPhase& phase) {
    if (options.interrupted == RunOptions::Interrupted::rerun) return true;
    bool as_done = options.interrupted == RunOptions::Interrupted::done;
    for (const state::StepState& step : state.steps) {
        if (!cut_off(step.status)) continue;
        const phase::Step& cut = phase.phase.steps[step.index - 1];
        if (as_done) driver.record_output(cut);
        journal.append({{"type", "step_finished"},
                        {"index", step.index},
                        {"status", as_done ? "succeeded" : "failed"},
                        {"reason", as_done ? "marked done on resume (--interrupted=done)"
                                           : "marked failed on resume (--interrupted=fail)"}});
        if (!as_done) {
            scripts.clear_output();
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
    throw state::StateError(fmt::format(
        "{}: error: run {} recorded the secret{} {} as \"***\"; give {} again with --context "
        "FILE or --set KEY=VALUE to resume",
        journal.name(), state.run_id, missing.size() == 1 ? "" : "s", fmt::join(missing, ", "),
        missing.size() == 1 ? "it" : "them"));
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
    if (!drift.changed_keys.empty()) {
        journal.append({{"type", "context_changed"},
                        {"context", context},
                        {"changed_keys", drift.changed_keys}});
    }
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

}  // namespace

std::shared_ptr<state::StateStore> store_of(const RunOptions& options) {
    if (options.store) return options.store;
    return std::make_shared<state::DirectoryStore>(options.state_dir);
}

std::optional<RunState> read_run(state::StateStore& store) {
    std::optional<state::Journal> journal = state::Journal::open_run(store, false);
    if (!journal || journal->size() == 0) return std::nullopt;
    return journal->state();
}

bool already_succeeded(const RunState& run, const phase::LoadedPhase& phase, const json& context) {
    // The run's context was recorded masked; so is this one before they are compared.
    context::Secrets secrets(run.secret_keys);
    secrets.learn(context);
    return run.finished && run.status == state::RunStatus::succeeded &&
           run.phase_sha256 == phase.sha256() && run.started_context == secrets.mask(context);
}

state::StepState confirm_step(state::StateStore& store, const std::string& ref) {
    RecordedRun run = open_recorded_run(store, "confirm");
    const std::string& path = run.journal.name();
    std::vector<const state::StepState*> matches;
    for (const state::StepState& step : run.state.steps) {
        if (step.id == ref || std::to_string(step.index) == ref) matches.push_back(&step);
    }
    if (matches.empty()) {
        throw state::StateError(
            fmt::format("{}: error: run {} has no step \"{}\"", path, run.state.run_id, ref));
    }
    if (matches.size() > 1) {
        throw state::StateError(
            fmt::format("{}: error: \"{}\" names steps {} and {}; give the index", path, ref,
                        matches[0]->index, matches[1]->index));
    }
    const state::StepState& step = *matches.front();
    if (step.status != StepStatus::awaiting_confirmation) {
        throw state::StateError(
            fmt::format("{}: error: step {} ({}) is {}, not awaiting confirmation", path,
                        step.index, step.id, state::step_status_name(step.status)));
    }
    run.journal.append({{"type", "step_confirmed"}, {"index", step.index}});
    return run.journal.state().steps[step.index - 1];
}

RunState start_run(const phase::LoadedPhase& phase, const json& context, const RunOptions& options,
                   const InterruptFlag& interrupt) {
    std::shared_ptr<state::StateStore> store = store_of(options);
    std::unique_ptr<state::StoreLock> lock = store->lock();
    // An empty current run (a crash before its first record) is used again.
    std::optional<state::Journal> previous = state::Journal::open_run(*store, true);
    if (previous && previous->size() != 0) {
        const RunState& old = previous->state();
        if (old.unfinished() && !options.restart) {
            throw UnfinishedRun(fmt::format(
                "{}: error: run {} {}; {}, or abandon it with --restart", previous->name(),
                old.run_id,
                old.rollback_begun ? "is part-way through its rollback" : "has not finished",
                old.rollback_begun ? "finish the rollback with `deployphase rollback`"
                                   : "continue it with --resume"));
        }
        std::string old_run = old.run_id;
        previous.reset();
        store->archive_current(old_run);
    }
    state::Journal journal = previous ? std::move(*previous) : state::Journal::create_run(*store);
    journal.set_observer(options.on_event);
    context::Secrets secrets(options.secret_keys);
    secrets.learn(context);
    journal.mask_with(&secrets);
    std::string run_id = new_run_id();
    plan::Decision decision;
    std::string reason;
    {  // the plan of a long phase is large: it is recorded, then let go before the run
        json summary;
        {
            plan::Plan plan = plan::make_plan(phase.phase, phase.logic, context, secrets);
            decision = plan.decision;
            reason = plan.reason;
            summary = plan_summary(plan);
        }
        json steps = json::array();
        for (const phase::Step& step : phase.phase.steps)
            steps.push_back({{"id", step.id}});
        journal.append({{"type", "run_started"},
                        {"run_id", run_id},
                        {"phase", phase.phase.name},
                        {"phase_file", fs::absolute(phase.phase.source_path).string()},
                        {"phase_sha256", phase.sha256()},
                        {"context", context},
                        {"secret_keys", options.secret_keys},
                        {"steps", std::move(steps)},
                        {"plan", std::move(summary)}});
    }

    if (decision != plan::Decision::run) {
        // Nothing happens between these records: one write and one fsync for all of them.
        bool skip = decision == plan::Decision::skip;
        std::vector<json> events;
        for (const phase::Step& step : phase.phase.steps) {
            events.push_back({{"type", "step_skipped"},
                              {"index", step.index},
                              {"reason", skip ? "the phase is skipped" : "the phase is blocked"}});
        }
        events.push_back({{"type", "run_finished"},
                          {"status", skip ? "skipped" : "blocked"},
                          {"reason", reason}});
        journal.append_all(std::move(events));
        return journal.state();
    }
    ScriptRunner scripts(phase, options, run_id, interrupt, secrets);
    return Driver(phase, options, journal, scripts, secrets, context).drive();
}

RunState resume_run(const phase::LoadedPhase& phase, const RunOptions& options,
                    const InterruptFlag& interrupt) {
    return resume_run(open_recorded_run(*store_of(options), "resume"), phase, options, interrupt);
}

RunState resume_run(RecordedRun run, const phase::LoadedPhase& phase, const RunOptions& options,
                    const InterruptFlag& interrupt) {
    run.journal.set_observer(options.on_event);
    const RunState& state = run.state;
    if (!state.unfinished()) {
        throw state::StateError(
            fmt::format("{}: error: run {} already ended ({}); nothing to resume",
                        run.journal.name(), state.run_id, state::run_status_name(state.status)));
    }
    if (state.rollback_begun) {
        throw state::StateError(
            fmt::format("{}: error: run {} is part-way through its rollback; finish it with "
                        "`deployphase rollback`",
                        run.journal.name(), state.run_id));
    }
    require_same_phase(phase, state, options.allow_changed);
    context::Secrets secrets(secret_names(state, options));
    run.journal.mask_with(&secrets);
    // A bad --set, or a secret not given again, must stop the resume before anything is
    // recorded.
    require_secrets(options.context_update
                        ? updated_context(state, *options.context_update, secrets)
                        : state.context,
                    secrets, run.journal, state);
    // Whatever a step of a dead runner left running must not meet the rerun of that step.
    std::size_t stopped = stop_leftover_processes(state.run_id);
    run.journal.append({{"type", "run_resumed"}, {"stopped_leftover_processes", stopped}});

    ScriptRunner scripts(phase, options, state.run_id, interrupt, secrets);
    // Without --context, what the journal masked is all there is: secrets come back from what
    // was given again, a plain value that quoted a secret keeps its "***".
    Driver driver(phase, options, run.journal, scripts, secrets, secrets.reveal(state.context));
    if (!settle_cut_off_steps(state, options, run.journal, driver, scripts, phase))
        return driver.fail();
    if (auto context = update_context(run.journal.state(), options, run.journal, phase, secrets)) {
        driver.replace_context(std::move(*context));
    }
    return driver.drive();
}

}  // namespace deployphase::run
