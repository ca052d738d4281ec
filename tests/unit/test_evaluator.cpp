#include <catch2/catch.hpp>

#include <limits>

#include <deployphase/predicate/evaluator.hpp>
#include <deployphase/predicate/parser.hpp>

using namespace deployphase;
using namespace deployphase::predicate;
using nlohmann::json;

namespace {

// Parses a program and evaluates its function `main`, returning the result and the trace.
std::pair<bool, Trace> run(const std::string& text, const json& context) {
    SourceFile file = SourceFile::from_text("v.js", text);
    EmbeddedSource source(file.text(), file, {"v.js", 1, 1}, true);
    DiagnosticSink sink;
    Program program = parse_program(source, sink);
    REQUIRE_FALSE(sink.has_errors());
    Evaluator evaluator(program, context);
    Trace trace;
    bool result = evaluator.call(*program.find("main"), trace);
    return {result, trace};
}

std::string describe(const Trace& trace) {
    std::string out;
    for (const auto& e : trace) {
        out += std::string(2 * e.depth, ' ') + e.call + "=" + (e.result ? "true" : "false");
        if (e.reads_context)
            out += " [" + e.key + (e.missing ? " missing" : " " + e.value.dump()) + "]";
        out += "\n";
    }
    return out;
}

}  // namespace

TEST_CASE("evaluator: JavaScript truthiness", "[predicate]") {
    json falsy[] = {false, nullptr, 0, 0u, 0.0, -0.0, "", std::numeric_limits<double>::quiet_NaN()};
    for (const json& value : falsy) {
        INFO(value.dump());
        CHECK_FALSE(is_truthy(&value));
    }
    json truthy[] = {
        true, 1, -1, 0.5, "false", "0", " ", json::array(), json::object(), json::array({0})};
    for (const json& value : truthy) {
        INFO(value.dump());
        CHECK(is_truthy(&value));
    }
    CHECK_FALSE(is_truthy(nullptr));
}

TEST_CASE("evaluator: dotted paths through objects and arrays", "[predicate]") {
    json context = json::parse(R"j({"a": {"b": {"c": 0}}, "list": [{"x": 1}], "s": "text"})j");
    CHECK(lookup_path(context, "a.b.c") != nullptr);
    CHECK(*lookup_path(context, "a.b.c") == 0);
    CHECK(*lookup_path(context, "list.0.x") == 1);
    CHECK(lookup_path(context, "list.1.x") == nullptr);
    CHECK(lookup_path(context, "list.x") == nullptr);
    CHECK(lookup_path(context, "s.length") == nullptr);
    CHECK(lookup_path(context, "missing") == nullptr);
}

TEST_CASE("evaluator: a call reads the exact key first, then the derived one", "[predicate]") {
    CHECK(fact_key_for_call(json::parse(R"j({"isProd": true})j"), "isProd") == "isProd");
    CHECK(fact_key_for_call(json::parse(R"j({"prod": true})j"), "isProd") == "prod");
    CHECK(fact_key_for_call(json::object(), "isProd") == "prod");
    auto [result, trace] =
        run("main() { return isProd(); }", json::parse(R"j({"isProd": 1, "prod": 0})j"));
    CHECK(result);
}

TEST_CASE("evaluator: short-circuiting, nested functions and the trace", "[predicate]") {
    std::string program =
        "main() { return ready() && (hasContext('change.approved') || override()) && !frozen(); }\n"
        "override() { return isForced() }\n";
    auto [result, trace] = run(program, json::parse(R"j({"ready": true, "change": {"approved": ""},
                                                         "forced": "yes"})j"));
    CHECK(result);
    CHECK(describe(trace) ==
          "main()=true\n"
          "  ready()=true [ready true]\n"
          "  hasContext('change.approved')=false [change.approved \"\"]\n"
          "  override()=true\n"
          "    isForced()=true [forced \"yes\"]\n"
          "  frozen()=false [frozen missing]\n");
    // The first false operand of && ends the evaluation: nothing after it is read.
    auto [stopped, short_trace] = run(program, json::object());
    CHECK_FALSE(stopped);
    CHECK(describe(short_trace) == "main()=false\n  ready()=false [ready missing]\n");
}

TEST_CASE("evaluator: the trace names where each call is written", "[predicate]") {
    auto [result, trace] =
        run("main() {\n  return a() ||\n    b();\n}", json::parse(R"j({"b": 1})j"));
    CHECK(result);
    REQUIRE(trace.size() == 3);
    CHECK(trace[1].where == SourceLocation{"v.js", 2, 10});
    CHECK(trace[2].where == SourceLocation{"v.js", 3, 5});
}
