#include <catch2/catch.hpp>

#include <deployphase/report/run_text.hpp>
#include <deployphase/state/journal.hpp>
#include <deployphase/state/run_state.hpp>
#include <deployphase/support/errors.hpp>

using namespace deployphase;
using namespace deployphase::state;
using deployphase::report::status_json;
using nlohmann::json;

namespace {

// Numbers records as the journal does.
std::vector<json> numbered(std::vector<json> events) {
    for (std::size_t i = 0; i < events.size(); ++i)
        events[i]["seq"] = i + 1;
    return events;
}

const json started = {{"type", "run_started"},
                      {"run_id", "r-1"},
                      {"phase", "Deploy"},
                      {"phase_file", "deploy.md"},
                      {"phase_sha256", "abc"},
                      {"context", {{"env", "prod"}, {"db", {{"host", "h"}}}}},
                      {"steps", json::array({{{"id", "build"}},
                                             {{"id", "check"}},
                                             {{"id", "deploy"}},
                                             {{"id", "notify"}},
                                             {{"id", "handover"}}})}};

std::string error_of(const std::vector<json>& records) {
    try {
        fold(records);
    } catch (const StateError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("run state: a run folded from its events", "[state]") {
    RunState state = fold(numbered({
        started,
        {{"type", "attempt_started"}, {"index", 1}, {"attempt", 1}},
        {{"type", "attempt_finished"}, {"index", 1}, {"exit_code", 0}, {"duration_ms", 120}},
        {{"type", "output_recorded"},
         {"index", 1},
         {"values", {{"release", "v2"}, {"db", {{"ready", true}}}}}},
        {{"type", "step_finished"}, {"index", 1}, {"status", "succeeded"}},
        {{"type", "step_satisfied"}, {"index", 2}},
        {{"type", "attempt_started"}, {"index", 3}, {"attempt", 1}},
        {{"type", "attempt_finished"}, {"index", 3}, {"exit_code", 1}, {"duration_ms", 40}},
        {{"type", "attempt_started"}, {"index", 3}, {"attempt", 2}},
        {{"type", "attempt_finished"}, {"index", 3}, {"exit_code", 2}, {"duration_ms", 35}},
        {{"type", "step_finished"}, {"index", 3}, {"status", "failed"}},
        {{"type", "step_skipped"}, {"index", 4}, {"reason", "fact notify is missing"}},
        {{"type", "run_finished"}, {"status", "failed"}},
    }));
    CHECK(state.finished);
    CHECK(state.context ==
          json::parse(R"({"env": "prod", "db": {"host": "h", "ready": true}, "release": "v2"})"));
    CHECK(state.steps[3].reason == "fact notify is missing");
    CHECK(state.steps[0].outputs == json::parse(R"({"release": "v2", "db": {"ready": true}})"));
    CHECK(state.steps[2].outputs == json::object());
    CHECK(state.unfinished_steps() == std::vector<std::size_t>{3, 5});
    // Records of journal format 1 carry no time and no identity: those read as null.
    CHECK(
        status_json(state).dump() ==
        R"({"run_id":"r-1","phase":"Deploy","state":"failed","reason":"","started_at":null,)"
        R"("finished_at":null,"started_by":null,"deployphase_version":null,"phase_file":"deploy.md",)"
        R"("phase_sha256":"abc","context_sha256":null,"rollback_by":null,"steps":[)"
        R"({"index":1,"id":"build","status":"succeeded","attempts":1,"exit_code":0,"duration_ms":120,"reason":"","started_at":null,"finished_at":null},)"
        R"({"index":2,"id":"check","status":"satisfied","attempts":0,"exit_code":null,"duration_ms":0,"reason":"","started_at":null,"finished_at":null},)"
        R"({"index":3,"id":"deploy","status":"failed","attempts":2,"exit_code":2,"duration_ms":35,"reason":"","started_at":null,"finished_at":null},)"
        R"({"index":4,"id":"notify","status":"skipped","attempts":0,"exit_code":null,"duration_ms":0,"reason":"fact notify is missing","started_at":null,"finished_at":null},)"
        R"({"index":5,"id":"handover","status":"pending","attempts":0,"exit_code":null,"duration_ms":0,"reason":"","started_at":null,"finished_at":null}]})");
}

TEST_CASE("run state: format 2 records say when, who started the run and who confirmed",
          "[state]") {
    json begun = started;
    begun["at"] = "2026-11-29T10:00:00.000Z";
    begun["started_by"] = {{"user", "ana"}, {"uid", 1000}, {"host", "ops1"}};
    begun["deployphase_version"] = "0.1.0";
    RunState state = fold(numbered({
        begun,
        {{"type", "step_started"}, {"index", 1}, {"at", "2026-11-29T10:00:01.000Z"}},
        {{"type", "step_awaiting_confirmation"}, {"index", 1}, {"at", "2026-11-29T10:00:01.000Z"}},
        {{"type", "run_finished"},
         {"status", "awaiting-confirmation"},
         {"at", "2026-11-29T10:00:02.000Z"}},
        {{"type", "step_confirmed"},
         {"index", 1},
         {"at", "2026-11-29T10:05:00.000Z"},
         {"by", {{"user", "ben"}, {"uid", 1001}, {"host", "ops2"}}},
         {"reason", "checked the dashboard"}},
    }));
    CHECK(state.started_at == "2026-11-29T10:00:00.000Z");
    CHECK(state.finished_at == "2026-11-29T10:00:02.000Z");
    CHECK(state.started_by["user"] == "ana");
    CHECK(state.deployphase_version == "0.1.0");
    const state::StepState& step = state.steps[0];
    CHECK(step.started_at == "2026-11-29T10:00:01.000Z");
    CHECK(step.confirmed_at == "2026-11-29T10:05:00.000Z");
    CHECK(step.finished_at == "2026-11-29T10:05:00.000Z");
    CHECK(step.confirmed_by["user"] == "ben");
    CHECK(step.confirm_reason == "checked the dashboard");
    CHECK(step.reason.empty());  // what the operator said is not why the step ended
}

TEST_CASE("run state: a runner that died mid-step leaves the step running, the run unfinished",
          "[state]") {
    RunState state = fold(numbered({
        started,
        {{"type", "attempt_started"}, {"index", 1}, {"attempt", 1}},
    }));
    CHECK_FALSE(state.finished);
    CHECK(state.status == RunStatus::running);
    CHECK(state.steps[0].status == StepStatus::running);
    CHECK(state.unfinished_steps() == std::vector<std::size_t>{1, 2, 3, 4, 5});
}

TEST_CASE("run state: manual steps and rollbacks", "[state]") {
    RunState state = fold(numbered({
        started,
        {{"type", "step_awaiting_confirmation"}, {"index", 5}},
        {{"type", "run_finished"}, {"status", "awaiting-confirmation"}},
    }));
    CHECK(state.status == RunStatus::awaiting_confirmation);
    CHECK(state.steps[4].status == StepStatus::awaiting_confirmation);
}

TEST_CASE("run state: a rollback keeps its recorded order and continues where it stopped",
          "[state]") {
    std::vector<json> events = {
        started,
        {{"type", "step_finished"}, {"index", 1}, {"status", "succeeded"}},
        {{"type", "step_finished"}, {"index", 2}, {"status", "succeeded"}},
        {{"type", "step_finished"}, {"index", 3}, {"status", "failed"}},
        {{"type", "rollback_begun"}, {"trigger", "on-failure"}, {"steps", {2, 1, 3}}},
        {{"type", "rollback_script_started"}, {"index", 2}},
        {{"type", "rollback_script_finished"}, {"index", 2}, {"status", "rolled-back"}},
        {{"type", "rollback_script_started"}, {"index", 1}},
        {{"type", "rollback_script_finished"},
         {"index", 1},
         {"status", "failed"},
         {"reason", "exited with 4"}},
        {{"type", "run_finished"}, {"status", "failed"}, {"reason", "the rollback of step 1"}},
    };
    RunState state = fold(numbered(events));
    CHECK(state.rollback_order == std::vector<std::size_t>{2, 1, 3});
    CHECK(state.pending_rollbacks() == std::vector<std::size_t>{1, 3});
    CHECK(state.steps[1].status == StepStatus::rolled_back);
    CHECK(state.steps[0].status == StepStatus::failed);
    CHECK(state.steps[0].reason == "rollback exited with 4");
    CHECK(state.reason == "the rollback of step 1");
    CHECK(state.unfinished());
    CHECK_FALSE(state.resumable());  // forward is no longer an option; `rollback` continues

    for (json event :
         {json{{"type", "run_resumed"}},
          json{{"type", "rollback_script_finished"}, {"index", 1}, {"status", "rolled-back"}},
          json{{"type", "rollback_script_finished"}, {"index", 3}, {"status", "rolled-back"}},
          json{{"type", "run_finished"}, {"status", "rolled-back"}}}) {
        events.push_back(event);
    }
    state = fold(numbered(events));
    CHECK(state.pending_rollbacks().empty());
    CHECK_FALSE(state.unfinished());
    CHECK(state.reason.empty());
    CHECK(status_json(state)["state"] == "rolled-back");
    CHECK(status_json(state)["steps"][0]["status"] == "rolled-back");
    CHECK(status_json(state)["steps"][3]["status"] == "pending");
}

TEST_CASE("run state: a changed context replaces the run's context, outputs are kept apart",
          "[state]") {
    RunState state = fold(numbered({
        started,
        {{"type", "output_recorded"}, {"index", 1}, {"values", {{"release", "v2"}}}},
        {{"type", "context_changed"}, {"context", {{"env", "staging"}, {"release", "v2"}}}},
        {{"type", "output_recorded"}, {"index", 2}, {"values", {{"url", "http://x"}}}},
    }));
    CHECK(state.context ==
          json::parse(R"({"env": "staging", "release": "v2", "url": "http://x"})"));
    CHECK(state.outputs == json::parse(R"({"release": "v2", "url": "http://x"})"));
}

TEST_CASE("run state: records that do not describe a run are refused", "[state]") {
    CHECK(error_of({}) == "the journal records no run");
    CHECK(error_of(numbered({{{"type", "step_skipped"}, {"index", 1}}})) ==
          "record 1: the journal does not begin with run_started");
    CHECK(error_of(numbered({started, {{"type", "step_skipped"}, {"index", 9}}})) ==
          "record 2: no step 9 in this run");
    CHECK(error_of(numbered({started, {{"type", "teleported"}}})) ==
          "record 2: unknown event \"teleported\"");
    CHECK(error_of(numbered({started, {{"type", "run_finished"}, {"status", "vanished"}}})) ==
          "record 2: unknown status \"vanished\"");
    CHECK(error_of(numbered({started, started})) == "record 2: a second run_started");
}

TEST_CASE("run state: every field is read with its type checked, and a wrong one named",
          "[state]") {
    auto with = [](json event) { return error_of(numbered({started, std::move(event)})); };
    CHECK(with({{"type", "step_skipped"}, {"index", -1}}) ==
          "record 2: field \"index\" is a number, not a whole number from 0");
    CHECK(with({{"type", "step_skipped"}, {"index", 1}, {"reason", 7}}) ==
          "record 2: field \"reason\" is a number, not a string");
    CHECK(with({{"type", "attempt_started"}, {"index", 1}, {"attempt", "two"}}) ==
          "record 2: field \"attempt\" is a string, not a whole number from 0");
    CHECK(with({{"type", "attempt_finished"}, {"index", 1}, {"exit_code", 1.5}}) ==
          "record 2: field \"exit_code\" is a number, not a whole number");
    CHECK(with({{"type", "attempt_finished"}, {"index", 1}, {"exit_code", 1LL << 40}}) ==
          "record 2: field \"exit_code\" is out of range");
    CHECK(with({{"type", "attempt_finished"}, {"index", 1}, {"duration_ms", "5s"}}) ==
          "record 2: field \"duration_ms\" is a string, not a whole number");
    CHECK(with({{"type", "output_recorded"}, {"index", 1}, {"values", {1, 2}}}) ==
          "record 2: field \"values\" is an array, not an object");
    CHECK(with({{"type", "context_changed"}, {"context", "x"}}) ==
          "record 2: field \"context\" is a string, not an object");
    CHECK(with({{"type", "rollback_begun"}, {"steps", {"one"}}}) ==
          "record 2: field \"index\" is a string, not a whole number from 0");
    CHECK(with({{"type", "run_finished"}, {"status", true}}) ==
          "record 2: field \"status\" is a boolean, not a string");
    // A killed attempt has no exit code: null reads as none.
    CHECK(error_of(numbered(
              {started, {{"type", "attempt_finished"}, {"index", 1}, {"exit_code", nullptr}}})) ==
          "no error");
}
