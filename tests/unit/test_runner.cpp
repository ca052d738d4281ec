// The runner end to end through its library API: real phases, real scripts in temporary
// directories. Each script appends its step id to `ran`, so "ran exactly once" is counted.

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <deployphase/run/runner.hpp>
#include <deployphase/state/directory_store.hpp>
#include <deployphase/state/lock.hpp>
#include <deployphase/support/errors.hpp>

#include "runner_workspace.hpp"

using namespace deployphase;
using namespace deployphase::test;
using run::RunOptions;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string three_scripted_steps =
    "# Phase: Three\n## Steps Sequence\n1. **one**\n2. **two**\n3. **three** [if more wanted]\n"
    "## Step Actions\n" +
    step_script("one", "echo more_wanted=true >> \"$DEPLOYPHASE_OUTPUT\"\necho one says hi\n") +
    step_script("two") + step_script("three");

}  // namespace

TEST_CASE("runner: every step runs once, in order, and an output opens a later guard", "[runner]") {
    Workspace ws;
    auto phase = ws.phase(three_scripted_steps);
    state::RunState result = run::start_run(phase, json::object(), ws.options(), no_interrupt);
    CHECK(statuses(result) == "succeeded: succeeded succeeded succeeded");
    CHECK(ws.ran() == "one\ntwo\nthree\n");
    CHECK(result.context == json({{"more_wanted", true}}));
    std::ifstream log(ws.dir / ".deployphase" / "logs" / "1-one.log");
    std::string text(std::istreambuf_iterator<char>(log), {});
    CHECK(text.starts_with("=== deployphase: run " + result.run_id + ", step attempt 1, "));
    CHECK(text.ends_with(" ===\none says hi\n"));
    // A step that prints nothing leaves no log.
    CHECK_FALSE(fs::exists(ws.dir / ".deployphase" / "logs" / "2-two.log"));
}

TEST_CASE("runner: state files are 0600 in a 0700 directory, whatever the umask", "[runner]") {
    Workspace ws;
    auto phase = ws.phase(three_scripted_steps);
    mode_t old_mask = ::umask(0022);
    run::start_run(phase, json::object(), ws.options(), no_interrupt);
    ::umask(old_mask);
    auto mode = [&](const fs::path& path) {
        return fs::status(ws.dir / ".deployphase" / path).permissions() & fs::perms::all;
    };
    CHECK(mode("") == fs::perms::owner_all);
    for (const char* file : {"journal", "context.json", "logs/1-one.log", "outputs/step.env"}) {
        INFO(file);
        CHECK(mode(file) == (fs::perms::owner_read | fs::perms::owner_write));
    }
}

TEST_CASE("runner: the journal records the plan, and each guard's decision with its reason",
          "[runner]") {
    Workspace ws;
    auto phase = ws.phase(three_scripted_steps);
    run::start_run(phase, json::object(), ws.options(), no_interrupt);
    auto records = state::Journal::open(ws.dir / ".deployphase" / "journal", false).records();
    CHECK(records.front()["plan"] ==
          json::parse(R"({"decision": "run", "reason": "no shouldSkipPhase() is defined, no )"
                      R"(canExecutePhase() is defined", "steps": [)"
                      R"({"will_run": true, "reason": "no guard"},)"
                      R"({"will_run": true, "reason": "no guard"},)"
                      R"({"will_run": false, "reason": "fact more_wanted is missing"}]})"));
    std::vector<std::string> started;
    for (const json& record : records) {
        if (record["type"] == "step_started") started.push_back(record["reason"]);
    }
    // Step three's guard was false in the plan, true when its turn came (an output of one).
    CHECK(started == std::vector<std::string>{"no guard", "no guard", "fact more_wanted is true"});
}

TEST_CASE("runner: a false guard skips its step with the reason", "[runner]") {
    Workspace ws;
    auto phase = ws.phase(
        "# Phase: G\n## Steps Sequence\n1. **one**\n2. **two** [if wanted]\n## Step Actions\n" +
        step_script("one") + step_script("two"));
    state::RunState result = run::start_run(phase, json::object(), ws.options(), no_interrupt);
    CHECK(statuses(result) == "succeeded: succeeded skipped");
    CHECK(result.steps[1].reason == "fact wanted is missing");
    CHECK(ws.ran() == "one\n");
}

TEST_CASE("runner: skipped and blocked phases run nothing", "[runner]") {
    Workspace ws;
    std::string logic =
        "## Validation Logic\n```js\nshouldSkipPhase() { return docsOnly(); }\n"
        "canExecutePhase() { return hasContext('approved'); }\n```\n";
    auto phase =
        ws.phase("# Phase: D\n## Steps Sequence\n1. **one**\n" + logic + step_script("one"));
    CHECK(statuses(run::start_run(phase, json{{"docs_only", true}}, ws.options(), no_interrupt)) ==
          "skipped: skipped");
    CHECK(statuses(run::start_run(phase, json::object(), ws.options(), no_interrupt)) ==
          "blocked: skipped");
    CHECK(ws.ran().empty());
}

TEST_CASE("runner: retries until an attempt succeeds", "[runner]") {
    Workspace ws;
    auto phase = ws.phase("# Phase: R\n## Steps Sequence\n1. **flaky**\n## Step Actions\n" +
                          step_script("flaky", "test \"$DEPLOYPHASE_ATTEMPT\" -ge 3\n",
                                      "retries=5 retry-delay=10ms"));
    state::RunState result = run::start_run(phase, json::object(), ws.options(), no_interrupt);
    CHECK(statuses(result) == "succeeded: succeeded");
    CHECK(result.steps[0].attempts == 3);
    CHECK(ws.ran() == "flaky\nflaky\nflaky\n");
}

TEST_CASE("runner: a failing step stops the run, resume reruns it and goes on", "[runner]") {
    Workspace ws;
    auto phase = ws.phase(
        "# Phase: F\n## Steps Sequence\n1. **one**\n2. **two**\n3. **three**\n"
        "## Step Actions\n" +
        step_script("one") + step_script("two", "test -e fixed\n") + step_script("three"));
    state::RunState failed = run::start_run(phase, json::object(), ws.options(), no_interrupt);
    CHECK(statuses(failed) == "failed: succeeded failed pending");
    CHECK(failed.steps[1].exit_code == 1);
    CHECK(ws.ran() == "one\ntwo\n");

    // A new run is refused while this one can be resumed.
    CHECK_THROWS_AS(run::start_run(phase, json::object(), ws.options(), no_interrupt),
                    UnfinishedRun);

    std::ofstream(ws.dir / "fixed") << "";
    state::RunState resumed = run::resume_run(phase, ws.options(), no_interrupt);
    CHECK(statuses(resumed) == "succeeded: succeeded succeeded succeeded");
    CHECK(ws.ran() == "one\ntwo\ntwo\nthree\n");  // one ran once; two again; three once
}

TEST_CASE("runner: a step that was running when its runner died runs again on resume", "[runner]") {
    Workspace ws;
    auto phase = ws.phase(three_scripted_steps);
    // What a runner killed during step 2 leaves behind.
    ws.write_journal(phase, {{"more_wanted", true}},
                     {{{"type", "attempt_started"}, {"index", 1}, {"attempt", 1}},
                      {{"type", "step_finished"}, {"index", 1}, {"status", "succeeded"}},
                      {{"type", "attempt_started"}, {"index", 2}, {"attempt", 1}}});
    state::RunState resumed = run::resume_run(phase, ws.options(), no_interrupt);
    CHECK(statuses(resumed) == "succeeded: succeeded succeeded succeeded");
    CHECK(ws.ran() == "two\nthree\n");
}

TEST_CASE("runner: a manual step waits for confirmation without a terminal", "[runner]") {
    Workspace ws;
    auto phase = ws.phase(
        "# Phase: M\n## Steps Sequence\n1. **prepare**\n2. **handover**\n"
        "3. **finish**\n## Step Actions\n" +
        step_script("prepare") + step_script("finish"));
    state::RunState waiting = run::start_run(phase, json::object(), ws.options(), no_interrupt);
    CHECK(statuses(waiting) == "awaiting-confirmation: succeeded awaiting-confirmation pending");

    RunOptions asked = ws.options();
    std::string asked_for;
    asked.confirm = [&](const phase::Step& step) {
        asked_for = step.id;
        return true;
    };
    state::RunState done = run::resume_run(phase, asked, no_interrupt);
    CHECK(asked_for == "handover");
    CHECK(statuses(done) == "succeeded: succeeded succeeded succeeded");
    CHECK(ws.ran() == "prepare\nfinish\n");
}

TEST_CASE("runner: a passing check marks the step satisfied without running it", "[runner]") {
    Workspace ws;
    auto phase = ws.phase(
        "# Phase: C\n## Steps Sequence\n1. **install**\n2. **again**\n"
        "## Step Actions\n" +
        step_script("install", "touch installed\n") + step_script("again") +
        "```sh check=install\ntest -e installed\n```\n");
    CHECK(statuses(run::start_run(phase, json::object(), ws.options(), no_interrupt)) ==
          "succeeded: succeeded succeeded");
    CHECK(statuses(run::start_run(phase, json::object(), ws.options(), no_interrupt)) ==
          "succeeded: satisfied succeeded");
    CHECK(ws.ran() == "install\nagain\nagain\n");
    CHECK(fs::is_directory(ws.dir / ".deployphase" / "history"));
}

TEST_CASE("runner: a timeout fails the attempt", "[runner]") {
    Workspace ws;
    auto phase = ws.phase("# Phase: T\n## Steps Sequence\n1. **slow**\n## Step Actions\n" +
                          step_script("slow", "sleep 30\n", "timeout=200ms"));
    state::RunState result = run::start_run(phase, json::object(), ws.options(), no_interrupt);
    CHECK(statuses(result) == "failed: failed");
    CHECK(result.steps[0].reason == "timed out after 200ms");
}

TEST_CASE("runner: resume refuses a changed phase, and a held lock stops everything", "[runner]") {
    Workspace ws;
    auto phase = ws.phase("# Phase: P\n## Steps Sequence\n1. **one**\n## Step Actions\n" +
                          step_script("one", "false\n"));
    CHECK(statuses(run::start_run(phase, json::object(), ws.options(), no_interrupt)) ==
          "failed: failed");
    auto changed = ws.phase("# Phase: P\n## Steps Sequence\n1. **one**\n## Step Actions\n" +
                            step_script("one"));
    try {
        run::resume_run(changed, ws.options(), no_interrupt);
        FAIL("expected a refusal");
    } catch (const StateError& e) {
        CHECK(std::string(e.what()).find("the phase file changed since run") != std::string::npos);
    }
    RunOptions allow = ws.options();
    allow.allow_changed = true;
    CHECK(statuses(run::resume_run(changed, allow, no_interrupt)) == "succeeded: succeeded");

    state::StateLock held = state::StateLock::acquire(ws.dir / ".deployphase");
    CHECK_THROWS_AS(run::start_run(changed, json::object(), ws.options(), no_interrupt), LockHeld);
    CHECK(ws.ran() == "one\none\n");
}

TEST_CASE("runner: confirm records a waiting manual step, resume continues past it", "[runner]") {
    Workspace ws;
    auto phase = ws.phase(
        "# Phase: M\n## Steps Sequence\n1. **sign-off**\n2. **b**\n3. **b**\n"
        "## Step Actions\n" +
        step_script("2") + step_script("3"));
    state::DirectoryStore store(ws.dir / ".deployphase");
    auto refusal = [&](const std::string& ref) {
        try {
            run::confirm_step(store, ref);
        } catch (const StateError& e) {
            std::string message = e.what();
            return message.substr(message.find("error: ") + 7);
        }
        return std::string("no error");
    };
    CHECK(refusal("sign-off") == "no run to confirm");
    CHECK(statuses(run::start_run(phase, json::object(), ws.options(), no_interrupt)) ==
          "awaiting-confirmation: awaiting-confirmation pending pending");
    CHECK(refusal("nope").ends_with("has no step \"nope\""));
    CHECK(refusal("b") == "\"b\" names steps 2 and 3; give the index");
    CHECK(refusal("2") == "step 2 (b) is pending, not awaiting confirmation");

    CHECK(run::confirm_step(store, "1").status == state::StepStatus::succeeded);
    CHECK(statuses(run::resume_run(phase, ws.options(), no_interrupt)) ==
          "succeeded: succeeded succeeded succeeded");
    CHECK(ws.ran() == "b\nb\n");
}
