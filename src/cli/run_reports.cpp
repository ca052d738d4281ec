#include "run_reports.hpp"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include <deployphase/report/junit.hpp>
#include <deployphase/report/report.hpp>
#include <deployphase/report/run_text.hpp>
#include <deployphase/support/atomic_file.hpp>

#include "event_stream.hpp"
#include "exit_codes.hpp"
#include "logging.hpp"
#include "next_steps.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "session.hpp"

namespace deployphase::cli {
namespace {

bool on_github_actions() {
    const char* github = std::getenv("GITHUB_ACTIONS");
    return github && std::string_view(github) == "true";
}

// The run's report, appended to the GitHub job summary.
void append_job_summary(const phase::LoadedPhase& phase, const state::RunState& run) {
    const char* summary = std::getenv("GITHUB_STEP_SUMMARY");
    if (!summary || !*summary) return;
    std::FILE* file = std::fopen(summary, "a");
    if (!file) {
        fmt::print(stderr, "{}: warning: cannot append the job summary\n", summary);
        return;
    }
    std::string text = report::report_markdown(phase.phase, phase.sha256(), run) + "\n";
    std::fwrite(text.data(), 1, text.size(), file);
    std::fclose(file);
}

}  // namespace

std::FILE* progress_stream(const ReportFlags& flags) {
    return flags.output == "json" ? stderr : stdout;
}

int run_with_reports(const phase::LoadedPhase& phase, run::RunOptions options,
                     const RunFlags& run_flags, ColorMode color, const RunBody& body,
                     bool rollback) {
    const ReportFlags& flags = run_flags.report;
    bool json_output = flags.output == "json";
    bool github = on_github_actions();
    ProgressOptions progress_options;
    progress_options.verbosity = flags.quiet     ? Verbosity::quiet
                                 : flags.verbose ? Verbosity::verbose
                                                 : Verbosity::normal;
    progress_options.github = github;
    progress_options.state_dir = options.state_dir;
    progress_options.stream = progress_stream(flags);
    progress_options.color = color;
    Progress progress(phase.phase, progress_options);
    // Reports that could not be written are found out now, not after the deployment.
    if (!flags.junit_file.empty()) require_writable_output(flags.junit_file, "--junit");
    if (!flags.events_file.empty()) require_writable_output(flags.events_file, "--events");
    std::optional<EventStream> events;
    if (!flags.events_file.empty()) events.emplace(flags.events_file);
    log(LogLevel::info, fmt::format("state directory {}", options.state_dir.string()));
    options.on_event = [&](const nlohmann::json& event) {
        // Formatted only when it is logged: a dump per event is a cost every run would pay.
        if (logs(LogLevel::debug)) log(LogLevel::debug, "recorded " + event.dump());
        progress(event);
        if (events) (*events)(event);
    };
    options.on_wait = [&] { progress.tick(); };
    options.on_stop = [&, kill_after = options.kill_after](const phase::Step& step, bool killing) {
        progress.stopping(step, killing, kill_after);
    };
    // Context drift is progress too: with --output json it must not land on stdout.
    options.report_drift = [&](const plan::ContextDrift& drift) {
        fmt::print(progress_options.stream, "{}", report::render_context_drift(drift));
        std::fflush(progress_options.stream);
    };
    // Script output (with --verbose) goes where progress goes, so stdout stays pure JSON.
    if (json_output && options.echo_fd == 1) options.echo_fd = 2;

    const run::InterruptFlag& interrupt = install_interrupt_handlers();
    state::RunState result = body(options, interrupt);

    if (json_output) {
        fmt::print("{}\n", report::status_document(result).dump(2));
    } else if (flags.quiet) {
        fmt::print("{}", report::render_run_line(result));
    } else {
        fmt::print("{}", report::render_run_state(result));
    }
    bool changed_nothing =
        result.status == state::RunStatus::skipped || result.status == state::RunStatus::blocked;
    if (changed_nothing && !json_output && !flags.quiet) {
        fmt::print(
            "It changed nothing, so it is kept in the history: status, report, resume and "
            "rollback still act on the last run that did.\n");
    }
    // Not with --quiet, whose last line is the run's.
    if (!json_output && !flags.quiet)
        fmt::print("{}", next_steps(result, phase.phase, run_flags.state));
    if (!flags.junit_file.empty()) {
        write_file_atomically(flags.junit_file,
                              report::junit_xml(phase.phase, result, options.state_dir));
    }
    if (github) append_job_summary(phase, result);
    if (rollback && result.status == state::RunStatus::rolled_back) return exit_code::ok;
    return exit_code::for_run(result, run::interrupt_signal_of(interrupt.load()));
}

}  // namespace deployphase::cli
