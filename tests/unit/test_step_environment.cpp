#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <deployphase/run/scripts.hpp>
#include <deployphase/run/step_environment.hpp>
#include <deployphase/run/subprocess.hpp>
#include <deployphase/support/errors.hpp>

#include "test_support.hpp"

using namespace deployphase;
using namespace deployphase::run;
using nlohmann::json;

TEST_CASE("step environment: names for context variables", "[environment]") {
    CHECK(context_variable_name("region") == "DEPLOYPHASE_CTX_REGION");
    CHECK(context_variable_name("change.approved") == "DEPLOYPHASE_CTX_CHANGE_APPROVED");
    CHECK(context_variable_name("api-key2") == "DEPLOYPHASE_CTX_API_KEY2");
    CHECK(context_variable_name("r\xC3\xA9gion") == "DEPLOYPHASE_CTX_R__GION");
}

TEST_CASE("step environment: inherited, ours, then one variable per scalar context value",
          "[environment]") {
    json context = json::parse(R"j({
        "region": "eu-west", "replicas": 3, "canary": false, "ratio": 0.5, "nothing": null,
        "list": [1], "nested": {"a": 1}, "cmd": "$(touch pwned); `id`", "with\u0000nul": "x",
        "nul": "a\u0000b", "a-b": "first", "a_b": "second"})j");
    std::vector<std::string> env = step_environment(
        {"PATH=/usr/bin:/bin", "HOME=/root", "DEPLOYPHASE_STEP=stale", "DEPLOYPHASE_CTX_OLD=1"},
        {"run-7", "Deploy", 3, "deploy", 2, "rollback"}, context, "/state/context.json",
        "/state/output-3");
    CHECK(env == std::vector<std::string>{
                     "PATH=/usr/bin:/bin",
                     "HOME=/root",
                     "DEPLOYPHASE_RUN_ID=run-7",
                     "DEPLOYPHASE_PHASE=Deploy",
                     "DEPLOYPHASE_STEP=deploy",
                     "DEPLOYPHASE_STEP_INDEX=3",
                     "DEPLOYPHASE_ATTEMPT=2",
                     "DEPLOYPHASE_ACTION=rollback",
                     "DEPLOYPHASE_CONTEXT_FILE=/state/context.json",
                     "DEPLOYPHASE_OUTPUT=/state/output-3",
                     "DEPLOYPHASE_CTX_A_B=second",
                     "DEPLOYPHASE_CTX_CANARY=false",
                     "DEPLOYPHASE_CTX_CMD=$(touch pwned); `id`",
                     "DEPLOYPHASE_CTX_RATIO=0.5",
                     "DEPLOYPHASE_CTX_REGION=eu-west",
                     "DEPLOYPHASE_CTX_REPLICAS=3",
                     "DEPLOYPHASE_CTX_WITH_NUL=x",
                 });
}

TEST_CASE("step output: KEY=VALUE lines with the rules of --set", "[environment]") {
    StepOutput output = parse_step_output(
        "release=v2.4.1\n"
        "healthy=true\n"
        "\n"
        "replicas=3\r\n"
        "version=\"1.10\"\n"
        "db.migrated=false\n"
        "no equals sign here\n"
        "url=http://127.0.0.1:8080/?a=b\n"
        "=value\n"
        "last=no newline at end");
    CHECK(output.values == json::parse(R"j({"release": "v2.4.1", "healthy": true, "replicas": 3,
        "version": "1.10", "db": {"migrated": false}, "url": "http://127.0.0.1:8080/?a=b",
        "last": "no newline at end"})j"));
    CHECK(output.problems == std::vector<std::string>{
                                 "line 7: expected KEY=VALUE",
                                 "line 9: '' is not a usable key; use a name or a dotted path "
                                 "such as change.approved",
                             });
}

TEST_CASE(
    "step environment: a hostile context value reaches the script unchanged and "
    "unexecuted",
    "[environment][subprocess]") {
    namespace fs = std::filesystem;
    deployphase::test::TempDir temp;
    const fs::path& dir = temp.path;
    const std::string hostile = "$(touch pwned); `touch pwned2`; ' \" \\ \n; touch pwned3";
    json context = {{"cmd", hostile}};
    ProcessSpec spec;
    spec.argv = {"sh", "-c", "printf '%s' \"$DEPLOYPHASE_CTX_CMD\" > got"};
    spec.environment = step_environment({"PATH=/usr/bin:/bin"}, {"r", "P", 1, "s", 1}, context,
                                        dir / "context.json", dir / "output");
    spec.workdir = dir;
    spec.log_file = dir / "log";
    const InterruptFlag none{0};
    ProcessResult result = run_process(spec, none);
    CHECK(result.exit_code == 0);
    std::ifstream in(dir / "got", std::ios::binary);
    std::string got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(got == hostile);
    CHECK_FALSE(fs::exists(dir / "pwned"));
    CHECK_FALSE(fs::exists(dir / "pwned2"));
    CHECK_FALSE(fs::exists(dir / "pwned3"));
}

TEST_CASE("step environment: a value longer than Linux lets one variable hold is refused",
          "[environment]") {
    using nlohmann::json;
    // DEPLOYPHASE_CTX_V= is 18 bytes: the longest value that fits is 131071 - 18.
    std::string longest(max_environment_entry - 18, 'x');
    const phase::Phase no_steps;
    CHECK_NOTHROW(require_environment_fits(json{{"v", longest}, {"nested", {{"v", longest + "x"}}}},
                                           {}, no_steps));
    CHECK_THROWS_WITH(require_environment_fits(json{{"v", longest + "x"}}, {}, no_steps),
                      "context key v: error: its value is 131072 bytes as DEPLOYPHASE_CTX_V=...; a "
                      "step's environment holds at most 131071 bytes in one variable (Linux's "
                      "limit): keep large data in a file and put its path in the context");

    StepOutput output = parse_step_output("v=" + longest + "x\nw=ok\nv.inner=" + longest + "x\n");
    CHECK(output.values == json{{"w", "ok"}, {"v", {{"inner", longest + "x"}}}});
    REQUIRE(output.problems.size() == 1);
    CHECK(output.problems[0].starts_with("line 1: v is 131072 bytes as DEPLOYPHASE_CTX_V=...;"));
}

TEST_CASE(
    "step environment: all values, the inherited environment and the longest script "
    "together must fit what Linux starts a program with",
    "[environment]") {
    using nlohmann::json;
    const std::size_t limit = exec_limit();
    CHECK(limit >= 32 * 4096);
    CHECK(limit <= 6 * 1024 * 1024);
    // Each value fits alone; together they are more than the limit.
    std::string value(100000, 'x');
    json context = json::object();
    for (std::size_t i = 0; i * value.size() <= limit; ++i)
        context["k" + std::to_string(i)] = value;
    const phase::Phase no_steps;
    std::string error;
    try {
        require_environment_fits(context, {"PATH=/bin"}, no_steps);
    } catch (const InputError& e) {
        error = e.what();
    }
    CHECK(error.starts_with("step environment: error: a step would start with "));
    CHECK(error.find(fmt::format("Linux starts a program with at most {}: keep large data in a "
                                 "file",
                                 limit)) != std::string::npos);
    // Half of it is fine, unless the phase has a script as long as the rest.
    json half = json::object();
    for (std::size_t i = 0; i * value.size() * 2 <= limit; ++i)
        half["k" + std::to_string(i)] = value;
    CHECK_NOTHROW(require_environment_fits(half, {"PATH=/bin"}, no_steps));
    phase::Phase long_script;
    long_script.steps.push_back(phase::Step{});
    long_script.steps[0].rollback =
        phase::Script{"sh", std::string(limit / 2 + 10000, ':'), {}, {}};
    CHECK_THROWS_AS(require_environment_fits(half, {"PATH=/bin"}, long_script), InputError);
    // What run_process would be given counts the same way: pointers and NULs included.
    CHECK(exec_size({"sh", "-c", "true"}, {"A=1"}) == 4 * sizeof(char*) + 3 + 3 + 5 + 4);
}

TEST_CASE("step environment: a step too large to start fails with its size, not exit 127",
          "[environment]") {
    ProcessSpec spec;
    spec.argv = {"sh", "-c", "true"};
    spec.environment = {std::string(exec_limit(), 'x')};
    InterruptFlag interrupt{0};
    ProcessResult result = run_process(spec, interrupt);
    CHECK(result.ending == ProcessResult::Ending::too_large);
    CHECK(result.exec_bytes == exec_size(spec.argv, spec.environment));
    phase::Script script{"sh", "true", {}, {}};
    CHECK(describe_ending(result, script) ==
          fmt::format("not started: its environment and script are {} bytes, more than the {} "
                      "Linux starts a program with; keep large data in a file and put its path "
                      "in the context",
                      result.exec_bytes, exec_limit()));
}

TEST_CASE("step environment: an output line that is not UTF-8 makes the whole output unusable",
          "[environment]") {
    StepOutput output = parse_step_output("a=1\nb=\xff\xfe\nc=3\n");
    CHECK(output.values.empty());
    REQUIRE(output.unusable);
    CHECK(*output.unusable ==
          "line 2 of its output is not valid UTF-8 (byte 0xFF at byte 3); "
          "nothing it output was used");
    // A NUL byte only loses its line.
    output = parse_step_output(std::string("a=1\nb=x\0y\nc=3\n", 14));
    CHECK_FALSE(output.unusable);
    CHECK(output.values == nlohmann::json{{"a", 1}, {"c", 3}});
    CHECK(output.problems == std::vector<std::string>{"line 2: a NUL byte; ignored"});
}
