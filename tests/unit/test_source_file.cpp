#include <cstdlib>
#include <filesystem>

#include <catch2/catch.hpp>

#include <deployphase/support/errors.hpp>
#include <deployphase/support/source_file.hpp>

#include "phase_dump.hpp"

using namespace deployphase;

namespace {

std::string load_error(std::string text) {
    try {
        SourceFile::from_text("f.md", std::move(text));
    } catch (const InputError& e) {
        return test::dump_diagnostics(e.diagnostics());
    }
    return "no error";
}

}  // namespace

TEST_CASE("source file: lines split on LF, CRLF and a lone CR, without their endings", "[source]") {
    SourceFile f = SourceFile::from_text("f.md", "one\r\ntwo\nthree\rfour");
    REQUIRE(f.line_count() == 4);
    CHECK(f.line(1) == "one");
    CHECK(f.line(2) == "two");
    CHECK(f.line(3) == "three");
    CHECK(f.line(4) == "four");
    CHECK(f.line(5).empty());
}

TEST_CASE("source file: a final newline does not start another line", "[source]") {
    CHECK(SourceFile::from_text("f.md", "a\nb\n").line_count() == 2);
    CHECK(SourceFile::from_text("f.md", "a\nb").line_count() == 2);
}

TEST_CASE("source file: a UTF-8 byte order mark is dropped, columns count from after it",
          "[source]") {
    SourceFile f = SourceFile::from_text("f.md", "\xEF\xBB\xBF# Title\n");
    CHECK(f.text() == "# Title\n");
    CHECK(f.at(1, 3) == SourceLocation{"f.md", 1, 3});
}

TEST_CASE("source file: byte columns become character columns", "[source]") {
    SourceFile f = SourceFile::from_text("f.md", "# Phase \xE2\x80\xA2 X\n\tab");
    CHECK(f.at(1, 12) == SourceLocation{"f.md", 1, 10});  // 'X' after a 3-byte bullet
    CHECK(f.at(2, 2) == SourceLocation{"f.md", 2, 2});    // a tab is one column
    CHECK(f.at_offset(15) == SourceLocation{"f.md", 2, 2});
    CHECK(f.at(2, 5) == SourceLocation{"f.md", 2, 5});  // just past the end of the line
}

TEST_CASE("source file: empty, UTF-16, binary and invalid UTF-8 input is refused", "[source]") {
    CHECK(load_error("") == "f.md:1:1: error: file is empty\n");
    CHECK(load_error(std::string("\xFF\xFE#\0", 4)) ==
          "f.md:1:1: error: file is encoded as UTF-16; save it as UTF-8\n");
    CHECK(load_error(std::string("# T\nab\0cd\n", 10)) ==
          "f.md:2:3: error: file is binary (it contains a NUL byte)\n");
    CHECK(load_error("# T\n\xE2\x80\xA2 x \xC3(\n") ==
          "f.md:2:5: error: invalid UTF-8 (byte 0xC3)\n"
          "\xE2\x80\xA2 x \xEF\xBF\xBD(\n"
          "    ^\n");
}

TEST_CASE("source file: a missing file or a directory cannot be read", "[source]") {
    auto error_of = [](const std::string& path) {
        try {
            SourceFile::load(path);
        } catch (const InputError& e) {
            return test::dump_diagnostics(e.diagnostics());
        }
        return std::string("no error");
    };
    auto dir = std::filesystem::temp_directory_path();
    std::string missing = (dir / "deployphase-no-such-file.md").string();
    CHECK(error_of(missing) == missing + ": error: cannot open file: No such file or directory\n");
    CHECK(error_of(dir.string()) == dir.string() + ": error: cannot read file: Is a directory\n");
}
