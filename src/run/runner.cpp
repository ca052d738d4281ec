#include <deployphase/run/runner.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <thread>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <deployphase/context/context.hpp>
#include <deployphase/plan/plan.hpp>
#include <deployphase/run/leftovers.hpp>
#include <deployphase/run/step_environment.hpp>
#include <deployphase/state/lock.hpp>
#include <deployphase/support/atomic_file.hpp>

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

std::string attempt_reason(const ProcessResult& result, const phase::Script& script) {
    switch (result.ending) {
        case ProcessResult::Ending::exited:
            return result.exit_code == 0 ? "" : fmt::format("exited with {}", result.exit_code);
        case ProcessResult::Ending::signaled:
            return fmt::format("killed by signal {}", result.signal);
        case ProcessResult::Ending::timed_out:
            return fmt::format("timed out after {}", phase::format_duration(*script.timeout));
        case ProcessResult::Ending::interrupted:
            return "interrupted";
    }
    return "";
}

// What a step wrote to its output file; none when it wrote nothing.
std::string read_output(const fs::path& path) {
    std::string text;
    auto failure = read_file(path, text);
    if (failure && failure->error != ENOENT) {
        throw state::StateError(fmt::format("{}: error: cannot read the step's output: {}",
                                            path.string(), std::strerror(failure->error)));
    }
    return text;
}

// Waits, but not past an interrupt.
void interruptible_sleep(std::chrono::milliseconds duration, const InterruptFlag& interrupt) {
    auto until = std::chrono::steady_clock::now() + duration;
    while (interrupt.load() == 0 && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

class Driver {
  public:
    Driver(const phase::LoadedPhase& phase, const RunOptions& options, state::Journal& journal,
           const InterruptFlag& interrupt)
        : m_phase(phase),
          m_options(options),
          m_journal(journal),
          m_interrupt(interrupt),
          m_workdir(options.workdir.empty() ? fs::absolute(phase.phase.source_path).parent_path()
                                            : options.workdir) {
        for (const char* dir : {"logs", "outputs"})
            fs::create_directories(options.state_dir / dir);
    }

    // Runs every step that is not finished, in order, until the run ends or must stop.
    RunState drive() {
        RunState state = state::fold(m_journal.records());
        for (const state::StepState& step : state.steps) {
            if (step.status == StepStatus::succeeded || step.status == StepStatus::satisfied ||
                step.status == StepStatus::skipped || step.status == StepStatus::rolled_back) {
                continue;
            }
            if (!run_step(step.index - 1, state)) return state::fold(m_journal.records());
        }
        m_journal.append({{"type", "run_finished"}, {"status", "succeeded"}});
        return state::fold(m_journal.records());
    }

  private:
    void record(json event) { m_journal.append(std::move(event)); }
    void finish_run(std::string_view status) {
        record({{"type", "run_finished"}, {"status", status}});
    }

    // False when the run must stop here.
    bool run_step(std::size_t position, RunState& state) {
        const phase::Step& step = m_phase.phase.steps[position];
        json index = step.index;
        plan::StepPlan intent =
            plan::plan_step(m_phase.phase, m_phase.logic, state.context, position);
        if (!intent.will_run) {
            record({{"type", "step_skipped"}, {"index", index}, {"reason", intent.reason}});
            return true;
        }
        if (!step.run) return confirm_manual_step(step);

        write_context(state.context);
        if (step.check && check_passes(step, state.context)) {
            record({{"type", "step_satisfied"}, {"index", index}});
            return true;
        }
        unsigned attempts = step.retries + 1;
        for (unsigned attempt = 1; attempt <= attempts; ++attempt) {
            fs::path output = m_options.state_dir / "outputs" / fmt::format("{}.env", step.index);
            fs::remove(output);
            record({{"type", "attempt_started"}, {"index", index}, {"attempt", attempt}});
            ProcessResult result =
                run_script(step, *step.run, attempt, "log", output, state.context);
            std::string reason = attempt_reason(result, *step.run);
            record({{"type", "attempt_finished"},
                    {"index", index},
                    {"exit_code", result.exit_code},
                    {"duration_ms", result.duration.count()},
                    {"reason", reason}});
            if (result.ending == ProcessResult::Ending::interrupted) {
                record({{"type", "step_finished"}, {"index", index}, {"status", "interrupted"}});
                finish_run("interrupted");
                return false;
            }
            if (result.ending == ProcessResult::Ending::exited && result.exit_code == 0) {
                StepOutput out = parse_step_output(read_output(output));
                if (!out.values.empty() || !out.problems.empty()) {
                    record({{"type", "output_recorded"},
                            {"index", index},
                            {"values", out.values},
                            {"problems", out.problems}});
                    context::deep_merge(state.context, out.values);
                }
                record({{"type", "step_finished"}, {"index", index}, {"status", "succeeded"}});
                return true;
            }
            if (attempt < attempts) interruptible_sleep(step.retry_delay, m_interrupt);
        }
        record({{"type", "step_finished"}, {"index", index}, {"status", "failed"}});
        finish_run("failed");
        return false;
    }

    bool confirm_manual_step(const phase::Step& step) {
        bool confirmed = m_options.confirm_all || (m_options.confirm && m_options.confirm(step));
        if (confirmed) {
            record({{"type", "step_confirmed"}, {"index", step.index}});
            return true;
        }
        record({{"type", "step_awaiting_confirmation"}, {"index", step.index}});
        finish_run("awaiting-confirmation");
        return false;
    }

    bool check_passes(const phase::Step& step, const json& context) {
        fs::path output = m_options.state_dir / "outputs" / fmt::format("{}.check.env", step.index);
        ProcessResult result = run_script(step, *step.check, 1, "check.log", output, context);
        record({{"type", "check_finished"},
                {"index", step.index},
                {"exit_code", result.exit_code},
                {"reason", attempt_reason(result, *step.check)}});
        return result.ending == ProcessResult::Ending::exited && result.exit_code == 0;
    }

    ProcessResult run_script(const phase::Step& step, const phase::Script& script, unsigned attempt,
                             std::string_view log_suffix, const fs::path& output,
                             const json& context) {
        ProcessSpec spec;
        spec.argv = {script.shell, "-c", script.source};
        spec.environment = step_environment(
            m_options.environment, {run_id(), m_phase.phase.name, step.index, step.id, attempt},
            context, fs::absolute(m_options.state_dir / "context.json"), fs::absolute(output));
        spec.workdir = m_workdir;
        spec.log_file =
            m_options.state_dir / "logs" / fmt::format("{}-{}.{}", step.index, step.id, log_suffix);
        spec.echo = m_options.echo;
        spec.timeout = script.timeout;
        spec.kill_after = m_options.kill_after;
        return run_process(spec, m_interrupt);
    }

    std::string run_id() const { return m_journal.records().front().value("run_id", ""); }

    // The merged context as a file for scripts; rewritten only when it changed.
    void write_context(const json& context) {
        if (context == m_context_written && m_context_file_exists) return;
        write_file_atomically((m_options.state_dir / "context.json").string(),
                              context.dump(2) + "\n");
        m_context_written = context;
        m_context_file_exists = true;
    }

    const phase::LoadedPhase& m_phase;
    const RunOptions& m_options;
    state::Journal& m_journal;
    const InterruptFlag& m_interrupt;
    fs::path m_workdir;
    json m_context_written;
    bool m_context_file_exists = false;
};

fs::path journal_path(const RunOptions& options) {
    return options.state_dir / "journal";
}

}  // namespace

std::optional<RunState> read_run(const fs::path& state_dir) {
    fs::path path = state_dir / "journal";
    if (!fs::exists(path)) return std::nullopt;
    state::Journal journal = state::Journal::open(path, false);
    if (journal.records().empty()) return std::nullopt;
    return state::fold(journal.records());
}

state::StepState confirm_step(const fs::path& state_dir, const std::string& ref) {
    state::StateLock lock = state::StateLock::acquire(state_dir);
    fs::path path = state_dir / "journal";
    if (!fs::exists(path)) {
        throw state::StateError(fmt::format("{}: error: no run here", state_dir.string()));
    }
    state::Journal journal = state::Journal::open(path, true);
    RunState state = state::fold(journal.records());
    std::vector<const state::StepState*> matches;
    for (const state::StepState& step : state.steps) {
        if (step.id == ref || std::to_string(step.index) == ref) matches.push_back(&step);
    }
    if (matches.empty()) {
        throw state::StateError(
            fmt::format("{}: error: run {} has no step \"{}\"", path.string(), state.run_id, ref));
    }
    if (matches.size() > 1) {
        throw state::StateError(
            fmt::format("{}: error: \"{}\" names steps {} and {}; give the index", path.string(),
                        ref, matches[0]->index, matches[1]->index));
    }
    const state::StepState& step = *matches.front();
    if (step.status != StepStatus::awaiting_confirmation) {
        throw state::StateError(
            fmt::format("{}: error: step {} ({}) is {}, not awaiting "
                        "confirmation",
                        path.string(), step.index, step.id, state::step_status_name(step.status)));
    }
    journal.append({{"type", "step_confirmed"}, {"index", step.index}});
    return state::fold(journal.records()).steps[step.index - 1];
}

RunState start_run(const phase::LoadedPhase& phase, const json& context, const RunOptions& options,
                   const InterruptFlag& interrupt) {
    state::StateLock lock = state::StateLock::acquire(options.state_dir);
    fs::path path = journal_path(options);
    if (fs::exists(path)) {
        state::Journal previous = state::Journal::open(path, true);
        if (!previous.records().empty()) {
            RunState old = state::fold(previous.records());
            if (old.resumable() && !options.restart) {
                throw UnfinishedRun(
                    fmt::format("{}: error: run {} has not finished; continue it "
                                "with --resume, or abandon it with --restart",
                                path.string(), old.run_id));
            }
            fs::create_directories(options.state_dir / "history");
            fs::rename(path, options.state_dir / "history" / (old.run_id + ".journal"));
        } else {
            fs::remove(path);
        }
    }
    state::Journal journal = state::Journal::open(path, true);
    std::string run_id = new_run_id();
    json steps = json::array();
    for (const phase::Step& step : phase.phase.steps)
        steps.push_back({{"id", step.id}});
    journal.append({{"type", "run_started"},
                    {"run_id", run_id},
                    {"phase", phase.phase.name},
                    {"phase_file", fs::absolute(phase.phase.source_path).string()},
                    {"phase_sha256", phase.sha256},
                    {"context", context},
                    {"steps", steps}});

    plan::Plan decision = plan::make_plan(phase.phase, phase.logic, context);
    if (decision.decision != plan::Decision::run) {
        for (const phase::Step& step : phase.phase.steps) {
            journal.append(
                {{"type", "step_skipped"},
                 {"index", step.index},
                 {"reason", decision.decision == plan::Decision::skip ? "the phase is skipped"
                                                                      : "the phase is blocked"}});
        }
        journal.append(
            {{"type", "run_finished"},
             {"status", decision.decision == plan::Decision::skip ? "skipped" : "blocked"},
             {"reason", decision.reason}});
        return state::fold(journal.records());
    }
    return Driver(phase, options, journal, interrupt).drive();
}

RunState resume_run(const phase::LoadedPhase& phase, const RunOptions& options,
                    const InterruptFlag& interrupt) {
    state::StateLock lock = state::StateLock::acquire(options.state_dir);
    fs::path path = journal_path(options);
    if (!fs::exists(path)) {
        throw state::StateError(
            fmt::format("{}: error: no run to resume", options.state_dir.string()));
    }
    state::Journal journal = state::Journal::open(path, true);
    RunState state = state::fold(journal.records());
    if (!state.resumable()) {
        throw state::StateError(
            fmt::format("{}: error: run {} already ended ({}); nothing to resume", path.string(),
                        state.run_id, state::run_status_name(state.status)));
    }
    if (state.phase_sha256 != phase.sha256 && !options.allow_changed) {
        throw state::StateError(fmt::format(
            "{}: error: the phase file changed since run {} began; resume with --allow-changed "
            "to continue with the new version",
            phase.phase.source_path, state.run_id));
    }
    // Whatever a step of a dead runner left running must not meet the rerun of that step.
    std::size_t stopped = stop_leftover_processes(state.run_id);
    journal.append({{"type", "run_resumed"}, {"stopped_leftover_processes", stopped}});
    return Driver(phase, options, journal, interrupt).drive();
}

}  // namespace deployphase::run
