// Every way a phase document can be wrong, each with the exact report a user sees.

#include <catch2/catch.hpp>

#include <deployphase/phase/loader.hpp>
#include <deployphase/support/errors.hpp>

#include "phase_dump.hpp"

using namespace deployphase;

namespace {

std::string errors_of(std::string text, std::string name = "bad.md") {
    try {
        phase::load_phase(SourceFile::from_text(std::move(name), std::move(text)));
    } catch (const InputError& e) {
        return test::dump_diagnostics(e.diagnostics());
    }
    return "no error";
}

const std::string title = "# Phase: T\n";

}  // namespace

TEST_CASE("bad: no title", "[bad]") {
    CHECK(errors_of("## Steps Sequence\n1. **a** - x\n") ==
          "bad.md:1:1: error: no title; expected a first line like \"# Phase \xE2\x80\xA2 Name\"\n"
          "## Steps Sequence\n"
          "^\n");
}

TEST_CASE("bad: a title with no name after 'Phase •'", "[bad]") {
    CHECK(errors_of("# Phase \xE2\x80\xA2\n## Steps Sequence\n1. **a**\n") ==
          "bad.md:1:1: error: title \"Phase \xE2\x80\xA2\" has no phase name; expected \"# Phase "
          "\xE2\x80\xA2 Name\"\n"
          "# Phase \xE2\x80\xA2\n"
          "^\n");
}

TEST_CASE("bad: no steps section", "[bad]") {
    CHECK(errors_of(title + "## Purpose\nSomething.\n") ==
          "bad.md:1:1: error: no steps section; expected \"## Steps Sequence\" followed by a "
          "numbered list of steps\n"
          "# Phase: T\n"
          "^\n");
}

TEST_CASE("bad: a steps section with no list", "[bad]") {
    CHECK(errors_of(title + "\n## Steps Sequence\nNothing yet.\n\n## Notes\n- n\n") ==
          "bad.md:3:1: error: the steps section has no steps; expected a list like \"1. "
          "**step-id** - description\"\n"
          "## Steps Sequence\n"
          "^\n");
}

TEST_CASE("bad: a step without a bold id", "[bad]") {
    CHECK(errors_of(title + "## Steps Sequence\n1. **a** - fine\n2. deploy - the app\n") ==
          "bad.md:4:4: error: step has no bold id; expected \"**step-id** - description\"\n"
          "2. deploy - the app\n"
          "   ^\n");
}

TEST_CASE("bad: an empty list item", "[bad]") {
    CHECK(errors_of(title + "## Steps Sequence\n1. **a**\n2.\n") ==
          "bad.md:4:1: error: empty step; expected \"**step-id** - description\"\n"
          "2.\n"
          "^\n");
}

TEST_CASE("bad: a step id with a space", "[bad]") {
    CHECK(errors_of(title + "## Steps Sequence\n1. **deploy now** - go\n") ==
          "bad.md:3:12: error: invalid character ' ' in step id \"deploy now\"; ids may use "
          "letters, digits, '.', '_' and '-'\n"
          "1. **deploy now** - go\n"
          "           ^\n");
}

TEST_CASE("bad: a step id with a non-ASCII letter, column counted in characters", "[bad]") {
    CHECK(errors_of(title + "## Steps Sequence\n- **d\xC3\xA9ploy** - go\n") ==
          "bad.md:3:6: error: invalid character '\xC3\xA9' in step id \"d\xC3\xA9ploy\"; ids "
          "may use letters, digits, '.', '_' and '-'\n"
          "- **d\xC3\xA9ploy** - go\n"
          "     ^\n");
}

TEST_CASE("bad: an unclosed bracket", "[bad]") {
    CHECK(errors_of(title + "## Steps Sequence\n1. **a** - go [if ready\n") ==
          "bad.md:3:15: error: unclosed '[' in step; a guard reads \"[if fact]\"\n"
          "1. **a** - go [if ready\n"
          "              ^\n");
}

TEST_CASE("bad: two guards on one step", "[bad]") {
    CHECK(errors_of(title + "## Steps Sequence\n1. **a** [if x] - go [conditional: if y]\n") ==
          "bad.md:3:22: error: step has a second guard; combine the conditions in one guard\n"
          "1. **a** [if x] - go [conditional: if y]\n"
          "                     ^\n");
}

TEST_CASE("bad: a guard without a condition", "[bad]") {
    CHECK(errors_of(title + "## Steps Sequence\n1. **a** - go [conditional: if ]\n") ==
          "bad.md:3:15: error: guard has no condition; expected \"[if fact]\"\n"
          "1. **a** - go [conditional: if ]\n"
          "              ^\n");
}

TEST_CASE("bad: two steps sections", "[bad]") {
    CHECK(errors_of(title + "## Steps Sequence\n1. **a**\n## Step Sequence\n1. **b**\n") ==
          "bad.md:4:1: error: second steps section; the first is on line 2\n"
          "## Step Sequence\n"
          "^\n"
          "bad.md:5:1: warning: step numbered 1 is step 2 of the phase; steps run in the order "
          "they are written\n"
          "1. **b**\n"
          "^\n");
}

TEST_CASE("bad: validation logic in another language", "[bad]") {
    CHECK(errors_of(title +
                    "## Steps Sequence\n1. **a**\n## Validation Logic\n```python\nx\n```\n") ==
          "bad.md:5:1: error: validation logic is marked as \"python\"; expected \"javascript\", "
          "\"js\" or no language\n"
          "```python\n"
          "^\n");
}

TEST_CASE("bad: a validation section without a code block", "[bad]") {
    CHECK(errors_of(title + "## Steps Sequence\n1. **a**\n## Validation Logic\nAlways run.\n") ==
          "bad.md:4:1: error: \"## Validation Logic\" has no code block; expected a "
          "```javascript block\n"
          "## Validation Logic\n"
          "^\n");
}

TEST_CASE("bad: two validation code blocks", "[bad]") {
    CHECK(
        errors_of(title + "## Steps Sequence\n1. **a**\n## Validation Logic\n```js\nf() { return "
                          "true; }\n```\n\n```js\ny\n```\n") ==
        "bad.md:9:1: error: second code block in \"## Validation Logic\"; the first is on line 5\n"
        "```js\n"
        "^\n");
}

TEST_CASE("bad: every error in a document is reported, in order", "[bad]") {
    CHECK(errors_of(title + "## Steps Sequence\n1. **a b**\n2. **c** [if x] [if y]\n3. plain\n") ==
          "bad.md:3:7: error: invalid character ' ' in step id \"a b\"; ids may use letters, "
          "digits, '.', '_' and '-'\n"
          "1. **a b**\n"
          "      ^\n"
          "bad.md:4:17: error: step has a second guard; combine the conditions in one guard\n"
          "2. **c** [if x] [if y]\n"
          "                ^\n"
          "bad.md:5:4: error: step has no bold id; expected \"**step-id** - description\"\n"
          "3. plain\n"
          "   ^\n");
}

TEST_CASE("bad: positions stay right with CRLF and a byte order mark", "[bad]") {
    CHECK(errors_of("\xEF\xBB\xBF# Phase: T\r\n## Steps Sequence\r\n1. **x y**\r\n") ==
          "bad.md:3:7: error: invalid character ' ' in step id \"x y\"; ids may use letters, "
          "digits, '.', '_' and '-'\n"
          "1. **x y**\n"
          "      ^\n");
}

TEST_CASE("bad: empty, binary and non-UTF-8 documents", "[bad]") {
    CHECK(errors_of("") == "bad.md:1:1: error: file is empty\n");
    CHECK(errors_of(std::string("# Phase: T\n\x7F"
                                "ELF\0\0",
                                17)) ==
          "bad.md:2:5: error: file is binary (it contains a NUL byte)\n");
    CHECK(errors_of(title + "## Steps Sequence\n1. **a** - caf\xE9\n") ==
          "bad.md:3:15: error: invalid UTF-8 (byte 0xE9)\n"
          "1. **a** - caf\xEF\xBF\xBD\n"
          "              ^\n");
}

TEST_CASE("bad: JSON phase with invalid JSON", "[bad][json]") {
    CHECK(
        errors_of("{\n  \"format_version\": 1,\n  \"name\": \"x\"\n  \"steps\": []\n}", "p.json") ==
        "p.json:4:3: error: invalid JSON: syntax error while parsing object - unexpected string "
        "literal; expected '}'\n"
        "  \"steps\": []\n"
        "  ^\n");
}

TEST_CASE("bad: JSON phase with the wrong shape", "[bad][json]") {
    CHECK(errors_of("[1]", "p.json") ==
          "p.json:1:1: error: a JSON phase is an object, not an array\n[1]\n^\n");
    CHECK(errors_of("{\"format_version\": 2, \"name\": \"x\", \"steps\": [{\"id\": \"a\"}]}",
                    "p.json") ==
          "p.json:1:20: error: unsupported format_version 2; this deployphase reads version 1\n"
          "{\"format_version\": 2, \"name\": \"x\", \"steps\": [{\"id\": \"a\"}]}\n"
          "                   ^\n");
    CHECK(errors_of("{\"format_version\": 1,\n \"name\": 7,\n \"steps\": [],\n \"colour\": 1}",
                    "p.json") ==
          "p.json:4:12: error: unknown key \"colour\" in phase\n"
          " \"colour\": 1}\n"
          "           ^\n"
          "p.json:2:10: error: \"name\" must be a string, not a number\n"
          " \"name\": 7,\n"
          "         ^\n"
          "p.json:3:11: error: \"steps\" is empty; a phase needs at least one step\n"
          " \"steps\": [],\n"
          "          ^\n");
    CHECK(errors_of("{\"format_version\": 1, \"name\": \"x\",\n \"steps\": [{\"id\": \"a b\", "
                    "\"guard\": {\"condition\": \"\"}}]}",
                    "p.json") ==
          "p.json:2:21: error: invalid character ' ' in step id \"a b\"; ids may use letters, "
          "digits, '.', '_' and '-'\n"
          " \"steps\": [{\"id\": \"a b\", \"guard\": {\"condition\": \"\"}}]}\n"
          "                    ^\n"
          "p.json:2:49: error: guard condition is empty\n"
          " \"steps\": [{\"id\": \"a b\", \"guard\": {\"condition\": \"\"}}]}\n"
          "                                                ^\n");
    CHECK(errors_of("{\"format_version\": 1, \"name\": \"\xE2\x80\xA2\",\n \"steps\": [{\"id\": "
                    "\"\xC3\xA9t\xC3\xA9\"}, "
                    "{\"id\": \"\"}]}",
                    "p.json") ==
          "p.json:2:20: error: invalid character '\xC3\xA9' in step id \"\xC3\xA9t\xC3\xA9\"; ids "
          "may use "
          "letters, digits, '.', '_' and '-'\n"
          " \"steps\": [{\"id\": \"\xC3\xA9t\xC3\xA9\"}, {\"id\": \"\"}]}\n"
          "                   ^\n"
          "p.json:2:35: error: step id is empty\n"
          " \"steps\": [{\"id\": \"\xC3\xA9t\xC3\xA9\"}, {\"id\": \"\"}]}\n"
          "                                  ^\n");
}

TEST_CASE("bad: a syntax error in validation logic points into the Markdown file",
          "[bad][predicate]") {
    CHECK(errors_of(title +
                    "## Steps Sequence\n1. **a**\n## Validation Logic\n```javascript\n"
                    "canExecutePhase() {\n  return hasContext('x') and ready();\n}\n```\n") ==
          "bad.md:7:26: error: expected '}' to close 'canExecutePhase' after its return "
          "statement, got 'and'\n"
          "  return hasContext('x') and ready();\n"
          "                         ^\n");
}

TEST_CASE("bad: validation logic in an indented fence keeps its columns", "[bad][predicate]") {
    CHECK(errors_of(title + "## Steps Sequence\n1. **a**\n## Validation Logic\n  ```js\n"
                            "  a() { return b(); }\n  b() { return a(); }\n  ```\n") ==
          "bad.md:7:16: error: functions call each other in a cycle: a() -> b() -> a()\n"
          "  b() { return a(); }\n"
          "               ^\n");
}

TEST_CASE("bad: guard errors, each at its place, with the logic's errors", "[bad][predicate]") {
    CHECK(errors_of(title + "## Steps Sequence\n"
                            "1. **a** [if ready() &&] - go\n"
                            "2. **b** - go [conditional: if ---]\n"
                            "3. **c** [if isProd('eu') || x()]\n"
                            "## Validation Logic\n```js\nf() { return g(1); }\n```\n") ==
          "bad.md:8:16: error: a call takes no argument or one string argument; got number 1\n"
          "f() { return g(1); }\n"
          "               ^\n"
          "bad.md:3:24: error: expected an expression, got end of input\n"
          "1. **a** [if ready() &&] - go\n"
          "                       ^\n"
          "bad.md:4:32: error: guard \"---\" names no fact; a fact name needs letters or digits\n"
          "2. **b** - go [conditional: if ---]\n"
          "                               ^\n"
          "bad.md:5:14: error: only hasContext takes an argument; 'isProd' is called with 'eu'\n"
          "3. **c** [if isProd('eu') || x()]\n"
          "             ^\n");
}

TEST_CASE("bad: predicate errors in a JSON phase point at the string, and say where in it",
          "[bad][predicate]") {
    CHECK(errors_of("{\"format_version\": 1, \"name\": \"x\", \"steps\": [{\"id\": \"a\"}],\n"
                    " \"validation\": {\"source\": \"f() {\\n  return a() = b();\\n}\"}}",
                    "p.json") ==
          "p.json:2:28: error: unsupported operator '='; conditions combine with &&, || and ! (at "
          "line 2, column 14 of the predicate text)\n"
          " \"validation\": {\"source\": \"f() {\\n  return a() = b();\\n}\"}}\n"
          "                           ^\n");
}

TEST_CASE("bad: Markdown nested deeper than any phase needs is refused, not a crash",
          "[bad][limits]") {
    auto nested = [](std::size_t levels) {
        std::string quotes;
        for (std::size_t i = 0; i < levels; ++i)
            quotes += "> ";
        return title + "## Steps Sequence\n1. **a**\n## Notes\n" + quotes + "x\n";
    };
    // document + 62 quotes + paragraph = 64 levels: fine.
    CHECK(errors_of(nested(62)) == "no error");
    std::string error = errors_of(nested(63));
    CHECK(
        error.starts_with("bad.md:5:127: error: Markdown nested more than 64 levels deep here; "
                          "a phase document needs far fewer\n"));
    CHECK(
        errors_of(nested(100000)).starts_with("bad.md:5:127: error: Markdown nested more than 64"));
}

namespace {

// A three-step phase (ids a, b, b) followed by one script block.
std::string with_block(const std::string& info, const std::string& script = "true\n") {
    return title + "## Steps Sequence\n1. **a**\n2. **b**\n3. **b**\n## Step Actions\n```" + info +
           "\n" + script + "```\n";
}

}  // namespace

TEST_CASE("bad: script blocks", "[bad][actions]") {
    const std::string warning =
        "bad.md:5:6: warning: step id \"b\" repeats step 2 (line 4); steps are told apart by their "
        "position\n3. **b**\n     ^\n";
    CHECK(errors_of(with_block("sh step=a retires=2")) ==
          "bad.md:7:14: error: unknown attribute \"retires\"; did you mean retries=? a script "
          "block takes step=, rollback=, check=, timeout=, retries=, retry-delay=, needs= and "
          "outputs=\n"
          "```sh step=a retires=2\n             ^\n" +
              warning);
    CHECK(errors_of(with_block("sh timeout=5m")) ==
          "bad.md:7:1: error: a script block needs step=ID, rollback=ID or check=ID to say which "
          "step it belongs to\n```sh timeout=5m\n^\n" +
              warning);
    CHECK(errors_of(with_block("sh step=a rollback=a")) ==
          "bad.md:7:14: error: a block binds one script; it already has step=\n"
          "```sh step=a rollback=a\n             ^\n" +
              warning);
    CHECK(errors_of(with_block("sh step=deplyo")) ==
          "bad.md:7:7: error: step=deplyo: no step \"deplyo\" in this phase\n"
          "```sh step=deplyo\n      ^\n" +
              warning);
    CHECK(errors_of(with_block("bash check=b")) ==
          "bad.md:7:9: error: check=b: the id names steps 2 and 3; use the index, as in check=3\n"
          "```bash check=b\n        ^\n" +
              warning);
    CHECK(errors_of(with_block("sh step=4")) ==
          "bad.md:7:7: error: step=4: this phase has steps 1 to 3\n```sh step=4\n      ^\n" +
              warning);
    CHECK(errors_of(with_block("sh step=a timeout=10x")) ==
          "bad.md:7:14: error: invalid duration \"10x\"; use a whole number with ms, s, m or h, as "
          "in 10m\n```sh step=a timeout=10x\n             ^\n" +
              warning);
    CHECK(errors_of(with_block("sh step=a timeout=0s")) ==
          "bad.md:7:14: error: timeout must be more than 0\n```sh step=a timeout=0s\n"
          "             ^\n" +
              warning);
    CHECK(errors_of(with_block("sh rollback=a retries=2")) ==
          "bad.md:7:18: error: retries= applies to step= blocks only\n"
          "```sh rollback=a retries=2\n                 ^\n" +
              warning);
    CHECK(errors_of(with_block("sh step=a retries=many")) ==
          "bad.md:7:14: error: retries must be a whole number from 0 to 100, not \"many\"\n"
          "```sh step=a retries=many\n             ^\n" +
              warning);
    CHECK(errors_of(with_block("sh step")) ==
          "bad.md:7:7: error: \"step\" needs a value, as in step=...\n```sh step\n      ^\n" +
              warning);
    CHECK(errors_of(with_block("sh step=a", "  \n")) ==
          "bad.md:7:1: error: the script is empty; write `true` for a step that does nothing\n"
          "```sh step=a\n^\n" +
              warning);
}

TEST_CASE("bad: two scripts for one step", "[bad][actions]") {
    CHECK(errors_of(title + "## Steps Sequence\n1. **a**\n   ```sh step=a\n   true\n   ```\n"
                            "## Step Actions\n```sh step=1\nfalse\n```\n") ==
          "bad.md:8:7: error: step 1 (a) already has a run script, from line 4\n"
          "```sh step=1\n      ^\n");
}

TEST_CASE("bad: a code span continuing a step lazily is read, not a crash (fuzz_phase)",
          "[bad][fuzz]") {
    // cmark placed the code span past the end of its line; reading it threw out_of_range.
    CHECK(errors_of("# Phase: Bad\n## Steps Sequence\n1. **a** - touch the canary\n"
                    "##oStep Actions`h\n`s` step=a timeout=soon\ntouch canary-ran\n```\n") ==
          "no error");
}
