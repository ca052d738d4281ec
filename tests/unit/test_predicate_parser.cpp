// The predicate language's lexer and parser: what it accepts, and every refusal with its
// exact position and message.

#include <catch2/catch.hpp>

#include <deployphase/predicate/parser.hpp>
#include <deployphase/support/errors.hpp>

#include "phase_dump.hpp"

using namespace deployphase;
using namespace deployphase::predicate;

namespace {

struct Parsed {
    std::string errors;                  // formatted diagnostics, empty when none
    std::vector<std::string> functions;  // "name: body as source"
};

Parsed parse(const std::string& text) {
    SourceFile file = SourceFile::from_text("v.js", text);
    EmbeddedSource source(file.text(), file, {"v.js", 1, 1}, true);
    DiagnosticSink sink;
    Parsed result;
    try {
        Program program = parse_program(source, sink);
        for (const Function& f : program.functions) {
            result.functions.push_back(f.name + ": " + to_source(*f.body));
        }
    } catch (const InputError& e) {
        for (const Diagnostic& d : e.diagnostics())
            sink.add(d);
    }
    result.errors = test::dump_diagnostics(sink.diagnostics());
    return result;
}

std::string errors(const std::string& text) {
    return parse(text).errors;
}

}  // namespace

TEST_CASE("parser: definitions, operators, precedence, comments and optional semicolons",
          "[predicate]") {
    Parsed p = parse(
        "// leading comment\n"
        "a() { return b() || c() && !d(); }\n"
        "/* block\n comment */ b() { return (c() || d()) && e(); }\n"
        "function c() { return true; };\n"
        "d() { return !!false }\n"
        "e() { return hasContext('a.b') }\n");
    CHECK(p.errors.empty());
    CHECK(p.functions == std::vector<std::string>{
                             "a: b() || c() && !d()",
                             "b: (c() || d()) && e()",
                             "c: true",
                             "d: !!false",
                             "e: hasContext('a.b')",
                         });
}

TEST_CASE("parser: an empty block defines nothing", "[predicate]") {
    Parsed p = parse("  // only a comment\n");
    CHECK(p.errors.empty());
    CHECK(p.functions.empty());
}

TEST_CASE("parser: statements other than one return", "[predicate]") {
    CHECK(errors("f() {\n  if (a()) return true;\n}") ==
          "v.js:2:3: error: expected 'return' in the body of 'f', got 'if'; a body is one "
          "'return EXPR;'\n  if (a()) return true;\n  ^\n");
    CHECK(errors("f() { return a(); return b(); }") ==
          "v.js:1:19: error: expected '}' to close 'f' after its return statement, got "
          "'return'\nf() { return a(); return b(); }\n                  ^\n");
    CHECK(errors("f() { }") ==
          "v.js:1:7: error: function 'f' has an empty body; expected 'return EXPR;'\n"
          "f() { }\n      ^\n");
    CHECK(errors("const x = 1;") ==
          "v.js:1:7: error: expected '(' after 'const', got 'x'\nconst x = 1;\n      ^\n");
}

TEST_CASE("parser: operators the language does not have", "[predicate]") {
    CHECK(errors("f() { return a() == b(); }") ==
          "v.js:1:18: error: unsupported operator '=='; conditions combine with &&, || and !\n"
          "f() { return a() == b(); }\n                 ^\n");
    CHECK(errors("f() { return a() + b(); }") ==
          "v.js:1:18: error: unsupported operator '+'; conditions combine with &&, || and !\n"
          "f() { return a() + b(); }\n                 ^\n");
    CHECK(errors("f() { return a() ? b() : c(); }") ==
          "v.js:1:18: error: unsupported operator '?'; conditions combine with &&, || and !\n"
          "f() { return a() ? b() : c(); }\n                 ^\n");
    CHECK(errors("f() { return this.x(); }") ==
          "v.js:1:18: error: expected '(' after 'this', got '.'; facts are read by calling them, "
          "as in this()\nf() { return this.x(); }\n                 ^\n");
}

TEST_CASE("parser: arguments", "[predicate]") {
    CHECK(errors("f() { return a(1); }") ==
          "v.js:1:16: error: a call takes no argument or one string argument; got number 1\n"
          "f() { return a(1); }\n               ^\n");
    CHECK(errors("f() { return hasContext('a', 'b'); }") ==
          "v.js:1:28: error: a call takes at most one argument; 'hasContext' is given more\n"
          "f() { return hasContext('a', 'b'); }\n                           ^\n");
    CHECK(errors("f() {\n  return isProd('eu');\n}") ==
          "v.js:2:10: error: only hasContext takes an argument; 'isProd' is called with 'eu'\n"
          "  return isProd('eu');\n         ^\n");
    CHECK(errors("f() { return hasContext(); }") ==
          "v.js:1:14: error: hasContext needs one string argument, as in hasContext('key')\n"
          "f() { return hasContext(); }\n             ^\n");
    CHECK(errors("f() { return hasContext('a..b'); }") ==
          "v.js:1:14: error: hasContext('a..b') is not a usable key; use a name or a dotted path "
          "such as 'change.approved'\nf() { return hasContext('a..b'); }\n             ^\n");
    CHECK(errors("f(x) { return true; }") ==
          "v.js:1:3: error: functions take no parameters; 'f' declares 'x'\n"
          "f(x) { return true; }\n  ^\n");
}

TEST_CASE("parser: a bare name is not a call", "[predicate]") {
    CHECK(errors("f() { return ready && go(); }") ==
          "v.js:1:20: error: expected '(' after 'ready', got '&&'; facts are read by calling "
          "them, as in ready()\nf() { return ready && go(); }\n                   ^\n");
}

TEST_CASE("parser: strings, comments and characters the lexer refuses", "[predicate]") {
    CHECK(errors("f() { return hasContext('abc); }") ==
          "v.js:1:25: error: unterminated string\nf() { return hasContext('abc); }\n"
          "                        ^\n");
    CHECK(errors("f() { return a(); } /* trailing") ==
          "v.js:1:21: error: unterminated /* comment\nf() { return a(); } /* trailing\n"
          "                    ^\n");
    CHECK(errors("f() { return a() # b(); }") ==
          "v.js:1:18: error: unexpected character '#'\nf() { return a() # b(); }\n"
          "                 ^\n");
    CHECK(errors("f() { return hasContext(`x`); }") ==
          "v.js:1:25: error: template strings are not supported; use '...' or \"...\"\n"
          "f() { return hasContext(`x`); }\n                        ^\n");
    CHECK(errors("f() { return hasContext('a\\nb'); }") ==
          "v.js:1:27: error: unsupported escape '\\n' in string\n"
          "f() { return hasContext('a\\nb'); }\n                          ^\n");
}

TEST_CASE("parser: a function defined twice, every one reported", "[predicate]") {
    CHECK(errors("a() { return true; }\nb() { return a(); }\na() { return false; }\n"
                 "hasContext() { return true; }") ==
          "v.js:3:1: error: function 'a' is defined twice; the first definition is on line 1\n"
          "a() { return false; }\n^\n"
          "v.js:4:1: error: 'hasContext' is a builtin and cannot be redefined\n"
          "hasContext() { return true; }\n^\n");
}

TEST_CASE("parser: functions that call each other in a cycle", "[predicate]") {
    CHECK(errors("a() { return b(); }\nb() { return c() || a(); }\nc() { return true; }") ==
          "v.js:2:21: error: functions call each other in a cycle: a() -> b() -> a()\n"
          "b() { return c() || a(); }\n                    ^\n");
    CHECK(errors("a() { return x() && a(); }") ==
          "v.js:1:21: error: functions call each other in a cycle: a() -> a()\n"
          "a() { return x() && a(); }\n                    ^\n");
}

TEST_CASE("parser: an expression guard must be one whole expression", "[predicate]") {
    SourceFile file = SourceFile::from_text("g.md", "1. **s** [if a() b()]\n");
    EmbeddedSource source("a() b()", file, {"g.md", 1, 14}, true);
    DiagnosticSink sink;
    try {
        parse_expression(source, sink);
        FAIL("expected an error");
    } catch (const InputError& e) {
        CHECK(test::dump_diagnostics(e.diagnostics()) ==
              "g.md:1:18: error: expected end of condition, got 'b'\n"
              "1. **s** [if a() b()]\n                 ^\n");
    }
}

TEST_CASE("parser: nesting is limited, long chains are not", "[predicate][limits]") {
    auto parens = [](std::size_t levels) {
        return "f() { return " + std::string(levels, '(') + "a()" + std::string(levels, ')') +
               "; }";
    };
    CHECK(errors(parens(100)).empty());
    // The 221-column line is shown as a window: columns 54 to 213, the caret on column 114.
    CHECK(errors(parens(101)) ==
          "v.js:1:114: error: expression nested more than 100 levels deep\n" +
              ("..." + parens(101).substr(53, 160) + "...\n") + std::string(63, ' ') + "^\n");
    CHECK(errors("f() { return " + std::string(101, '!') + "a(); }")
              .starts_with("v.js:1:114: error: expression nested more than 100 levels deep\n"));
    CHECK(
        errors(parens(1000000)).starts_with("v.js:1:114: error: expression nested more than 100"));

    // A chain of && is one flat node, however long.
    std::string chain = "f() { return a()";
    for (int i = 0; i < 100000; ++i)
        chain += " && a()";
    Parsed p = parse(chain + "; }");
    CHECK(p.errors.empty());
    REQUIRE(p.functions.size() == 1);
}
