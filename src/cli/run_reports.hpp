#pragma once
// What run, resume and rollback show while they run and leave when they end: progress lines,
// --events, GitHub Actions output, the final report, --junit and the job summary.

#include <functional>

#include <deployphase/phase/loader.hpp>
#include <deployphase/run/runner.hpp>
#include <deployphase/state/run_state.hpp>

#include "run_flags.hpp"
#include "terminal.hpp"

namespace deployphase::cli {

// A start, resume or rollback, given the options with reporting attached and the interrupt
// flag the signal handlers set.
using RunBody = std::function<state::RunState(const run::RunOptions&, const run::InterruptFlag&)>;

// Runs `body` with progress lines, --events and GitHub Actions output attached; then prints the
// final report (the step table, one line with --quiet, or the status JSON with --output json)
// and writes --junit and the GitHub job summary. Returns the exit code; `rollback` makes a
// completed rollback exit 0.
int run_with_reports(const phase::LoadedPhase& phase, run::RunOptions options,
                     const RunFlags& flags, ColorMode color, const RunBody& body,
                     bool rollback = false);

// Where progress goes: stderr when stdout carries the JSON report.
std::FILE* progress_stream(const ReportFlags& flags);

}  // namespace deployphase::cli
