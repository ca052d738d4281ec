#include <catch2/catch.hpp>

#include <deployphase/phase/loader.hpp>
#include <deployphase/plan/plan_json.hpp>
#include <deployphase/support/digest.hpp>

using namespace deployphase;
using nlohmann::json;

namespace {

const char* tiny =
    "# Phase: Tiny\n"
    "## Steps Sequence\n"
    "1. **a** - first [if ready]\n"
    "2. **b** - second [if hasContext('x.y') && !frozen()]\n"
    "3. **c** - third\n"
    "## Validation Logic\n"
    "```js\n"
    "canExecutePhase() { return isApproved(); }\n"
    "```\n";

}  // namespace

TEST_CASE("plan json: every field", "[plan][json]") {
    phase::LoadedPhase loaded = phase::load_phase(SourceFile::from_text("tiny.md", tiny));
    plan::Plan plan = plan::make_plan(
        loaded.phase, loaded.logic,
        json::parse(R"j({"approved": true, "ready": 0, "x": {"y": "z"}})j"), context::Secrets{});
    json actual = json::parse(plan::plan_to_json(plan).dump());
    json expected = json::parse(R"j({
      "format_version": 1,
      "phase": "Tiny",
      "decision": "run",
      "reason": "no shouldSkipPhase() is defined, canExecutePhase() is true",
      "predicates": {"canExecutePhase": true},
      "trace": [
        {"depth": 0, "call": "canExecutePhase()", "result": true, "line": 8, "column": 1},
        {"depth": 1, "call": "isApproved()", "result": true, "key": "approved", "value": true,
         "missing": false, "line": 8, "column": 28}
      ],
      "facts": [
        {"name": "approved", "value": true, "missing": false, "used": true},
        {"name": "ready", "value": 0, "missing": false, "used": true},
        {"name": "x.y", "value": "z", "missing": false, "used": true},
        {"name": "frozen", "value": null, "missing": true, "used": true}
      ],
      "steps": [
        {"index": 1, "id": "a", "will_run": false, "guard": "ready", "guard_kind": "fact",
         "reason": "fact ready is 0", "action": "confirm", "recorded": null, "decided_after": null,
         "trace": [{"depth": 0, "call": "ready", "result": false, "key": "ready", "value": 0,
                    "missing": false, "line": 3, "column": 22}]},
        {"index": 2, "id": "b", "will_run": true, "guard": "hasContext('x.y') && !frozen()",
         "guard_kind": "expression", "reason": "guard is true", "action": "confirm",
         "recorded": null, "decided_after": null,
         "trace": [{"depth": 0, "call": "hasContext('x.y')", "result": true, "key": "x.y",
                    "value": "z", "missing": false, "line": 4, "column": 23},
                   {"depth": 0, "call": "frozen()", "result": false, "key": "frozen", "value": null,
                    "missing": true, "line": 4, "column": 45}]},
        {"index": 3, "id": "c", "will_run": true, "guard": null, "guard_kind": null,
         "reason": "no guard", "action": "confirm", "recorded": null, "decided_after": null, "trace": []}
      ]
    })j");
    for (const auto& [key, value] : expected.items()) {
        INFO(key);
        CHECK(actual.at(key) == value);
    }
    CHECK(actual.size() == expected.size());
    // The order of fields is part of what people read.
    std::vector<std::string> order;
    nlohmann::ordered_json ordered = plan::plan_to_json(plan);
    for (const auto& [key, value] : ordered.items())
        order.push_back(key);
    CHECK(order == std::vector<std::string>{"format_version", "phase", "decision", "reason",
                                            "predicates", "trace", "facts", "steps"});
}

TEST_CASE("plan json: the fingerprint of a saved plan", "[plan][json]") {
    phase::LoadedPhase loaded = phase::load_phase(SourceFile::from_text("tiny.md", tiny));
    json context = json::parse(R"j({"b": [1, 2], "a": {"k": "v"}})j");
    plan::Plan plan = plan::make_plan(loaded.phase, loaded.logic, context, context::Secrets{});
    auto print = plan::fingerprint("tiny.md", loaded.sha256(), context);
    json saved = json::parse(plan::plan_to_json(plan, print).dump());
    CHECK(
        saved["fingerprint"] ==
        json{{"phase_file", "tiny.md"},
             {"phase_sha256", sha256_hex(tiny)},
             {"context_sha256", sha256_hex(R"j({"a":{"k":"v"},"b":[1,2]})j")},
             {"context_keys", {{"a", sha256_hex(R"j({"k":"v"})j")}, {"b", sha256_hex("[1,2]")}}}});
}

TEST_CASE("digest: SHA-256 of known inputs", "[plan]") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
