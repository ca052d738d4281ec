// What an operator can say when resuming: --interrupted=rerun|done|fail for a step that was
// cut off, and --context/--set to change the context of the run in progress.

#include <catch2/catch.hpp>

#include <deployphase/run/runner.hpp>
#include <deployphase/support/errors.hpp>

#include "runner_workspace.hpp"

using namespace deployphase;
using namespace deployphase::test;
using nlohmann::json;

namespace {

const std::string three_steps_two_undone =
    "# Phase: Three\n## Steps Sequence\n1. **one**\n2. **two**\n3. **three** [if more wanted]\n"
    "## Step Actions\n" +
    step_script("one") + step_script("two") + rollback_script("two") + step_script("three");

// A runner that was killed while step 2 ran.
void killed_during_two(const Workspace& ws, const phase::LoadedPhase& phase) {
    ws.write_journal(phase, {{"more_wanted", true}},
                     {{{"type", "step_finished"}, {"index", 1}, {"status", "succeeded"}},
                      {{"type", "attempt_started"}, {"index", 2}, {"attempt", 1}}});
}

}  // namespace

TEST_CASE("resume --interrupted=done takes the cut-off step as done, with its output", "[resume]") {
    Workspace ws;
    auto phase = ws.phase(three_steps_two_undone);
    killed_during_two(ws, phase);
    std::filesystem::create_directories(ws.dir / ".deployphase" / "outputs");
    std::ofstream(ws.dir / ".deployphase" / "outputs" / "step.env") << "release=v7\n";
    run::RunOptions options = ws.options();
    options.interrupted = run::RunOptions::Interrupted::done;
    state::RunState result = run::resume_run(phase, options, no_interrupt);
    CHECK(statuses(result) == "succeeded: succeeded succeeded succeeded");
    CHECK(result.steps[1].reason == "marked done on resume (--interrupted=done)");
    CHECK(result.context["release"] == "v7");
    CHECK(ws.ran() == "three\n");
}

TEST_CASE("resume --interrupted=fail fails the cut-off step, and a later resume reruns it",
          "[resume]") {
    Workspace ws;
    auto phase = ws.phase(three_steps_two_undone);
    killed_during_two(ws, phase);
    run::RunOptions options = ws.options();
    options.interrupted = run::RunOptions::Interrupted::fail;
    state::RunState failed = run::resume_run(phase, options, no_interrupt);
    CHECK(statuses(failed) == "failed: succeeded failed pending");
    CHECK(ws.ran().empty());

    options.interrupted = run::RunOptions::Interrupted::rerun;
    // A failed step runs again on resume, and succeeds this time.
    CHECK(statuses(run::resume_run(phase, options, no_interrupt)) ==
          "succeeded: succeeded succeeded succeeded");
    CHECK(ws.ran() == "two\nthree\n");
}

TEST_CASE("resume --context/--set: the new context opens a guard, and the drift is reported",
          "[resume]") {
    Workspace ws;
    auto phase = ws.phase(three_steps_two_undone);
    ws.write_journal(phase, {{"region", "eu"}},
                     {{{"type", "step_finished"}, {"index", 1}, {"status", "succeeded"}},
                      {{"type", "output_recorded"}, {"index", 1}, {"values", {{"url", "u"}}}},
                      {{"type", "step_finished"}, {"index", 2}, {"status", "failed"}},
                      {{"type", "run_finished"}, {"status", "failed"}}});
    std::size_t records_before =
        state::Journal::open(ws.dir / ".deployphase" / "journal", false).records().size();

    run::RunOptions bad = ws.options();
    bad.context_update = run::RunOptions::ContextUpdate{std::nullopt, {"region.zone=a"}};
    CHECK_THROWS_AS(run::resume_run(phase, bad, no_interrupt), InputError);
    CHECK(state::Journal::open(ws.dir / ".deployphase" / "journal", false).records().size() ==
          records_before);  // refused before anything was recorded

    run::RunOptions options = ws.options();
    options.context_update =
        run::RunOptions::ContextUpdate{json{{"region", "us"}}, {"more_wanted=true"}};
    plan::ContextDrift reported;
    options.report_drift = [&](const plan::ContextDrift& drift) { reported = drift; };
    state::RunState result = run::resume_run(phase, options, no_interrupt);
    CHECK(statuses(result) == "succeeded: succeeded succeeded succeeded");
    CHECK(reported.changed_keys == std::vector<std::string>{"more_wanted", "region"});
    REQUIRE(reported.guard_changes.size() == 1);
    CHECK(reported.guard_changes[0].after.id == "three");
    CHECK(reported.guard_changes[0].after.will_run);
    // The new base, the outputs recorded so far, then the assignments.
    CHECK(result.context == json({{"region", "us"}, {"url", "u"}, {"more_wanted", true}}));
    CHECK(ws.ran() == "two\nthree\n");
}
