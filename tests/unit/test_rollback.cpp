// Rolling back through the library API: real scripts that append to `ran`, so the order and
// the count of every rollback are observed, not assumed.

#include <catch2/catch.hpp>

#include <deployphase/run/rollback.hpp>
#include <deployphase/run/runner.hpp>

#include "runner_workspace.hpp"

using namespace deployphase;
using namespace deployphase::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// a and c can be undone, b cannot, d fails unless `d-works` exists.
const std::string four_steps =
    "# Phase: Four\n## Steps Sequence\n1. **a**\n2. **b**\n3. **c**\n4. **d**\n"
    "## Step Actions\n" +
    step_script("a") + rollback_script("a") + step_script("b") + step_script("c") +
    rollback_script("c", "test \"$DEPLOYPHASE_ACTION\" = rollback\necho undoing c\n") +
    step_script("d", "test -e d-works\n") + rollback_script("d");

std::string message_of(const std::function<void()>& body) {
    try {
        body();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("rollback: on failure, completed steps newest first, then the failed step",
          "[rollback]") {
    Workspace ws;
    auto phase = ws.phase(four_steps);
    run::RunOptions options = ws.options();
    options.rollback_on_failure = true;
    state::RunState result = run::start_run(phase, json::object(), options, no_interrupt);
    CHECK(statuses(result) == "rolled-back: rolled-back succeeded rolled-back rolled-back");
    CHECK(ws.ran() == "a\nb\nc\nd\nundo c\nundo a\nundo d\n");
    CHECK(result.rollback_order == std::vector<std::size_t>{3, 1, 4});
    CHECK(result.reason == "step 4 (d) failed: exited with 1");
    CHECK(result.steps[3].reason == "exited with 1");  // how it failed stays visible
    CHECK(fs::exists(ws.dir / ".deployphase" / "logs" / "3-c.rollback.log"));

    // Finished: not resumable, and rolling back again runs nothing.
    CHECK_FALSE(result.unfinished());
    CHECK(statuses(run::rollback_run(phase, ws.options(), no_interrupt)) ==
          "rolled-back: rolled-back succeeded rolled-back rolled-back");
    CHECK(ws.ran() == "a\nb\nc\nd\nundo c\nundo a\nundo d\n");
}

TEST_CASE("rollback: on demand after a success, satisfied and skipped steps are left alone",
          "[rollback]") {
    Workspace ws;
    auto phase = ws.phase(
        "# Phase: S\n## Steps Sequence\n1. **one**\n2. **present**\n3. **never** [if wanted]\n"
        "4. **two**\n## Step Actions\n" +
        step_script("one") + rollback_script("one") + step_script("present") +
        rollback_script("present") + "```sh check=present\ntrue\n```\n" + step_script("never") +
        rollback_script("never") + step_script("two") + rollback_script("two"));
    state::RunState done = run::start_run(phase, json::object(), ws.options(), no_interrupt);
    CHECK(statuses(done) == "succeeded: succeeded satisfied skipped succeeded");

    run::RollbackPlan plan = run::plan_rollback(phase.phase, done);
    CHECK(plan.order == std::vector<std::size_t>{4, 1});
    CHECK(plan.without_script.empty());

    state::RunState undone = run::rollback_run(phase, ws.options(), no_interrupt);
    CHECK(statuses(undone) == "rolled-back: rolled-back satisfied skipped rolled-back");
    CHECK(ws.ran() == "one\ntwo\nundo two\nundo one\n");
}

TEST_CASE("rollback: a failing rollback script stops it, `rollback` continues where it stopped",
          "[rollback]") {
    Workspace ws;
    auto phase =
        ws.phase("# Phase: F\n## Steps Sequence\n1. **a**\n2. **b**\n3. **c**\n## Step Actions\n" +
                 step_script("a") + rollback_script("a") + step_script("b") +
                 rollback_script("b", "test -e b-undoable\n") + step_script("c", "false\n"));
    run::RunOptions options = ws.options();
    options.rollback_on_failure = true;
    state::RunState stopped = run::start_run(phase, json::object(), options, no_interrupt);
    CHECK(statuses(stopped) == "failed: succeeded failed failed");
    CHECK(stopped.steps[1].reason == "rollback exited with 1");
    CHECK(stopped.reason ==
          "the rollback of step 2 (b) exited with 1; `deployphase rollback` tries it again");
    CHECK(ws.ran() == "a\nb\nc\nundo b\n");

    // Forward is no longer an option.
    CHECK(message_of([&] { run::resume_run(phase, ws.options(), no_interrupt); })
              .ends_with("is part-way through its rollback; finish it with `deployphase "
                         "rollback`"));
    CHECK(message_of([&] {
              run::start_run(phase, json::object(), ws.options(), no_interrupt);
          }).find("part-way through its rollback") != std::string::npos);

    std::ofstream(ws.dir / "b-undoable") << "";
    state::RunState undone = run::rollback_run(phase, ws.options(), no_interrupt);
    CHECK(statuses(undone) == "rolled-back: rolled-back rolled-back failed");
    CHECK(ws.ran() == "a\nb\nc\nundo b\nundo b\nundo a\n");
}

TEST_CASE("rollback: the rollback order of a failed run, and steps without a script",
          "[rollback]") {
    Workspace ws;
    auto phase = ws.phase(four_steps);
    state::RunState failed = run::start_run(phase, json::object(), ws.options(), no_interrupt);
    CHECK(statuses(failed) == "failed: succeeded succeeded succeeded failed");
    run::RollbackPlan plan = run::plan_rollback(phase.phase, failed);
    CHECK(plan.order == std::vector<std::size_t>{3, 1, 4});
    CHECK(plan.without_script == std::vector<std::size_t>{2});
    CHECK(ws.ran() == "a\nb\nc\nd\n");  // planning runs nothing
}

TEST_CASE("rollback: a runner that died mid-step: its step's rollback runs last", "[rollback]") {
    Workspace ws;
    auto phase = ws.phase(four_steps);
    ws.write_journal(phase, json::object(),
                     {{{"type", "step_finished"}, {"index", 1}, {"status", "succeeded"}},
                      {{"type", "step_finished"}, {"index", 2}, {"status", "succeeded"}},
                      {{"type", "attempt_started"}, {"index", 3}, {"attempt", 1}}});
    state::RunState undone = run::rollback_run(phase, ws.options(), no_interrupt);
    CHECK(statuses(undone) == "rolled-back: rolled-back succeeded rolled-back pending");
    CHECK(ws.ran() == "undo a\nundo c\n");
}

TEST_CASE("rollback: refused with no run, or with a changed phase", "[rollback]") {
    Workspace ws;
    auto phase = ws.phase(four_steps);
    CHECK(message_of([&] {
              run::rollback_run(phase, ws.options(), no_interrupt);
          }).ends_with("error: no run to roll back"));
    run::start_run(phase, json::object(), ws.options(), no_interrupt);
    auto changed = ws.phase(four_steps + "\n");
    CHECK(message_of([&] {
              run::rollback_run(changed, ws.options(), no_interrupt);
          }).find("the phase file changed since run") != std::string::npos);
    CHECK(ws.ran() == "a\nb\nc\nd\n");
}

TEST_CASE("rollback: a run with nothing to undo is left as it is, nothing recorded", "[rollback]") {
    Workspace ws;
    auto phase = ws.phase(
        "# Phase: N\n## Steps Sequence\n1. **plain**\n2. **gated** [if wanted]\n"
        "## Step Actions\n" +
        step_script("plain") + step_script("gated") + rollback_script("gated"));
    state::RunState done = run::start_run(phase, json::object(), ws.options(), no_interrupt);
    auto records = [&] {
        return state::Journal::open(ws.dir / ".deployphase" / "journal", false).records().size();
    };
    std::size_t before = records();
    CHECK(run::plan_rollback(phase.phase, done).without_script == std::vector<std::size_t>{1});
    CHECK(statuses(run::rollback_run(phase, ws.options(), no_interrupt)) ==
          "succeeded: succeeded skipped");
    CHECK(records() == before);
    CHECK(ws.ran() == "plain\n");
}
