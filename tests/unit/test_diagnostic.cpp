#include <catch2/catch.hpp>

#include <deployphase/support/errors.hpp>

using namespace deployphase;

TEST_CASE("diagnostic: message, source line and caret under the column", "[diagnostic]") {
    Diagnostic d{Severity::error, {"p.md", 7, 9}, "invalid character", "1. **foo bar** - x"};
    CHECK(format_diagnostic(d) ==
          "p.md:7:9: error: invalid character\n"
          "1. **foo bar** - x\n"
          "        ^");
}

TEST_CASE("diagnostic: tabs in the source line stay tabs in the caret line", "[diagnostic]") {
    Diagnostic d{Severity::warning, {"p.md", 2, 4}, "careful", "\t\tx"};
    CHECK(format_diagnostic(d) == "p.md:2:4: warning: careful\n\t\tx\n\t\t ^");
}

TEST_CASE("diagnostic: multi-byte characters count as one column", "[diagnostic]") {
    Diagnostic d{Severity::error, {"p.md", 1, 3}, "here", "\xE2\x80\xA2\xE2\x80\xA2x"};
    CHECK(format_diagnostic(d) == "p.md:1:3: error: here\n\xE2\x80\xA2\xE2\x80\xA2x\n  ^");
}

TEST_CASE("diagnostic: whole-file problems have no line", "[diagnostic]") {
    CHECK(format_diagnostic(Diagnostic::error({"p.md", 0, 0}, "cannot open file: No such file")) ==
          "p.md: error: cannot open file: No such file");
}

TEST_CASE("diagnostic: InputError carries every diagnostic and names the first error",
          "[diagnostic]") {
    DiagnosticSink sink;
    sink.add({Severity::warning, {"p.md", 1, 1}, "w", ""});
    CHECK_NOTHROW(sink.throw_if_errors());
    sink.add({Severity::error, {"p.md", 2, 1}, "e", ""});
    try {
        sink.throw_if_errors();
        FAIL("expected InputError");
    } catch (const InputError& e) {
        CHECK(e.diagnostics().size() == 2);
        CHECK(std::string(e.what()) == "p.md:2:1: error: e");
    }
    CHECK(sink.warnings().size() == 1);
}

TEST_CASE("diagnostic: a long line is cut to a window around the column", "[diagnostic]") {
    // 1000 'a', the culprit '!', 1000 'b' (one 3-byte character among them, counted as one).
    // Appended, not added up: GCC 12 warns wrongly (-Warray-bounds) about string(n, c) + "...".
    std::string line(999, 'a');
    line += "\xE2\x80\xA2!";
    line += std::string(1000, 'b');
    Diagnostic d{Severity::error, {"p.md", 1, 1001}, "here", line};
    std::string window =
        "..." + std::string(59, 'a') + "\xE2\x80\xA2!" + std::string(99, 'b') + "...";
    CHECK(format_diagnostic(d) ==
          "p.md:1:1001: error: here\n" + window + "\n" + std::string(63, ' ') + "^");
}

TEST_CASE("diagnostic: near the start of a long line only the end is cut", "[diagnostic]") {
    Diagnostic d{Severity::error, {"p.md", 3, 2}, "here", std::string(500, 'x')};
    CHECK(format_diagnostic(d) == "p.md:3:2: error: here\n" + std::string(160, 'x') + "...\n ^");
}
