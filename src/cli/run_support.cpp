#include "cli/run_support.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <deployphase/context/context.hpp>
#include <deployphase/report/report.hpp>
#include <deployphase/state/store.hpp>
#include <deployphase/support/atomic_file.hpp>

#include "cli/exit_codes.hpp"
#include "cli/progress.hpp"
#include "cli/run_reports.hpp"

extern char** environ;

namespace deployphase::cli {
namespace {

run::InterruptFlag interrupt_flag{0};

extern "C" void on_interrupt(int signal) {
    interrupt_flag.store(signal);
}

// Asks on the terminal whether a manual step is done; only when stdin and stderr are terminals.
std::function<bool(const phase::Step&)> terminal_prompt() {
    if (!can_ask_operator()) return {};
    return [](const phase::Step& step) {
        return ask_operator(fmt::format("Step {} \"{}\" is manual{}. Is it done?", step.index,
                                        step.id,
                                        step.description.empty() ? "" : ": " + step.description));
    };
}

}  // namespace

bool can_ask_operator() {
    return ::isatty(0) == 1 && ::isatty(2) == 1;
}

bool ask_operator(const std::string& question) {
    fmt::print(stderr, "{} [y/N] ", question);
    std::fflush(stderr);
    std::string answer;
    if (!std::getline(std::cin, answer)) return false;
    return answer == "y" || answer == "Y" || answer == "yes";
}

void add_state_flags(CLI::App& command, StateFlags& flags) {
    command.add_option("--state-dir", flags.dir, "Where the run's journal, logs and lock live")
        ->capture_default_str();
    command
        .add_option("--state-url", flags.url,
                    "Record runs in PostgreSQL instead (a libpq URL or connection string; PG* "
                    "variables fill in the rest); logs and outputs stay in --state-dir")
        ->envname("DEPLOYPHASE_STATE_URL");
    command
        .add_option("--state-key", flags.key,
                    "The deployment slot in the shared store, e.g. payments/prod: runners "
                    "naming the same key share one run history and one lock")
        ->envname("DEPLOYPHASE_STATE_KEY");
    command
        .add_option("--state-schema", flags.schema,
                    "The PostgreSQL schema holding deployphase's tables (default: deployphase)")
        ->envname("DEPLOYPHASE_STATE_SCHEMA");
}

std::shared_ptr<state::StateStore> open_store(const StateFlags& flags) {
    state::StoreOptions options;
    options.state_dir = flags.dir;
    options.url = flags.url;
    options.key = flags.key;
    options.schema = flags.schema;
    return state::make_store(options);
}

void add_script_flags(CLI::App& command, RunFlags& flags) {
    add_state_flags(command, flags.state);
    command.add_option("--workdir", flags.workdir,
                       "Directory steps run in (default: the phase file's directory)");
    command
        .add_option("--kill-after", flags.kill_after,
                    "Grace period from SIGTERM to SIGKILL of a step's processes")
        ->capture_default_str();
    command.add_flag("--allow-changed", flags.allow_changed,
                     "Continue even though the phase file changed since the run began");
}

void add_run_flags(CLI::App& command, RunFlags& flags) {
    add_script_flags(command, flags);
    command.add_flag("--yes", flags.yes, "Confirm every manual step");
    command
        .add_option("--on-failure", flags.on_failure,
                    "When a step fails: stop, or roll back the completed steps")
        ->check(CLI::IsMember({"stop", "rollback"}))
        ->capture_default_str();
}

CLI::Option* add_interrupted_flag(CLI::App& command, RunFlags& flags) {
    return command
        .add_option("--interrupted", flags.interrupted,
                    "A step cut off by an interrupt or a dead runner: run it again, take it "
                    "as done, or as failed")
        ->check(CLI::IsMember({"rerun", "done", "fail"}))
        ->capture_default_str();
}

run::RunOptions run_options(const RunFlags& flags) {
    run::RunOptions options;
    options.state_dir = flags.state.dir;
    options.store = open_store(flags.state);
    options.workdir = flags.workdir;
    auto grace = phase::parse_duration(flags.kill_after);
    if (!grace) {
        throw InputError(Diagnostic::error(
            {"--kill-after", 0, 0},
            fmt::format("invalid duration \"{}\"; use a whole number with ms, s, m or h",
                        flags.kill_after)));
    }
    options.kill_after = *grace;
    options.echo_fd = flags.verbose ? 1 : -1;
    options.confirm_all = flags.yes;
    options.allow_changed = flags.allow_changed;
    options.rollback_on_failure = flags.on_failure == "rollback";
    options.interrupted = flags.interrupted == "done"   ? run::RunOptions::Interrupted::done
                          : flags.interrupted == "fail" ? run::RunOptions::Interrupted::fail
                                                        : run::RunOptions::Interrupted::rerun;
    options.confirm = terminal_prompt();
    for (char** entry = environ; *entry; ++entry)
        options.environment.emplace_back(*entry);
    return options;
}

void add_report_flags(CLI::App& command, RunFlags& flags) {
    command
        .add_option("-o,--output", flags.output,
                    "Final report: the step table (text) or the status JSON on stdout (json; "
                    "progress then goes to stderr)")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    command.add_option("--events", flags.events_file,
                       "Write each event to FILE as a JSON line, as it is recorded");
    command.add_option("--junit", flags.junit_file,
                       "Write a JUnit XML report to FILE: a testcase per step, with its log");
    auto quiet =
        command.add_flag("-q,--quiet", flags.quiet, "Print only failures and the final report");
    command
        .add_flag("-v,--verbose", flags.verbose,
                  "Also stream each script's output, and print starts, attempts and checks")
        ->excludes(quiet);
}

int run_with_reports(const phase::LoadedPhase& phase, run::RunOptions options,
                     const RunFlags& flags, ColorMode color, const RunBody& body, bool rollback) {
    bool json_output = flags.output == "json";
    const char* github_env = std::getenv("GITHUB_ACTIONS");
    bool github = github_env && std::string_view(github_env) == "true";
    ProgressOptions progress_options;
    progress_options.verbosity = flags.quiet     ? Verbosity::quiet
                                 : flags.verbose ? Verbosity::verbose
                                                 : Verbosity::normal;
    progress_options.github = github;
    progress_options.state_dir = options.state_dir;
    progress_options.stream = json_output ? stderr : stdout;
    progress_options.color = color;
    Progress progress(phase.phase, progress_options);
    std::optional<EventStream> events;
    if (!flags.events_file.empty()) events.emplace(flags.events_file);
    spdlog::info("state directory {}", options.state_dir.string());
    options.on_event = [&](const nlohmann::json& event) {
        // Formatted only when it is logged: a dump per event is a cost every run would pay.
        if (spdlog::should_log(spdlog::level::debug)) spdlog::debug("recorded {}", event.dump());
        progress(event);
        if (events) (*events)(event);
    };
    options.on_wait = [&] { progress.tick(); };
    // Context drift is progress too: with --output json it must not land on stdout.
    options.report_drift = [&](const plan::ContextDrift& drift) {
        fmt::print(progress_options.stream, "{}", render_context_drift(drift));
        std::fflush(progress_options.stream);
    };
    // Script output (with --verbose) goes where progress goes, so stdout stays pure JSON.
    if (json_output && options.echo_fd == 1) options.echo_fd = 2;

    const run::InterruptFlag& interrupt = install_interrupt_handlers();
    state::RunState result = body(options, interrupt);

    if (json_output) {
        nlohmann::ordered_json out = state::status_json(result);
        out["finished"] = result.finished;
        fmt::print("{}\n", out.dump(2));
    } else if (flags.quiet) {
        fmt::print("Run {} of \"{}\": {}{}\n", result.run_id, result.phase,
                   state::run_status_name(result.status),
                   result.reason.empty() ? "" : " (" + result.reason + ")");
    } else {
        fmt::print("{}", render_run_state(result));
    }
    if (!flags.junit_file.empty()) {
        write_file_atomically(flags.junit_file, junit_xml(phase.phase, result, options.state_dir));
    }
    if (const char* summary = std::getenv("GITHUB_STEP_SUMMARY"); github && summary && *summary) {
        if (std::FILE* file = std::fopen(summary, "a")) {
            std::string text = report::report_markdown(phase.phase, phase.sha256(), result) + "\n";
            std::fwrite(text.data(), 1, text.size(), file);
            std::fclose(file);
        } else {
            fmt::print(stderr, "{}: warning: cannot append the job summary\n", summary);
        }
    }
    if (rollback && result.status == state::RunStatus::rolled_back) return exit_code::ok;
    return exit_code_for(result, interrupt.load());
}

std::optional<run::RunOptions::ContextUpdate> context_update(
    const std::vector<std::string>& files, const std::vector<std::string>& assignments) {
    if (files.empty() && assignments.empty()) return std::nullopt;
    run::RunOptions::ContextUpdate update;
    if (!files.empty()) update.base = context::load_context(files, {});
    update.assignments = assignments;
    return update;
}

std::string render_context_drift(const plan::ContextDrift& drift) {
    if (drift.changed_keys.empty()) return "Context unchanged.\n";
    std::string out = fmt::format("Context changed: {}\n", fmt::join(drift.changed_keys, ", "));
    if (drift.guard_changes.empty()) return out + "  no pending step's guard decision changed\n";
    for (const plan::GuardChange& change : drift.guard_changes) {
        out += fmt::format("  step {} {}: {} before, {} now ({})\n", change.after.index,
                           change.after.id, change.before.will_run ? "runs" : "skipped",
                           change.after.will_run ? "runs" : "skipped", change.after.reason);
    }
    return out;
}

const run::InterruptFlag& install_interrupt_handlers() {
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    return interrupt_flag;
}

int exit_code_for(const state::RunState& state, int interrupt_signal) {
    switch (state.status) {
        case state::RunStatus::succeeded:
        case state::RunStatus::skipped:
            return exit_code::ok;
        case state::RunStatus::failed:
        case state::RunStatus::rolled_back:
            return exit_code::step_failed;
        case state::RunStatus::blocked:
            return exit_code::blocked;
        case state::RunStatus::awaiting_confirmation:
            return exit_code::awaiting_confirmation;
        case state::RunStatus::interrupted:
            return 128 + (interrupt_signal != 0 ? interrupt_signal : SIGINT);
        case state::RunStatus::running:
            break;
    }
    return exit_code::step_failed;
}

state::RunState last_run(state::StateStore& store) {
    std::optional<state::RunState> current = run::read_run(store);
    if (!current) throw state::StateError(fmt::format("{}: error: no run here", store.name()));
    state::RunState& state = *current;
    if (!state.finished) {
        if (!store.lock_holder()) {  // no live runner: the run lost its runner
            state.status = state::RunStatus::interrupted;
            for (auto& step : state.steps) {
                if (step.status == state::StepStatus::running) {
                    step.status = state::StepStatus::interrupted;
                }
            }
        }
    }
    return state;
}

std::string render_run_state(const state::RunState& state) {
    std::string out = fmt::format("Run {} of \"{}\": {}{}\n", state.run_id, state.phase,
                                  state::run_status_name(state.status),
                                  state.reason.empty() ? "" : " (" + state.reason + ")");
    std::size_t width = 0;
    for (const auto& step : state.steps)
        width = std::max(width, step.id.size());
    for (const auto& step : state.steps) {
        std::string detail;
        if (step.attempts > 0) {
            detail =
                fmt::format("{} attempt{}  {:.1f}s", step.attempts, step.attempts == 1 ? "" : "s",
                            static_cast<double>(step.duration_ms) / 1000.0);
        }
        if (!step.reason.empty()) detail += (detail.empty() ? "" : "  ") + step.reason;
        std::string line =
            fmt::format("  {}/{}  {:<{}}  {:<21}  {}", step.index, state.steps.size(), step.id,
                        width, state::step_status_name(step.status), detail);
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out += line + "\n";
    }
    return out;
}

int guarded(const std::function<int()>& body) {
    try {
        return body();
    } catch (const state::LockHeld& e) {
        spdlog::debug("lock held: {}", e.what());
        fmt::print(stderr, "{}\n", e.what());
        return exit_code::locked;
    } catch (const state::StateError& e) {
        spdlog::debug("state error: {}", e.what());
        fmt::print(stderr, "{}\n", e.what());
        return exit_code::input_error;
    }
}

}  // namespace deployphase::cli
