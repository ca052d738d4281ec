#include "run/driver.hpp"

#include <thread>

#include <deployphase/context/context.hpp>
#include <deployphase/plan/plan.hpp>
#include <deployphase/run/step_environment.hpp>
#include <deployphase/state/events.hpp>

#include "run/identity.hpp"
#include "run/rolling_back.hpp"

namespace deployphase::run {
namespace {

using nlohmann::json;
using state::RunState;
using state::RunStatus;
using state::StepStatus;
namespace event = state::event;

// Waits, but not past an interrupt.
void interruptible_sleep(std::chrono::milliseconds duration, const InterruptFlag& interrupt) {
    auto until = std::chrono::steady_clock::now() + duration;
    while (interrupt.load() == 0 && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

bool succeeded(const ProcessResult& result) {
    return result.ending == ProcessResult::Ending::exited && result.exit_code == 0;
}

}  // namespace

Driver::Driver(const phase::LoadedPhase& phase, const RunOptions& options, ActiveRun run,
               context::Secrets& secrets, json context)
    : m_phase(phase),
      m_options(options),
      m_run(run),
      m_secrets(secrets),
      m_context(std::move(context)) {}

RunState Driver::drive() {
    for (std::size_t index : m_run.journal.state().unfinished_steps()) {
        if (m_run.interrupted()) return finish(RunStatus::interrupted);
        switch (run_step(index - 1)) {
            case Outcome::next:
                continue;
            case Outcome::failed:
                return fail();
            case Outcome::interrupted:
                return finish(RunStatus::interrupted);
            case Outcome::awaiting_confirmation:
                return finish(RunStatus::awaiting_confirmation);
        }
    }
    return finish(RunStatus::succeeded);
}

RunState Driver::fail() {
    if (m_options.rollback_on_failure) {
        return begin_rollback(m_run, m_phase.phase, state::RollbackTrigger::on_failure);
    }
    return finish(RunStatus::failed);
}

void Driver::record_output(const phase::Step& step) {
    std::vector<json> events;
    StepOutput output = parse_step_output(m_run.scripts.read_output());
    // The operator marked the step done: a garbled output is recorded as a problem.
    if (output.unusable) output.problems.push_back(*std::exchange(output.unusable, {}));
    json values = take_output(step, std::move(output), events);
    record_all(std::move(events));
    merge_output(values);
}

void Driver::record_all(std::vector<json> events) {
    if (!events.empty()) m_run.journal.append_all(std::move(events));
}

RunState Driver::finish(RunStatus status) {
    m_run.journal.append(event::run_finished(status));
    return m_run.journal.state();
}

// Adds the output_recorded event for what the step wrote (`out`) to `events` (none when it
// wrote nothing) and returns the values. Secret values are learned first, and the logs masked, so
// that the record, the logs and everything shown later mask them.
json Driver::take_output(const phase::Step& step, StepOutput out, std::vector<json>& events) {
    if (out.values.empty() && out.problems.empty()) return json::object();
    std::size_t known = m_secrets.texts().size();
    m_secrets.learn(out.values);
    if (m_secrets.texts().size() != known) m_run.scripts.mask_logs();
    events.push_back(event::output_recorded(step.index, out.values, std::move(out.problems)));
    return std::move(out.values);
}

// Once the output is recorded: the context takes it, and its file (unmasked) goes.
void Driver::merge_output(const json& values) {
    context::deep_merge(m_context, values);
    m_run.scripts.clear_output();
}

// Records `events`, then the step's end, with one fsync.
Driver::Outcome Driver::step_finished(const phase::Step& step, std::vector<json> events,
                                      StepStatus status, Outcome outcome,
                                      std::optional<std::string_view> reason) {
    events.push_back(event::step_finished(step.index, status, reason));
    record_all(std::move(events));
    // An interrupted step's output may still be marked done on resume.
    if (outcome == Outcome::failed) m_run.scripts.clear_output();
    return outcome;
}

// Every record is durable before the action it announces, and events with no action between
// them share one write and one fsync: a step costs two, like any durable runner.
Driver::Outcome Driver::run_step(std::size_t position) {
    const phase::Step& step = m_phase.phase.steps[position];
    plan::StepPlan intent =
        plan::plan_step(m_phase.phase, m_phase.logic, m_context, position, m_secrets);
    if (!intent.will_run) {
        m_run.journal.append(event::step_skipped(step.index, intent.reason));
        return Outcome::next;
    }
    std::vector<json> ahead;  // recorded together with the next event, before any action
    ahead.push_back(event::step_started(step.index, intent.reason));
    if (!step.run) {
        record_all(std::move(ahead));
        return confirm_manual_step(step);
    }
    if (step.check) {
        if (std::optional<Outcome> ended = run_check(step, ahead)) return *ended;
    }
    return run_attempts(step, ahead);
}

// The step's check= script: exit 0 means its effect is in place already. Returns how the step
// ended when the check settled it; otherwise its record waits in `ahead` for the first attempt.
std::optional<Driver::Outcome> Driver::run_check(const phase::Step& step,
                                                 std::vector<json>& ahead) {
    record_all(std::exchange(ahead, {}));
    ProcessResult check = m_run.scripts.run(step, ScriptKind::check, 1, m_context);
    json checked =
        event::check_finished(step.index, check.exit_code, describe_ending(check, *step.check));
    if (check.ending == ProcessResult::Ending::interrupted)
        return step_finished(step, {checked}, StepStatus::interrupted, Outcome::interrupted);
    if (succeeded(check)) {
        record_all({checked, event::step_satisfied(step.index)});
        return Outcome::next;
    }
    ahead.push_back(std::move(checked));
    return std::nullopt;
}

Driver::Outcome Driver::run_attempts(const phase::Step& step, std::vector<json>& ahead) {
    unsigned attempts = step.retries + 1;
    for (unsigned attempt = 1; attempt <= attempts; ++attempt) {
        if (attempt > 1) {
            interruptible_sleep(step.retry_delay, m_run.interrupt);
            if (m_run.interrupted())
                return step_finished(step, {}, StepStatus::interrupted, Outcome::interrupted);
        }
        ahead.push_back(event::attempt_started(step.index, attempt));
        record_all(std::exchange(ahead, {}));
        ProcessResult result = m_run.scripts.run(step, ScriptKind::step, attempt, m_context);
        std::vector<json> ended = {event::attempt_finished(step.index, result.exit_code,
                                                           result.duration.count(),
                                                           describe_ending(result, *step.run))};
        if (result.ending == ProcessResult::Ending::interrupted)
            return step_finished(step, std::move(ended), StepStatus::interrupted,
                                 Outcome::interrupted);
        if (succeeded(result)) {
            StepOutput output = parse_step_output(m_run.scripts.read_output());
            // Not retried: the same script would write the same bytes.
            if (output.unusable)
                return step_finished(step, std::move(ended), StepStatus::failed, Outcome::failed,
                                     *output.unusable);
            json values = take_output(step, std::move(output), ended);
            Outcome outcome =
                step_finished(step, std::move(ended), StepStatus::succeeded, Outcome::next);
            merge_output(values);
            return outcome;
        }
        if (attempt == attempts)
            return step_finished(step, std::move(ended), StepStatus::failed, Outcome::failed);
        record_all(std::move(ended));  // durable before the retry's delay
    }
    return Outcome::failed;  // not reached: the last attempt returns above
}

Driver::Outcome Driver::confirm_manual_step(const phase::Step& step) {
    // Four eyes: the one who started the run may not confirm it, by --yes or at the prompt.
    bool may_confirm = true;
    if (step.needs_four_eyes()) {
        const json& starter = m_run.journal.state().started_by;
        may_confirm = !starter.is_object() || starter.value("user", "") != who_runs_this()["user"];
    }
    bool confirmed =
        may_confirm && (m_options.confirm_all || (m_options.confirm && m_options.confirm(step)));
    if (confirmed) {
        // --yes, or the answer at the prompt: the runner's user confirmed it.
        m_run.journal.append(event::step_confirmed(step.index, who_runs_this()));
        return Outcome::next;
    }
    // Ctrl-C at the prompt: not an answer, an interrupt, recorded as one.
    if (m_run.interrupted())
        return step_finished(step, {}, StepStatus::interrupted, Outcome::interrupted);
    m_run.journal.append(event::step_awaiting_confirmation(step.index, step.needs_four_eyes()));
    return Outcome::awaiting_confirmation;
}

}  // namespace deployphase::run
