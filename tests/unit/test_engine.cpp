// The run's state machine (start, resume, rollback, confirm) over an in-memory store and fake
// scripts: no file, no process. What ran is counted by the fake, what was recorded is read from
// the store, so "recorded before it acts" and "never twice once recorded" are observed.

#include <catch2/catch.hpp>

#include <csignal>

#include <deployphase/phase/loader.hpp>
#include <deployphase/run/rollback.hpp>
#include <deployphase/run/runner.hpp>
#include <deployphase/state/events.hpp>
#include <deployphase/support/errors.hpp>

#include "fake_scripts.hpp"
#include "memory_store.hpp"
#include "test_support.hpp"

using namespace deployphase;
using namespace deployphase::test;
using nlohmann::json;
using run::ScriptKind;
using state::EventType;
using state::RunState;
using Ending = run::ProcessResult::Ending;

namespace {

// A step script for each id; the fake runs none of them, so any text does.
std::string scripts_for(std::initializer_list<std::string> ids, const std::string& kind = "step") {
    std::string out;
    for (const std::string& id : ids)
        out += "```sh " + kind + "=" + id + "\ntrue\n```\n";
    return out;
}

phase::LoadedPhase phase_from(const std::string& markdown) {
    return phase::load_phase(SourceFile::from_text("phase.md", markdown));
}

// One deployment target's store, the scripts the test scripted, and its interrupt flag.
struct Engine {
    std::shared_ptr<MemoryStore> store = std::make_shared<MemoryStore>();
    FakeScripts scripts;
    run::InterruptFlag interrupt{0};

    run::RunOptions options() {
        run::RunOptions options;
        options.store = store;
        options.scripts = scripts.factory();
        return options;
    }
    RunState start(const phase::LoadedPhase& phase, const json& context = json::object()) {
        return run::start_run(phase, context, options(), interrupt);
    }
    RunState resume(const phase::LoadedPhase& phase) {
        return run::resume_run(phase, options(), interrupt);
    }
    RunState resume(const phase::LoadedPhase& phase, run::RunOptions::Interrupted choice) {
        run::RunOptions with = options();
        with.interrupted = choice;
        return run::resume_run(phase, with, interrupt);
    }
    // The event types of the current run, in order.
    std::vector<std::string> events() const {
        std::vector<std::string> types;
        for (const json& record : store->current_records())
            types.push_back(record.value("type", ""));
        return types;
    }
};

const std::string three_fake_steps =
    "# Phase: Three\n## Steps Sequence\n1. **one**\n2. **two**\n3. **three** [if more wanted]\n"
    "## Step Actions\n" +
    scripts_for({"one", "two", "three"});

}  // namespace

TEST_CASE("engine: each step runs once, in order, two durable writes a step", "[engine]") {
    Engine engine;
    auto phase = phase_from(three_fake_steps);
    engine.scripts.will("one", {FakeEnding::writes("more_wanted=true\n")});
    RunState result = engine.start(phase);
    CHECK(statuses(result) == "succeeded: succeeded succeeded succeeded");
    CHECK(engine.scripts.ran() == "one two three");
    CHECK(result.context == json({{"more_wanted", true}}));
    // run_started; per step [step_started attempt_started] then [attempt_finished (output)
    // step_finished]; run_finished.
    CHECK(engine.store->appends() == 1 + 3 * 2 + 1);
    CHECK(engine.events() ==
          std::vector<std::string>{"run_started", "step_started", "attempt_started",
                                   "attempt_finished", "output_recorded", "step_finished",
                                   "step_started", "attempt_started", "attempt_finished",
                                   "step_finished", "step_started", "attempt_started",
                                   "attempt_finished", "step_finished", "run_finished"});
    // The guard of three was false when the run began and true at its turn.
    CHECK(engine.scripts.calls()[2].context == json({{"more_wanted", true}}));
}

TEST_CASE("engine: an output that names a secret has the logs masked before it is recorded",
          "[engine]") {
    Engine engine;
    auto phase = phase_from(three_fake_steps);
    engine.scripts.will("one", {FakeEnding::writes("session_token=abc123\nmore_wanted=true\n")});
    engine.scripts.will("two", {FakeEnding::writes("session_token=abc123\nregion=eu\n")});
    engine.scripts.will("three", {FakeEnding::writes("note=plain\n")});
    RunState result = engine.start(phase);
    CHECK(statuses(result) == "succeeded: succeeded succeeded succeeded");
    // Once, when one's output made abc123 a secret; two's output taught nothing new.
    CHECK(engine.scripts.log_maskings() == std::vector<std::string>{"one"});
    CHECK(engine.store->current_records()[4]["values"]["session_token"] == "***");
}

TEST_CASE("engine: a guard is decided when its step's turn comes, on the outputs so far",
          "[engine]") {
    Engine engine;
    auto phase = phase_from(three_fake_steps);
    engine.scripts.will("one", {FakeEnding::writes("more_wanted=false\n")});
    RunState result = engine.start(phase);
    CHECK(statuses(result) == "succeeded: succeeded succeeded skipped");
    CHECK(result.steps[2].reason == "fact more_wanted is false");
    CHECK(engine.scripts.ran() == "one two");
}

TEST_CASE("engine: retries until an attempt succeeds, and the last failed attempt fails the run",
          "[engine]") {
    auto phase = phase_from(
        "# Phase: R\n## Steps Sequence\n1. **flaky**\n2. **after**\n## Step Actions\n"
        "```sh step=flaky retries=2\ntrue\n```\n" +
        scripts_for({"after"}));
    SECTION("the third attempt succeeds") {
        Engine engine;
        engine.scripts.will("flaky", {FakeEnding::exit(1), FakeEnding::exit(1)});
        RunState result = engine.start(phase);
        CHECK(statuses(result) == "succeeded: succeeded succeeded");
        CHECK(result.steps[0].attempts == 3);
        CHECK(engine.scripts.ran() == "flaky flaky flaky after");
        std::vector<unsigned> attempts;
        for (const auto& call : engine.scripts.calls())
            attempts.push_back(call.attempt);
        CHECK(attempts == std::vector<unsigned>{1, 2, 3, 1});
    }
    SECTION("every attempt fails") {
        Engine engine;
        engine.scripts.will("flaky",
                            {FakeEnding::exit(1), FakeEnding::exit(1), FakeEnding::exit(4)});
        RunState result = engine.start(phase);
        CHECK(statuses(result) == "failed: failed pending");
        CHECK(result.steps[0].exit_code == 4);
        CHECK(result.steps[0].reason == "exited with 4");
        CHECK(engine.scripts.ran() == "flaky flaky flaky");
        // Resume gives the failed step its attempts again, and goes on.
        CHECK(statuses(engine.resume(phase)) == "succeeded: succeeded succeeded");
        CHECK(engine.scripts.ran() == "flaky flaky flaky flaky after");
    }
}

TEST_CASE("engine: a passing check satisfies its step without running it", "[engine]") {
    Engine engine;
    auto phase = phase_from(
        "# Phase: C\n## Steps Sequence\n1. **install**\n2. **use**\n"
        "## Step Actions\n" +
        scripts_for({"install", "use"}) + scripts_for({"install", "use"}, "check"));
    engine.scripts.will("use", {FakeEnding::exit(1)}, ScriptKind::check);
    RunState result = engine.start(phase);
    CHECK(statuses(result) == "succeeded: satisfied succeeded");
    CHECK(engine.scripts.ran() == "check:install check:use use");
}

TEST_CASE("engine: a manual step waits, confirm records it, and resume goes on", "[engine]") {
    Engine engine;
    auto phase = phase_from(
        "# Phase: M\n## Steps Sequence\n1. **prepare**\n2. **handover**\n"
        "3. **finish**\n## Step Actions\n" +
        scripts_for({"prepare", "finish"}));
    RunState waiting = engine.start(phase);
    CHECK(statuses(waiting) == "awaiting-confirmation: succeeded awaiting-confirmation pending");
    CHECK(run::confirm_step(*engine.store, "handover").status == state::StepStatus::succeeded);
    CHECK(statuses(engine.resume(phase)) == "succeeded: succeeded succeeded succeeded");
    CHECK(engine.scripts.ran() == "prepare finish");

    SECTION("asked on a terminal, or confirmed by --yes, it does not wait") {
        for (bool yes : {false, true}) {
            Engine asked;
            run::RunOptions options = asked.options();
            std::vector<std::string> questions;
            if (yes) {
                options.confirm_all = true;
            } else {
                options.confirm = [&](const phase::Step& step) {
                    questions.push_back(step.id);
                    return true;
                };
            }
            RunState done = run::start_run(phase, json::object(), options, asked.interrupt);
            CHECK(statuses(done) == "succeeded: succeeded succeeded succeeded");
            CHECK(questions ==
                  (yes ? std::vector<std::string>{} : std::vector<std::string>{"handover"}));
        }
    }
}

TEST_CASE("engine: an interrupted step is rerun, or taken as done or failed, as resume says",
          "[engine]") {
    auto phase = phase_from(three_fake_steps);
    Engine engine;
    engine.scripts.will("one", {FakeEnding::writes("more_wanted=true\n")});
    FakeEnding cut_off = FakeEnding::writes("release=v7\n");
    cut_off.meanwhile = [&] { engine.interrupt.store(SIGINT); };
    engine.scripts.will("two", {cut_off});
    RunState stopped = engine.start(phase);
    CHECK(statuses(stopped) == "interrupted: succeeded interrupted pending");
    CHECK(engine.scripts.ran() == "one two");
    engine.interrupt.store(0);

    SECTION("rerun (the default)") {
        CHECK(statuses(engine.resume(phase)) == "succeeded: succeeded succeeded succeeded");
        CHECK(engine.scripts.ran() == "one two two three");
    }
    SECTION("done: not run again, and what it wrote is kept") {
        RunState result = engine.resume(phase, run::RunOptions::Interrupted::done);
        CHECK(statuses(result) == "succeeded: succeeded succeeded succeeded");
        CHECK(result.steps[1].reason == "marked done on resume (--interrupted=done)");
        CHECK(result.context["release"] == "v7");
        CHECK(engine.scripts.ran() == "one two three");
    }
    SECTION("fail: the run fails there, and a later resume reruns it") {
        RunState failed = engine.resume(phase, run::RunOptions::Interrupted::fail);
        CHECK(statuses(failed) == "failed: succeeded failed pending");
        CHECK(engine.scripts.ran() == "one two");
        CHECK(statuses(engine.resume(phase)) == "succeeded: succeeded succeeded succeeded");
        CHECK(engine.scripts.ran() == "one two two three");
    }
}

TEST_CASE("engine: a rollback undoes completed steps newest first, then the failed one",
          "[engine]") {
    Engine engine;
    auto phase = phase_from(
        "# Phase: Four\n## Steps Sequence\n1. **a**\n2. **b**\n3. **c**\n"
        "4. **d**\n## Step Actions\n" +
        scripts_for({"a", "b", "c", "d"}) + scripts_for({"a", "c", "d"}, "rollback"));
    engine.scripts.will("d", {FakeEnding::exit(3)});
    run::RunOptions options = engine.options();
    options.rollback_on_failure = true;
    RunState result = run::start_run(phase, json::object(), options, engine.interrupt);
    CHECK(statuses(result) == "rolled-back: rolled-back succeeded rolled-back rolled-back");
    CHECK(result.reason == "step 4 (d) failed: exited with 3");
    CHECK(engine.scripts.ran() == "a b c d rollback:c rollback:a rollback:d");
}

TEST_CASE("engine: a failing rollback script stops the rollback, and `rollback` goes on from it",
          "[engine]") {
    Engine engine;
    auto phase = phase_from(
        "# Phase: Two\n## Steps Sequence\n1. **a**\n2. **b**\n"
        "## Step Actions\n" +
        scripts_for({"a", "b"}) + scripts_for({"a", "b"}, "rollback"));
    CHECK(statuses(engine.start(phase)) == "succeeded: succeeded succeeded");
    engine.scripts.will("a", {FakeEnding::exit(2)}, ScriptKind::rollback);
    RunState stopped = run::rollback_run(phase, engine.options(), engine.interrupt);
    CHECK(statuses(stopped) == "failed: failed rolled-back");
    CHECK(stopped.reason ==
          "the rollback of step 1 (a) exited with 2; `deployphase rollback` tries it again");
    RunState done = run::rollback_run(phase, engine.options(), engine.interrupt);
    CHECK(statuses(done) == "rolled-back: rolled-back rolled-back");
    CHECK(engine.scripts.ran() == "a b rollback:b rollback:a rollback:a");
}

TEST_CASE(
    "engine: a store that fails at any record stops the run there, and resume finishes "
    "it without running a recorded step again",
    "[engine]") {
    auto phase = phase_from(three_fake_steps);
    auto scripted = [](Engine& engine) {  // one writes its output however often it runs
        FakeEnding writes = FakeEnding::writes("more_wanted=true\n");
        engine.scripts.will("one", {writes, writes});
    };
    Engine clean;
    scripted(clean);
    clean.start(phase);
    const std::size_t writes = clean.store->appends();

    for (MemoryStore::Kept kept : {MemoryStore::Kept::none, MemoryStore::Kept::all}) {
        for (std::size_t n = 1; n <= writes; ++n) {
            INFO("write " << n << " of " << writes
                          << (kept == MemoryStore::Kept::all ? ", kept though it failed"
                                                             : ", not kept"));
            Engine engine;
            scripted(engine);
            engine.store->fail_append(n, kept);
            CHECK_THROWS_AS(engine.start(phase), StorageError);
            CHECK(engine.store->appends() == n);  // nothing was written after the failure

            // Every script that ran had its attempt recorded before it started.
            std::vector<json> kept_records = engine.store->current_records();
            std::size_t recorded_attempts = 0;
            std::vector<std::string> finished;
            for (const json& record : kept_records) {
                std::optional<EventType> type = state::event_type(record);
                if (type == EventType::attempt_started) ++recorded_attempts;
                if (type == EventType::step_finished && record["status"] == "succeeded")
                    finished.push_back(
                        phase.phase.steps[record["index"].get<std::size_t>() - 1].id);
            }
            CHECK(engine.scripts.calls().size() <= recorded_attempts);
            std::size_t ran_before = engine.scripts.calls().size();

            // The command a retried CI job runs: `run --resume`.
            run::ResumeDecision decision =
                run::decide_run_resume(*engine.store, phase, json::object());
            RunState result;
            switch (decision.action) {
                case run::ResumeDecision::Action::resume:
                    result = run::resume_run(std::move(*decision.recorded), phase, engine.options(),
                                             engine.interrupt);
                    break;
                case run::ResumeDecision::Action::already_succeeded:
                    result = decision.recorded->state;
                    break;
                case run::ResumeDecision::Action::start:
                    result = engine.start(phase);
                    break;
            }
            CHECK(statuses(result) == "succeeded: succeeded succeeded succeeded");
            for (const std::string& id : finished) {
                INFO(id << " was recorded as finished before the failure");
                CHECK(engine.scripts.count(id) == 1);
            }
            // The resume ran each step not recorded as finished, once.
            CHECK(engine.scripts.calls().size() - ran_before == 3 - finished.size());
        }
    }
}

TEST_CASE("engine: a second runner is refused while one holds the store", "[engine]") {
    Engine engine;
    auto phase = phase_from(three_fake_steps);
    auto held = engine.store->lock();
    CHECK_THROWS_AS(engine.start(phase), LockHeld);
    CHECK(engine.scripts.calls().empty());
    CHECK_FALSE(engine.store->has_current());
}

TEST_CASE("engine: status reads a run whose runner is gone as interrupted", "[engine]") {
    Engine engine;
    auto phase = phase_from(three_fake_steps);
    engine.store->fail_append(5);  // the end of step two's attempt
    CHECK_THROWS_AS(engine.start(phase), StorageError);
    CHECK(statuses(*run::read_run(*engine.store)) == "running: succeeded running pending");
    CHECK(statuses(run::last_run(*engine.store)) == "interrupted: succeeded interrupted pending");
    {
        auto live = engine.store->lock();  // a live runner holds it: the run is running
        CHECK(statuses(run::last_run(*engine.store)) == "running: succeeded running pending");
    }
    Engine empty;
    CHECK_THROWS_WITH(run::last_run(*empty.store), "memory: error: no run here");
}

TEST_CASE("engine: run --resume continues, leaves alone a success, or starts anew", "[engine]") {
    using Action = run::ResumeDecision::Action;
    auto phase = phase_from(three_fake_steps);
    auto decide = [&](Engine& engine, const json& context) {
        run::ResumeDecision decision = run::decide_run_resume(*engine.store, phase, context);
        // Kept open under the lock, so the journal is read once, or let go for a new run.
        CHECK(engine.store->lock_holder().has_value() == decision.recorded.has_value());
        return decision.action;
    };
    Engine engine;
    CHECK(decide(engine, json::object()) == Action::start);
    engine.scripts.will("two", {FakeEnding::exit(1)});
    engine.start(phase);
    CHECK(decide(engine, json::object()) == Action::resume);
    engine.resume(phase);
    CHECK(decide(engine, json::object()) == Action::already_succeeded);
    CHECK(decide(engine, {{"more_wanted", true}}) == Action::start);  // another context
    CHECK(decide(engine, json::object()) == Action::already_succeeded);
}

TEST_CASE("engine: rollback finds nothing to undo only when no live runner adds steps",
          "[engine]") {
    TempDir dir;
    write_file(dir.path / "phase.md",
               "# Phase: N\n## Steps Sequence\n1. **a**\n2. **b**\n"
               "## Step Actions\n" +
                   scripts_for({"a", "b"}));
    auto phase = phase::load_phase((dir.path / "phase.md").string());
    Engine engine;
    engine.scripts.will("b", {FakeEnding::exit(1)});
    engine.start(phase);
    run::RollbackPreview preview = run::preview_rollback(*engine.store);
    CHECK(preview.nothing_to_undo());  // neither step has a rollback script
    CHECK(preview.plan.without_script == std::vector<std::size_t>{1});
    run::require_no_live_runner(*engine.store, preview.run);  // the run has finished

    run::RunOptions again = engine.options();
    again.restart = true;
    engine.store->fail_append(2);  // a new run stops before its first step starts
    CHECK_THROWS_AS(run::start_run(phase, json::object(), again, engine.interrupt), StorageError);
    preview = run::preview_rollback(*engine.store);
    CHECK(preview.nothing_to_undo());
    run::require_no_live_runner(*engine.store, preview.run);  // no runner: the lock is free
    auto live = engine.store->lock();
    CHECK_THROWS_AS(run::require_no_live_runner(*engine.store, preview.run), LockHeld);
}

TEST_CASE(
    "engine: a run that changes nothing is filed into the history, the deployment stays "
    "current",
    "[engine]") {
    Engine engine;
    auto phase = phase_from(
        "# Phase: Gated\n## Steps Sequence\n1. **one**\n2. **two**\n"
        "## Validation Logic\n```javascript\n"
        "function shouldSkipPhase() { return hasContext('skip'); }\n"
        "function canExecutePhase() { return !hasContext('frozen'); }\n```\n"
        "## Step Actions\n" +
        scripts_for({"one", "two"}) + scripts_for({"one", "two"}, "rollback"));
    RunState deployed = engine.start(phase);
    CHECK(statuses(deployed) == "succeeded: succeeded succeeded");
    RunState skipped = engine.start(phase, json{{"skip", true}});
    CHECK(statuses(skipped) == "skipped: skipped skipped");
    RunState blocked = engine.start(phase, json{{"frozen", true}});
    CHECK(statuses(blocked) == "blocked: skipped skipped");
    CHECK(engine.scripts.ran() == "one two");
    // The deployment is still the current run; the two that changed nothing are history.
    CHECK(engine.store->current_records().front()["run_id"] == deployed.run_id);
    CHECK(engine.store->archived() == std::vector<std::string>{skipped.run_id, blocked.run_id});
    CHECK(run::last_run(*engine.store).run_id == deployed.run_id);
    std::optional<RunState> later = run::later_run_that_changed_nothing(*engine.store, deployed);
    REQUIRE(later);
    CHECK(later->run_id == blocked.run_id);
    // Rollback finds the deployment and undoes it.
    CHECK(run::rollback_run(phase, engine.options(), engine.interrupt).status ==
          state::RunStatus::rolled_back);
    CHECK(engine.scripts.ran() == "one two rollback:two rollback:one");
    // The next run that runs steps archives the deployment as usual.
    RunState next = engine.start(phase);
    CHECK(engine.store->archived().back() == deployed.run_id);
    CHECK(engine.store->current_records().front()["run_id"] == next.run_id);
    CHECK_FALSE(run::later_run_that_changed_nothing(*engine.store, next));
}

TEST_CASE("engine: with no run that changed anything, status shows the last that did not",
          "[engine]") {
    Engine engine;
    auto phase = phase_from(
        "# Phase: Gated\n## Steps Sequence\n1. **one**\n## Validation Logic\n```javascript\n"
        "function shouldSkipPhase() { return true; }\n```\n## Step Actions\n" +
        scripts_for({"one"}));
    RunState skipped = engine.start(phase);
    CHECK_FALSE(engine.store->has_current());
    CHECK(run::last_run(*engine.store).run_id == skipped.run_id);
    CHECK_FALSE(run::later_run_that_changed_nothing(*engine.store, skipped));
}
