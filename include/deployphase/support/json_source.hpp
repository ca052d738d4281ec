#pragma once
// JSON read from a user's file, remembering where each value starts so that
// problems with its content can be reported as FILE:LINE:COL.

#include <cstddef>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include <deployphase/support/source_file.hpp>

namespace deployphase {

// Far deeper than any phase or context needs; deeper input is refused before its cost (each
// level's JSON pointer is kept for error positions) grows with the square of the depth. A
// dotted --set path or step output key obeys the same limit.
inline constexpr std::size_t max_json_depth = 100;

class JsonSource {
  public:
    // Parses the whole file. Throws InputError at the offending LINE:COL for invalid
    // JSON and for an object that repeats a key (which JSON parsers disagree on).
    static JsonSource parse(SourceFile file);

    const nlohmann::json& value() const { return m_value; }
    const SourceFile& file() const { return m_file; }

    // Where the value at a JSON pointer ("" is the root, "/steps/0/id") starts.
    // Unknown pointers fall back to their nearest known parent.
    std::size_t offset_of(const std::string& pointer) const;
    SourceLocation location_of(const std::string& pointer) const;
    Diagnostic error_at(const std::string& pointer, std::string message) const;

  private:
    explicit JsonSource(SourceFile file) : m_file(std::move(file)) {}

    SourceFile m_file;
    nlohmann::json m_value;
    std::unordered_map<std::string, std::size_t> m_offsets;
};

// Whether JSON text opens more than `limit` objects and arrays inside one another (brackets in
// strings do not count); text that is not JSON is scanned the same way. Linear, allocating
// nothing: printing, merging and comparing a value recurse once per level, so text from outside
// is checked with this before it is parsed.
bool json_nests_deeper_than(std::string_view text, std::size_t limit);

// "an object", "a string", "null"...: how messages name the type of a JSON value.
const char* json_type_name(const nlohmann::json& value);

// A JSON pointer reference token, escaped ("~" -> "~0", "/" -> "~1").
std::string json_pointer_token(std::string_view key);

}  // namespace deployphase
