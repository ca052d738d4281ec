#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <deployphase/context/context.hpp>
#include <deployphase/support/errors.hpp>

#include "phase_dump.hpp"
#include "test_support.hpp"

using namespace deployphase;
using nlohmann::json;

namespace {

struct TempDir : test::TempDir {
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name) << text;
        return (path / name).string();
    }
};

std::string error_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const InputError& e) {
        return test::dump_diagnostics(e.diagnostics());
    }
    return "no error";
}

}  // namespace

TEST_CASE("context: later files deep-merge over earlier ones", "[context]") {
    TempDir dir;
    std::string base =
        dir.write("base.json", R"j({"a": {"x": 1, "y": [1, 2]}, "b": true, "c": {"k": 1}})j");
    std::string over =
        dir.write("over.json", R"j({"a": {"y": [3], "z": null}, "b": {"now": "object"}, "c": 5})j");
    json context = context::load_context({base, over}, {});
    CHECK(context ==
          json::parse(R"j({"a": {"x": 1, "y": [3], "z": null}, "b": {"now": "object"}, "c": 5})j"));
}

TEST_CASE("context: --set values are JSON when they parse, strings otherwise", "[context]") {
    json context = json::object();
    context::apply_assignment(context, "flag=true");
    context::apply_assignment(context, "count=3");
    context::apply_assignment(context, "name=prod-eu");
    context::apply_assignment(context, "quoted=\"true\"");
    context::apply_assignment(context, "list=[1,2]");
    context::apply_assignment(context, "empty=");
    context::apply_assignment(context, "eq=a=b");
    context::apply_assignment(context, "change.approved=false");
    context::apply_assignment(context, "change.by=ops");
    CHECK(context == json::parse(R"j({"flag": true, "count": 3, "name": "prod-eu", "quoted": "true",
        "list": [1, 2], "empty": "", "eq": "a=b", "change": {"approved": false, "by": "ops"}})j"));
}

TEST_CASE("context: --set is applied after every file", "[context]") {
    TempDir dir;
    std::string file = dir.write("c.json", R"j({"env": "staging", "keep": 1})j");
    CHECK(context::load_context({file}, {"env=prod"}) ==
          json::parse(R"j({"env": "prod", "keep": 1})j"));
}

TEST_CASE("context: malformed --set", "[context]") {
    json context = json::parse(R"j({"name": "x"})j");
    CHECK(error_of([&] { context::apply_assignment(context, "novalue"); }) ==
          "--set novalue: error: expected KEY=VALUE\n");
    CHECK(error_of([&] { context::apply_assignment(context, "=1"); }) ==
          "--set =...: error: '' is not a usable key; use a name or a dotted path such as "
          "change.approved\n");
    CHECK(error_of([&] { context::apply_assignment(context, "a..b=1"); }) ==
          "--set a..b=...: error: 'a..b' is not a usable key; use a name or a dotted path such as "
          "change.approved\n");
    // The value never appears: it may be a secret.
    CHECK(error_of([&] { context::apply_assignment(context, "name.first=hunter2"); }) ==
          "--set name.first=...: error: 'name' is a string, not an object, so it has no keys to "
          "set\n");
}

TEST_CASE("context: --set that could not be recorded or walked is refused first", "[context]") {
    json context = json::object();
    CHECK(error_of([&] { context::apply_assignment(context, "token=\xff\xfesecret"); }) ==
          "--set token=...: error: the value is not valid UTF-8 (byte 0xFF at byte 7)\n");
    CHECK(error_of([&] { context::apply_assignment(context, "k\xc3=1"); }) ==
          "--set k\xef\xbf\xbd=...: error: the key is not valid UTF-8 (byte 0xC3 at byte 2)\n");
    std::string path;
    for (int i = 0; i < 99; ++i)
        path += "a.";
    context::apply_assignment(context, path + "b=1");  // 100 levels: a JSON file's limit
    CHECK(context.dump().size() > 400);
    CHECK(error_of([&] { context::apply_assignment(context, path + "b.c=1"); }) ==
          "--set a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a....=...: error: the "
          "key is a path of 101 levels; at most 100 are allowed, as in a JSON file\n");
    CHECK(context.dump().find("\"c\"") == std::string::npos);
}

TEST_CASE("context: a --set value obeys the nesting limit with its key", "[context]") {
    json context = json::object();
    auto nested = [](std::size_t levels) {
        return std::string(levels, '[') + std::string(levels, ']');
    };
    context::apply_assignment(context, "a.b=" + nested(98));  // 2 + 98 levels: the limit
    CHECK(context["a"]["b"].is_array());
    CHECK(error_of([&] { context::apply_assignment(context, "a.b=" + nested(99)); }) ==
          "--set a.b=...: error: the value nests deeper than the 100 levels a JSON file may have, "
          "counting the key's 2\n");
    // Once a stack overflow when printed; now refused while parsing, in linear time.
    CHECK(error_of([&] { context::apply_assignment(context, "k=" + nested(200000)); }) ==
          "--set k=...: error: the value nests deeper than the 100 levels a JSON file may have, "
          "counting the key's 1\n");
    context::apply_assignment(context, "text=" + std::string(200000, '['));  // not JSON: a string
    CHECK(context["text"].get<std::string>().size() == 200000);
}

TEST_CASE("context: files that are not JSON objects", "[context]") {
    TempDir dir;
    std::string broken = dir.write("broken.json", "{\n  \"a\": 1,\n  \"b\" 2\n}\n");
    CHECK(error_of([&] { context::load_context({broken}, {}); }) ==
          broken +
              ":3:7: error: invalid JSON: syntax error while parsing object separator - "
              "unexpected number literal; expected ':'\n  \"b\" 2\n      ^\n");
    std::string list = dir.write("list.json", "  [1, 2]\n");
    CHECK(error_of([&] { context::load_context({list}, {}); }) ==
          list + ":1:3: error: a context file holds a JSON object, not an array\n  [1, 2]\n  ^\n");
    std::string missing = (dir.path / "nope.json").string();
    CHECK(error_of([&] { context::load_context({missing}, {}); }) ==
          missing + ": error: cannot open file: No such file or directory\n");
}

TEST_CASE("context: a --set value is typed only when it prints back as written", "[context]") {
    json context = json::object();
    auto value_of = [&](const std::string& text) {
        context::apply_assignment(context, "v=" + text);
        return context["v"];
    };
    // Numbers that would change: strings, exactly as typed.
    for (const char* kept : {"1.10", "007", "1e3", "+1", ".5", "1.0", "-0", " 2", "2 ", "1E2"})
        CHECK(value_of(kept) == json(kept));
    // Values that print back as written are typed.
    CHECK(value_of("42") == json(42));
    CHECK(value_of("-3") == json(-3));
    CHECK(value_of("1.5") == json(1.5));
    CHECK(value_of("true") == json(true));
    CHECK(value_of("false") == json(false));
    CHECK(value_of("null") == json(nullptr));
    CHECK(value_of(R"({"a": 1.10})") == json({{"a", 1.1}}));  // JSON, and written as JSON
    CHECK(value_of("[1, 2]") == json({1, 2}));
    CHECK(value_of(R"("1.10")") == json("1.10"));  // a JSON string: the way to say "a string"
    CHECK(value_of("v1.2.0") == json("v1.2.0"));
}

TEST_CASE("context: blanks around a --set key are an error naming the key", "[context]") {
    json context = json::object();
    CHECK(error_of([&] { context::apply_assignment(context, "version = 2"); }) ==
          "--set version =...: error: the key 'version ' has blanks around it; write "
          "version=VALUE, with nothing between the key and '='\n");
    CHECK(error_of([&] { context::apply_assignment(context, " region=eu"); }) ==
          "--set  region=...: error: the key ' region' has blanks around it; write "
          "region=VALUE, with nothing between the key and '='\n");
    CHECK(context.empty());
    context::apply_assignment(context, "note=a b ");  // blanks in a value are the value's
    CHECK(context["note"] == "a b ");
}
