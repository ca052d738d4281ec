#include <catch2/catch.hpp>

#include <deployphase/support/errors.hpp>
#include <deployphase/support/json_source.hpp>

#include "phase_dump.hpp"

using namespace deployphase;

namespace {

std::string parse_error(std::string text) {
    try {
        JsonSource::parse(SourceFile::from_text("c.json", std::move(text)));
    } catch (const InputError& e) {
        return test::dump_diagnostics(e.diagnostics());
    }
    return "no error";
}

}  // namespace

TEST_CASE("json source: every value knows where it starts", "[json]") {
    JsonSource json = JsonSource::parse(SourceFile::from_text(
        "c.json", "{\n  \"a\": [1, -2.5e3, \"x\\\"y\", true],\n  \"b\": {\"c/d\": null}\n}"));
    CHECK(json.value()["a"][2] == "x\"y");
    CHECK(json.location_of("") == SourceLocation{"c.json", 1, 1});
    CHECK(json.location_of("/a") == SourceLocation{"c.json", 2, 8});
    CHECK(json.location_of("/a/0") == SourceLocation{"c.json", 2, 9});
    CHECK(json.location_of("/a/1") == SourceLocation{"c.json", 2, 12});
    CHECK(json.location_of("/a/2") == SourceLocation{"c.json", 2, 20});
    CHECK(json.location_of("/a/3") == SourceLocation{"c.json", 2, 28});
    CHECK(json.location_of("/b/c~1d") == SourceLocation{"c.json", 3, 16});
    // A pointer that names nothing falls back to its nearest parent.
    CHECK(json.location_of("/b/missing") == SourceLocation{"c.json", 3, 8});
}

TEST_CASE("json source: a number at the very end of the input", "[json]") {
    JsonSource json = JsonSource::parse(SourceFile::from_text("c.json", "  42"));
    CHECK(json.location_of("") == SourceLocation{"c.json", 1, 3});
}

TEST_CASE("json source: syntax errors are reported at their line and column", "[json]") {
    CHECK(parse_error("{\n  \"a\": tru\n}") ==
          "c.json:2:11: error: invalid JSON: syntax error while parsing value - invalid "
          "literal; last read: '\"a\": tru<U+000A>'\n"
          "  \"a\": tru\n"
          "          ^\n");
    CHECK(parse_error("{\"a\": 1,}") ==
          "c.json:1:9: error: invalid JSON: syntax error while parsing object key - unexpected "
          "'}'; expected string literal\n"
          "{\"a\": 1,}\n"
          "        ^\n");
}

TEST_CASE("json source: a repeated key is an error at its second occurrence", "[json]") {
    CHECK(parse_error("{\"a\": 1,\n \"a\": 2}") ==
          "c.json:2:2: error: duplicate key \"a\"\n"
          " \"a\": 2}\n"
          " ^\n");
}

TEST_CASE("json source: nesting is counted outside strings only", "[json]") {
    CHECK_FALSE(json_nests_deeper_than("[[1]]", 2));
    CHECK(json_nests_deeper_than("[[[1]]]", 2));
    CHECK(json_nests_deeper_than("{\"a\":{\"b\":[]}}", 2));
    CHECK_FALSE(json_nests_deeper_than("[[]][[]][[]]", 2));  // siblings, not nesting
    CHECK_FALSE(json_nests_deeper_than(R"(["[[[[", {"k": "{{{{"}])", 2));
    CHECK_FALSE(json_nests_deeper_than(R"(["\"[[[[", "\\", []])", 2));  // escapes end no string
    CHECK(json_nests_deeper_than(R"(["\\", [[]]])", 2));
    CHECK_FALSE(json_nests_deeper_than("]]]][[", 2));  // stray closers never go below zero
    CHECK(json_nests_deeper_than(std::string(100000, '['), 100));
}
