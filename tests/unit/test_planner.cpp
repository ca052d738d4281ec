// The phase decision and every guard of the user's seed phase, over contexts that flip each
// of them. The same table runs over the shipped phase, which must decide identically.

#include <catch2/catch.hpp>

#include <filesystem>

#include <deployphase/phase/loader.hpp>
#include <deployphase/plan/plan.hpp>
#include <deployphase/plan/plan_json.hpp>

using namespace deployphase;
using nlohmann::json;

namespace {

struct Row {
    const char* what;
    const char* context;  // JSON
    const char* decision;
    const char* will_run;  // one digit per step, 1 = will run
};

// "ready": validated, production and a code change; the least that makes the phase run.
#define READY \
    R"j("validated_implementation": true, "production_environment": true, "code_changes": true)j"

const Row rows[] = {
    {"an empty context is blocked", "{}", "blocked", "00000000"},
    {"the least that runs: only unguarded steps", "{" READY "}", "run", "01011001"},
    {"environment setup required", "{" READY R"j(, "environment_setup_required": true})j", "run",
     "11011001"},
    {"monitoring required", "{" READY R"j(, "monitoring_required": true})j", "run", "01111001"},
    {"data persistence", "{" READY R"j(, "data_persistence": true})j", "run", "01011101"},
    {"team handover required", "{" READY R"j(, "team_handover_required": true})j", "run",
     "01011011"},
    {"every guard true",
     "{" READY R"j(, "environment_setup_required": 1, "monitoring_required": "yes",
      "data_persistence": [0], "team_handover_required": {}})j",
     "run", "11111111"},
    {"a guard fact that is 0 is false", "{" READY R"j(, "monitoring_required": 0})j", "run",
     "01011001"},
    {"development only skips", "{" READY R"j(, "development_only": true})j", "skip", "00000000"},
    {"documentation only skips", "{" READY R"j(, "documentation_only": true})j", "skip",
     "00000000"},
    {"configuration only skips", "{" READY R"j(, "configuration_only": true})j", "skip",
     "00000000"},
    {"already deployed skips", "{" READY R"j(, "already_deployed": true})j", "skip", "00000000"},
    {"the exact key isDevelopmentOnly is read first", "{" READY R"j(, "isDevelopmentOnly": true})j",
     "skip", "00000000"},
    {"an exact key wins even when false",
     "{" READY R"j(, "isDevelopmentOnly": false, "development_only": true})j", "run", "01011001"},
    {"skip is decided before blocked", R"j({"development_only": true})j", "skip", "00000000"},
    {"an empty string is false", "{" READY R"j(, "development_only": ""})j", "run", "01011001"},
    {"an explicit false is false", "{" READY R"j(, "already_deployed": false})j", "run",
     "01011001"},
    {"no production environment blocks",
     R"j({"validated_implementation": true, "code_changes": true})j", "blocked", "00000000"},
    {"no validated implementation blocks",
     R"j({"production_environment": "eu", "code_changes": true})j", "blocked", "00000000"},
    {"no change to deploy blocks",
     R"j({"validated_implementation": true, "production_environment": true})j", "blocked",
     "00000000"},
    {"infrastructure changes",
     R"j({"validated_implementation": true, "production_environment": true, "infrastructure_changes": true})j",
     "run", "01011001"},
    {"configuration changes",
     R"j({"validated_implementation": true, "production_environment": true, "configuration_changes": true})j",
     "run", "01011001"},
    {"a new feature release",
     R"j({"validated_implementation": true, "production_environment": true, "new_feature_release": true})j",
     "run", "01011001"},
    {"code changes 0",
     R"j({"validated_implementation": true, "production_environment": true, "code_changes": 0})j",
     "blocked", "00000000"},
    {"code changes \"\"",
     R"j({"validated_implementation": true, "production_environment": true, "code_changes": ""})j",
     "blocked", "00000000"},
    {"code changes null",
     R"j({"validated_implementation": true, "production_environment": true, "code_changes": null})j",
     "blocked", "00000000"},
    {"code changes [] (empty arrays are true)",
     R"j({"validated_implementation": true, "production_environment": true, "code_changes": []})j",
     "run", "01011001"},
    {"code changes {} (empty objects are true)",
     R"j({"validated_implementation": true, "production_environment": true, "code_changes": {}})j",
     "run", "01011001"},
    {"code changes \"false\" (a non-empty string is true)",
     R"j({"validated_implementation": true, "production_environment": true, "code_changes": "false"})j",
     "run", "01011001"},
    {"a nested object counts as present",
     R"j({"validated_implementation": {"tests": "passed"}, "production_environment": true, "code_changes": 1})j",
     "run", "01011001"},
    {"production environment 0 blocks",
     R"j({"validated_implementation": true, "production_environment": 0, "code_changes": true})j",
     "blocked", "00000000"},
};

std::vector<std::string> phase_paths() {
    std::vector<std::string> paths{std::string(DEPLOYPHASE_PHASES_DIR) +
                                   "/deployment-operations.md"};
    std::string seed = std::string(DEPLOYPHASE_SHARED_DIR) + "/seeds/deployment-operations.md";
    if (std::filesystem::exists(seed)) paths.push_back(seed);
    return paths;
}

// The shipped phase's scripts declare they need these (needs=); without them it is blocked
// whatever its Validation Logic says. The rows test that logic, so they get them.
json with_script_needs(json context) {
    context.emplace("deploy_target", "/srv/app");
    context.emplace("release_version", "1.0.0");
    return context;
}

std::string will_run(const plan::Plan& plan) {
    std::string out;
    for (const auto& step : plan.steps)
        out += step.will_run ? '1' : '0';
    return out;
}

}  // namespace

TEST_CASE("planner: the seed phase's decision and guards over 31 contexts", "[plan]") {
    auto paths = phase_paths();
    if (paths.size() < 2)
        WARN("seed not found under " DEPLOYPHASE_SHARED_DIR "; shipped phase only");
    for (const std::string& path : paths) {
        phase::LoadedPhase loaded = phase::load_phase(path);
        for (const Row& row : rows) {
            INFO(path << ": " << row.what << ": " << row.context);
            plan::Plan plan =
                plan::make_plan(loaded.phase, loaded.logic,
                                with_script_needs(json::parse(row.context)), context::Secrets{});
            CHECK(plan::decision_name(plan.decision) == row.decision);
            CHECK(will_run(plan) == row.will_run);
        }
    }
}

TEST_CASE("planner: reasons name the decision, each guard's fact and its value", "[plan]") {
    phase::LoadedPhase loaded =
        phase::load_phase(std::string(DEPLOYPHASE_PHASES_DIR) + "/deployment-operations.md");
    auto reasons = [&](const char* context) {
        plan::Plan plan =
            plan::make_plan(loaded.phase, loaded.logic, with_script_needs(json::parse(context)),
                            context::Secrets{});
        std::string out =
            std::string(plan::decision_name(plan.decision)) + ": " + plan.reason + "\n";
        for (const auto& step : plan.steps)
            out += step.id + ": " + step.reason + "\n";
        return out;
    };
    CHECK(reasons("{" READY R"j(, "monitoring_required": 0, "data_persistence": "nightly"})j") ==
          "run: shouldSkipPhase() is false, canExecutePhase() is true\n"
          "prepare-deployment-environment: fact environment_setup_required is missing\n"
          "deploy-with-monitoring: no guard\n"
          "setup-alerts-monitoring: fact monitoring_required is 0\n"
          "verify-production-deployment: no guard\n"
          "update-documentation: no guard\n"
          "setup-backup-recovery: fact data_persistence is \"nightly\"\n"
          "train-operations-team: fact team_handover_required is missing\n"
          "create-rollback-plan: no guard\n");
    CHECK(reasons(R"j({"already_deployed": 1})j")
              .starts_with("skip: shouldSkipPhase() is true\nprepare-deployment-environment: the "
                           "phase is skipped\n"));
    CHECK(
        reasons("{}").starts_with("blocked: canExecutePhase() is "
                                  "false\nprepare-deployment-environment: the phase is blocked\n"));
}

TEST_CASE("planner: facts read, missing, and never reached", "[plan]") {
    phase::LoadedPhase loaded =
        phase::load_phase(std::string(DEPLOYPHASE_PHASES_DIR) + "/deployment-operations.md");
    plan::Plan plan = plan::make_plan(
        loaded.phase, loaded.logic,
        with_script_needs(json::parse("{" READY R"j(, "monitoring_required": true})j")),
        context::Secrets{});
    std::string out;
    for (const auto& fact : plan.facts) {
        out += fact.name + (fact.used ? " read" : " unread") +
               (fact.missing ? " missing" : " " + fact.value.dump()) + "\n";
    }
    CHECK(out ==
          "validated_implementation read true\n"
          "production_environment read true\n"
          "development_only read missing\n"
          "documentation_only read missing\n"
          "configuration_only read missing\n"
          "already_deployed read missing\n"
          "code_changes read true\n"
          "infrastructure_changes unread missing\n"
          "configuration_changes unread missing\n"
          "new_feature_release unread missing\n"
          "environment_setup_required read missing\n"
          "monitoring_required read true\n"
          "data_persistence read missing\n"
          "team_handover_required read missing\n"
          "deploy_target read \"/srv/app\"\n"
          "release_version read \"1.0.0\"\n");
    std::vector<std::string> missing;
    for (const auto* fact : plan.missing_used_facts())
        missing.push_back(fact->name);
    CHECK(missing == std::vector<std::string>{"development_only", "documentation_only",
                                              "configuration_only", "already_deployed",
                                              "environment_setup_required", "data_persistence",
                                              "team_handover_required"});
}

TEST_CASE("planner: a phase without validation logic always runs", "[plan]") {
    phase::LoadedPhase loaded = phase::load_phase(SourceFile::from_text(
        "p.md", "# Phase: P\n## Steps Sequence\n1. **a**\n2. **b** [if go]\n"));
    plan::Plan plan =
        plan::make_plan(loaded.phase, loaded.logic, json::object(), context::Secrets{});
    CHECK(plan.decision == plan::Decision::run);
    CHECK(plan.reason == "no shouldSkipPhase() is defined, no canExecutePhase() is defined");
    CHECK(will_run(plan) == "10");
    CHECK(plan.predicates.empty());
    CHECK(plan.trace.empty());
}

TEST_CASE("planner: long values are shortened, never inside a character", "[plan]") {
    CHECK(plan::short_value(json("short")) == "\"short\"");
    CHECK(plan::short_value(json(std::string(100, 'a'))) == "\"" + std::string(56, 'a') + "...");
    // 55 ASCII bytes, then 'é' (2 bytes) straddling the cut at byte 57.
    std::string text = "\"" + std::string(55, 'a') + "\xC3\xA9" + std::string(40, 'b') + "\"";
    std::string shortened = plan::short_value(json::parse(text));
    CHECK(shortened == "\"" + std::string(55, 'a') + "...");
}

TEST_CASE("planner: secrets are evaluated as they are and shown masked", "[plan][secrets]") {
    phase::LoadedPhase loaded = phase::load_phase(SourceFile::from_text(
        "p.md",
        "# Phase: P\n## Steps Sequence\n1. **a** [if deploy_token]\n"
        "2. **b** [if hasContext('db.pass') && hasContext('note')]\n3. **c** [if empty_token]\n"));
    const std::string secret(80, 'k');  // longer than a reason quotes before cutting it
    json context = {{"deploy_token", secret},
                    {"db", {{"pass", "pw-123"}}},
                    {"note", "token " + secret},
                    {"empty_token", ""}};
    context::Secrets secrets({"db.pass"});
    secrets.learn(context);
    plan::Plan plan = plan::make_plan(loaded.phase, loaded.logic, context, secrets);
    // Decided on the real values: the empty secret is falsy.
    CHECK(will_run(plan) == "110");
    CHECK(plan.steps[0].reason == "fact deploy_token is \"***\"");
    CHECK(plan.steps[2].reason == "fact empty_token is \"\"");
    std::string shown = plan::plan_to_json(plan).dump();
    CHECK(shown.find("kkkkkkkkkk") == std::string::npos);
    CHECK(shown.find("pw-123") == std::string::npos);
    CHECK(shown.find("\"token ***\"") != std::string::npos);
    // Without the secrets, the same plan shows the values: the check above can fail.
    std::string plain =
        plan::plan_to_json(plan::make_plan(loaded.phase, loaded.logic, context, context::Secrets{}))
            .dump();
    CHECK(plain.find("pw-123") != std::string::npos);
}
