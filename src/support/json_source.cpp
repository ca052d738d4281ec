#include <deployphase/support/errors.hpp>
#include <deployphase/support/json_source.hpp>

#include <iterator>
#include <vector>

#include <fmt/format.h>

namespace deployphase {
namespace {

using nlohmann::json;

// An input iterator that tells how many bytes nlohmann's lexer has consumed; the SAX
// interface reports values but not where they are.
class CountingIterator {
  public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    CountingIterator(const char* position, const char** furthest)
        : m_position(position), m_furthest(furthest) {}
    reference operator*() const { return *m_position; }
    CountingIterator& operator++() {
        ++m_position;
        if (m_position > *m_furthest) *m_furthest = m_position;
        return *this;
    }
    CountingIterator operator++(int) {
        CountingIterator old = *this;
        ++*this;
        return old;
    }
    bool operator==(const CountingIterator& other) const { return m_position == other.m_position; }
    bool operator!=(const CountingIterator& other) const { return !(*this == other); }

  private:
    const char* m_position;
    const char** m_furthest;
};

class PositionRecorder : public nlohmann::json_sax<json> {
  public:
    PositionRecorder(const SourceFile& file, const char** consumed, json& root,
                     std::unordered_map<std::string, std::size_t>& offsets)
        : m_file(file),
          m_begin(file.text().data()),
          m_consumed(consumed),
          m_root(root),
          m_offsets(offsets) {}

    bool null() override { return place(nullptr, literal_start(4)); }
    bool boolean(bool value) override { return place(value, literal_start(value ? 4 : 5)); }
    bool number_integer(number_integer_t value) override { return place(value, number_start()); }
    bool number_unsigned(number_unsigned_t value) override { return place(value, number_start()); }
    bool number_float(number_float_t value, const string_t&) override {
        return place(value, number_start());
    }
    bool string(string_t& value) override { return place(std::move(value), string_start()); }
    bool binary(binary_t&) override { return false; }  // not produced by the text parser

    bool start_object(std::size_t) override { return open(json::object()); }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(json::array()); }
    bool end_array() override { return close(); }

    bool key(string_t& key) override {
        Frame& frame = m_stack.back();
        if (frame.container->contains(key)) {
            m_duplicate =
                m_file.error_at_offset(string_start(), fmt::format("duplicate key \"{}\"", key));
            return false;
        }
        frame.pending_key = std::move(key);
        return true;
    }

    bool parse_error(std::size_t position, const std::string&,
                     const nlohmann::detail::exception& error) override {
        m_error_position = position;
        m_error_message = error.what();
        return false;
    }

    [[noreturn]] void throw_failure() const {
        if (m_duplicate) throw InputError(*m_duplicate);
        if (m_too_deep) throw InputError(*m_too_deep);
        // nlohmann's message repeats its own (byte-based) position; keep only the reason.
        std::string reason = m_error_message;
        if (auto colon = reason.find(": ");
            colon != std::string::npos && reason.find("parse error") != std::string::npos) {
            reason = reason.substr(colon + 2);
        }
        std::size_t offset = m_error_position > 0 ? m_error_position - 1 : 0;
        offset = std::min(offset, m_file.text().empty() ? 0 : m_file.text().size() - 1);
        // nlohmann stops after the whole unexpected token; point at where it starts.
        if (reason.find("unexpected string literal") != std::string::npos) {
            offset = string_start(offset + 1);
        } else if (reason.find("unexpected number literal") != std::string::npos) {
            offset = number_start(offset + 1);
        }
        throw InputError(m_file.error_at_offset(offset, "invalid JSON: " + reason));
    }

  private:
    struct Frame {
        json* container;
        std::string pointer;
        std::string pending_key;
    };

    std::size_t consumed() const { return static_cast<std::size_t>(*m_consumed - m_begin); }
    std::size_t literal_start(std::size_t length) const { return consumed() - length; }

    std::size_t number_start() const { return number_start(consumed()); }
    std::size_t string_start() const { return string_start(consumed()); }

    // Start of the number that ends at or just before `end` (the lexer reads one byte ahead).
    std::size_t number_start(std::size_t end) const {
        auto text = m_file.text();
        auto is_number_char = [](char c) {
            return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' ||
                   c == 'E';
        };
        std::size_t p = end;
        while (p > 0 && !is_number_char(text[p - 1]))
            --p;
        while (p > 0 && is_number_char(text[p - 1]))
            --p;
        return p;
    }

    // The string's closing quote is the byte before `end`; the opening one is the nearest
    // quote before it that is not escaped.
    std::size_t string_start(std::size_t end) const {
        auto text = m_file.text();
        std::size_t q = end - 1;
        while (q > 0) {
            --q;
            if (text[q] != '"') continue;
            std::size_t backslashes = 0;
            while (q > backslashes && text[q - 1 - backslashes] == '\\')
                ++backslashes;
            if (backslashes % 2 == 0) return q;
        }
        return q;
    }

    json* insert(json&& value, std::size_t offset, std::string& pointer) {
        if (m_stack.empty()) {
            m_root = std::move(value);
            pointer.clear();
            m_offsets[pointer] = offset;
            return &m_root;
        }
        Frame& frame = m_stack.back();
        json* slot;
        if (frame.container->is_array()) {
            pointer = fmt::format("{}/{}", frame.pointer, frame.container->size());
            frame.container->push_back(std::move(value));
            slot = &frame.container->back();
        } else {
            pointer = frame.pointer + "/" + json_pointer_token(frame.pending_key);
            slot = &((*frame.container)[frame.pending_key] = std::move(value));
        }
        m_offsets[pointer] = offset;
        return slot;
    }

    bool place(json&& value, std::size_t offset) {
        std::string pointer;
        insert(std::move(value), offset, pointer);
        return true;
    }

    bool open(json&& container) {
        if (m_stack.size() >= max_json_depth) {
            m_too_deep = m_file.error_at_offset(
                consumed() - 1,
                fmt::format("JSON nested more than {} levels deep", max_json_depth));
            return false;
        }
        std::string pointer;
        json* slot = insert(std::move(container), consumed() - 1, pointer);
        m_stack.push_back({slot, std::move(pointer), {}});
        return true;
    }

    bool close() {
        m_stack.pop_back();
        return true;
    }

    const SourceFile& m_file;
    const char* m_begin;
    const char** m_consumed;
    json& m_root;
    std::unordered_map<std::string, std::size_t>& m_offsets;
    std::vector<Frame> m_stack;
    std::optional<Diagnostic> m_duplicate;
    std::optional<Diagnostic> m_too_deep;
    std::size_t m_error_position = 0;
    std::string m_error_message;
};

}  // namespace

bool json_nests_deeper_than(std::string_view text, std::size_t limit) {
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') {
                ++i;  // the escaped character, whatever it is
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit) return true;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return false;
}

const char* json_type_name(const json& value) {
    switch (value.type()) {
        case json::value_t::null:
            return "null";
        case json::value_t::object:
            return "an object";
        case json::value_t::array:
            return "an array";
        case json::value_t::string:
            return "a string";
        case json::value_t::boolean:
            return "a boolean";
        default:
            return "a number";
    }
}

std::string json_pointer_token(std::string_view key) {
    std::string token;
    for (char c : key) {
        if (c == '~')
            token += "~0";
        else if (c == '/')
            token += "~1";
        else
            token += c;
    }
    return token;
}

JsonSource JsonSource::parse(SourceFile input) {
    JsonSource source(std::move(input));
    const SourceFile& file = source.m_file;
    const char* begin = file.text().data();
    const char* end = begin + file.text().size();
    const char* consumed = begin;
    PositionRecorder recorder(file, &consumed, source.m_value, source.m_offsets);
    bool ok = json::sax_parse(CountingIterator(begin, &consumed), CountingIterator(end, &consumed),
                              &recorder);
    if (!ok) recorder.throw_failure();
    return source;
}

std::size_t JsonSource::offset_of(const std::string& pointer) const {
    std::string key = pointer;
    for (;;) {
        if (auto found = m_offsets.find(key); found != m_offsets.end()) return found->second;
        if (key.empty()) return 0;
        key.erase(key.rfind('/'));
    }
}

SourceLocation JsonSource::location_of(const std::string& pointer) const {
    return m_file.at_offset(offset_of(pointer));
}

Diagnostic JsonSource::error_at(const std::string& pointer, std::string message) const {
    return m_file.error_at_offset(offset_of(pointer), std::move(message));
}

}  // namespace deployphase
