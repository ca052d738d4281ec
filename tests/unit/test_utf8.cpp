#include <catch2/catch.hpp>

#include "support/utf8.hpp"

using namespace deployphase;

TEST_CASE("utf8: well-formed sequences have their length, malformed ones 0", "[utf8]") {
    CHECK(utf8_sequence_length("a", 0) == 1);
    CHECK(utf8_sequence_length("\xC3\xA9", 0) == 2);          // é
    CHECK(utf8_sequence_length("\xE2\x80\xA2", 0) == 3);      // •
    CHECK(utf8_sequence_length("\xF0\x9F\x9A\x80", 0) == 4);  // rocket
    CHECK(utf8_sequence_length("\x80", 0) == 0);              // lone continuation
    CHECK(utf8_sequence_length("\xC0\xAF", 0) == 0);          // overlong '/'
    CHECK(utf8_sequence_length("\xE0\x80\xAF", 0) == 0);      // overlong
    CHECK(utf8_sequence_length("\xED\xA0\x80", 0) == 0);      // surrogate
    CHECK(utf8_sequence_length("\xF4\x90\x80\x80", 0) == 0);  // beyond U+10FFFF
    CHECK(utf8_sequence_length("\xE2\x80", 0) == 0);          // truncated
}

TEST_CASE("utf8: first invalid byte and code point counts", "[utf8]") {
    CHECK_FALSE(first_invalid_utf8("Phase \xE2\x80\xA2 ok").has_value());
    CHECK(first_invalid_utf8("ab\xFF"
                             "cd") == std::optional<std::size_t>(2));
    CHECK(count_code_points("a\xE2\x80\xA2"
                            "b") == 3);
    CHECK(replace_invalid_utf8("a\xFFz") == "a\xEF\xBF\xBDz");
}

TEST_CASE("utf8: a prefix never ends inside a character", "[utf8]") {
    CHECK(utf8_prefix("abc", 5) == "abc");
    CHECK(utf8_prefix("abc", 2) == "ab");
    CHECK(utf8_prefix("a\xC3\xA9z", 2) == "a");  // é does not fit whole
    CHECK(utf8_prefix("a\xC3\xA9z", 3) == "a\xC3\xA9");
    CHECK(utf8_prefix("\xF0\x9F\x9A\x80", 3) == "");
}

TEST_CASE("utf8: printable text has no control characters", "[utf8]") {
    CHECK(is_printable_utf8("ci-runner-3 \xC3\xA9\xE2\x80\xA2"));
    CHECK(is_printable_utf8(""));
    CHECK(is_printable_utf8("\xC2\xA0"));  // no-break space: printable
    CHECK_FALSE(is_printable_utf8("host\x1b]0;owned\x07"));
    CHECK_FALSE(is_printable_utf8("a\nb"));
    CHECK_FALSE(is_printable_utf8("\x7f"));
    CHECK_FALSE(
        is_printable_utf8("\xC2\x9B"
                          "31m"));  // CSI as a C1 control
    CHECK_FALSE(is_printable_utf8("\xff"));
}
