#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include <deployphase/phase/json_form.hpp>
#include <deployphase/phase/loader.hpp>
#include <deployphase/support/errors.hpp>

#include "phase_dump.hpp"

using namespace deployphase;

namespace {

phase::Phase load_either_form(std::string text, std::string name) {
    return phase::load_phase(SourceFile::from_text(std::move(name), std::move(text))).phase;
}

}  // namespace

TEST_CASE("json form: a generated phase, with defaults filled in", "[json]") {
    phase::Phase p =
        load_either_form(test::read_fixture("phases/generated.json"), "generated.json");
    CHECK(test::dump_phase(p) ==
          "name: Generated Rollout\n"
          "title: Generated Rollout\n"
          "step 1 render-config @5:13\n"
          "  description: Render the configuration\n"
          "step 2 push-config @6:13\n"
          "  guard: [if config changed] condition: config changed @6:51\n"
          "  annotation: idempotent\n"
          "step 3 reload @7:13\n"
          "  description: Reload the service\n"
          "  guard: [conditional: if reload needed] condition: reload needed @8:71\n"
          "validation: javascript @10:29\n"
          "  | canExecutePhase() { return true; }\n"
          "section purpose \"Purpose\" @12:5\n"
          "  text: Roll out generated configuration.\n"
          "section other \"Owners\" @13:5\n"
          "  item: platform team\n");
}

TEST_CASE("json form: the exact document `show --output json` writes", "[json]") {
    phase::Phase p = load_either_form(
        "# Phase: Tiny\n## Steps Sequence\n1. **a** - first [if ready] [manual]\n"
        "## Validation Logic\n```js\nf() { return x(); }\n```\n## Notes\n- n\n",
        "tiny.md");
    CHECK(
        phase::phase_to_json(p).dump() ==
        R"({"format_version":1,"file":"tiny.md","name":"Tiny","title":"Phase: Tiny","summary":"",)"
        R"("steps":[{"index":1,"id":"a","description":"first","guard":{"text":"if ready",)"
        R"("condition":"ready","line":3,"column":22},"annotations":["manual"],"run":null,)"
        R"("rollback":null,"check":null,"retries":0,"retry_delay":"0ms","line":3,"column":6}],)"
        R"j("validation":{"language":"js","source":"f() { return x(); }\n","line":6,"column":1},)j"
        R"("sections":[{"kind":"notes","title":"Notes","text":"","items":["n"],"line":8,"column":1}]})");
}

TEST_CASE("json form: Markdown -> JSON -> model gives the same phase", "[json]") {
    std::vector<std::pair<std::string, std::string>> documents;
    for (const char* name :
         {"bullet-title.md", "colon-title.md", "dash-title.md", "mojibake-title.md",
          "repeated-ids.md", "multi-block-steps.md", "actions.md"}) {
        documents.emplace_back(name, test::read_fixture(std::string("phases/") + name));
    }
    for (const auto& [name, markdown] : documents) {
        INFO(name);
        phase::Phase original = load_either_form(markdown, name);
        std::string json = phase::phase_to_json(original).dump(2);
        phase::Phase again = load_either_form(json, name + ".json");
        CHECK(test::dump_phase(again, test::Positions::hidden) ==
              test::dump_phase(original, test::Positions::hidden));
        // Writing the re-read phase gives the same document, but for where things came from.
        auto strip = [](nlohmann::ordered_json j) {
            j.erase("file");
            for (auto& s : j["steps"]) {
                s.erase("line");
                s.erase("column");
                for (const char* role : {"run", "rollback", "check"}) {
                    if (s[role].is_object()) {
                        s[role].erase("line");
                        s[role].erase("column");
                    }
                }
                if (s["guard"].is_object()) {
                    s["guard"].erase("line");
                    s["guard"].erase("column");
                }
            }
            if (j["validation"].is_object()) {
                j["validation"].erase("line");
                j["validation"].erase("column");
            }
            for (auto& s : j["sections"]) {
                s.erase("line");
                s.erase("column");
            }
            return j;
        };
        CHECK(strip(phase::phase_to_json(again)) == strip(phase::phase_to_json(original)));
    }
}

TEST_CASE("json form: a .json file on disk is read as the JSON form", "[json]") {
    auto path = std::filesystem::temp_directory_path() / "deployphase-json-form-test.JSON";
    {
        std::ofstream out(path);
        out << test::read_fixture("phases/generated.json");
    }
    auto loaded = phase::load_phase(path.string());
    std::filesystem::remove(path);
    CHECK(loaded.phase.name == "Generated Rollout");
    CHECK(loaded.phase.steps.size() == 3);
}

TEST_CASE("json form: the validation language follows the Markdown rule", "[json]") {
    auto language_of = [](const std::string& language) {
        return load_either_form(R"({"format_version": 1, "name": "x", "steps": [{"id": "a"}],)"
                                R"( "validation": {"language": ")" +
                                    language + R"j(", "source": "f() { return true; }"}})j",
                                "p.json")
            .validation->language;
    };
    CHECK(language_of("JavaScript") == "JavaScript");
    CHECK(language_of("JS") == "JS");
    CHECK(language_of("") == "");
    CHECK_THROWS_AS(language_of("python"), InputError);
    CHECK(load_either_form(
              "# Phase: x\n## Steps Sequence\n1. **a**\n## Validation Logic\n```JS\nf() { "
              "return true; }\n```\n",
              "p.md")
              .validation->language == "JS");
}

TEST_CASE("json form: scripts, retries and their errors", "[json][actions]") {
    phase::Phase p = load_either_form(
        R"j({"format_version": 1, "name": "x", "steps": [
             {"id": "a", "run": {"script": "make", "timeout": "2m"}, "retries": 3, "retry_delay": "1s",
              "rollback": {"shell": "bash", "script": "undo"}}]})j",
        "p.json");
    REQUIRE(p.steps[0].run.has_value());
    CHECK(p.steps[0].run->shell == "sh");
    CHECK(p.steps[0].run->timeout == std::chrono::milliseconds(120000));
    CHECK(p.steps[0].retries == 3);
    CHECK(p.steps[0].retry_delay == std::chrono::milliseconds(1000));
    CHECK(p.steps[0].rollback->shell == "bash");
    CHECK_FALSE(p.steps[0].check.has_value());

    try {
        load_either_form(R"j({"format_version": 1, "name": "x", "steps": [
             {"id": "a", "run": {"shell": "zsh", "script": " ", "timeout": "soon"}, "retries": -1}]})j",
                         "p.json");
        FAIL("expected errors");
    } catch (const InputError& e) {
        std::string messages;
        for (const auto& d : e.diagnostics()) {
            messages += std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + " " +
                        d.message + "\n";
        }
        CHECK(messages ==
              "2:43 shell must be \"sh\" or \"bash\", not \"zsh\"\n"
              "2:60 the script is empty; write `true` for a step that does nothing\n"
              "2:76 invalid duration \"soon\"; use a whole number with ms, s, m or h, as in 10m\n"
              "2:96 retries must be a whole number from 0 to 100, not -1\n");
    }
}
