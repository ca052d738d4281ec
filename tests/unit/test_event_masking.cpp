#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <deployphase/state/event_masking.hpp>

using deployphase::context::Secrets;
using deployphase::state::mask_event;
using nlohmann::json;

TEST_CASE("event masking: contexts by key, everything else by known value", "[secrets]") {
    Secrets secrets({"custom"});
    json context = {{"DB_PASSWORD", "hunter2-pw"}, {"custom", "c-value"}, {"release", "v1"}};
    secrets.learn(context);
    json started = {{"type", "run_started"},
                    {"context", context},
                    {"secret_keys", {"custom"}},
                    {"steps", {{{"id", "deploy"}}}}};
    CHECK(mask_event(started, secrets) ==
          json{{"type", "run_started"},
               {"context", {{"DB_PASSWORD", "***"}, {"custom", "***"}, {"release", "v1"}}},
               {"secret_keys", {"custom"}},
               {"steps", {{{"id", "deploy"}}}}});

    json output = {{"type", "output_recorded"},
                   {"index", 2},
                   {"values", {{"session_token", "sess-1"}, {"url", "db://u:hunter2-pw@h"}}},
                   {"problems", {"line 3: hunter2-pw is not KEY=VALUE"}}};
    CHECK(mask_event(output, secrets) ==
          json{{"type", "output_recorded"},
               {"index", 2},
               {"values", {{"session_token", "***"}, {"url", "db://u:***@h"}}},
               {"problems", {"line 3: *** is not KEY=VALUE"}}});

    // A field that is not a context is not masked by its key: "reason" is no secret name, and
    // a key-like field such as secret_keys keeps its names.
    json finished = {{"type", "step_started"}, {"index", 1}, {"reason", "fact custom is c-value"}};
    CHECK(mask_event(finished, secrets)["reason"] == "fact custom is ***");
}
