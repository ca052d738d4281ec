#include <catch2/catch.hpp>

#include <deployphase/predicate/fact_naming.hpp>

using namespace deployphase::predicate;

TEST_CASE("fact naming: calls drop a leading is/has before a capital, then snake_case",
          "[predicate]") {
    CHECK(derived_fact_key("isDevelopmentOnly") == "development_only");
    CHECK(derived_fact_key("hasCodeChanges") == "code_changes");
    CHECK(derived_fact_key("isNewFeatureRelease") == "new_feature_release");
    CHECK(derived_fact_key("projectIsComplete") == "project_is_complete");
    CHECK(derived_fact_key("hasAPIKey") == "api_key");
    CHECK(derived_fact_key("isV2Enabled") == "v2_enabled");
    CHECK(derived_fact_key("island") == "island");         // "is" not followed by a capital
    CHECK(derived_fact_key("hashValid") == "hash_valid");  // nor "has"
    CHECK(derived_fact_key("is") == "is");
    CHECK(derived_fact_key("already_deployed") == "already_deployed");
}

TEST_CASE("fact naming: guard phrases", "[predicate]") {
    CHECK(fact_key_for_phrase("environment setup required") == "environment_setup_required");
    CHECK(fact_key_for_phrase("security-sensitive") == "security_sensitive");
    CHECK(fact_key_for_phrase("unit tests exist/required") == "unit_tests_exist_required");
    CHECK(fact_key_for_phrase("  Data   Persistence ") == "data_persistence");
    CHECK(fact_key_for_phrase("v2 API?") == "v2_api");
    CHECK(fact_key_for_phrase("--").empty());
}

TEST_CASE("fact naming: which guards are expressions", "[predicate]") {
    CHECK(is_expression_guard("hasContext('x')"));
    CHECK(is_expression_guard("!maintenance"));
    CHECK(is_expression_guard("a && b"));
    CHECK(is_expression_guard("a || b"));
    CHECK_FALSE(is_expression_guard("monitoring required"));
    CHECK_FALSE(is_expression_guard("security-sensitive & approved"));
}
