#include "predicate/lexer.hpp"
#include "support/text.hpp"

#include <deployphase/support/errors.hpp>

#include <fmt/format.h>

#include <array>

namespace deployphase::predicate {
namespace {

bool is_identifier_start(char c) {
    return is_letter(c) || c == '_' || c == '$';
}
bool is_identifier_char(char c) {
    return is_identifier_start(c) || is_digit(c);
}

// Operators of JavaScript the language does not have, longest first, so `===` is one token.
constexpr std::array<std::string_view, 24> other_operators{
    "===", "!==", ">>>", "**=", "==", "!=", "<=", ">=", "=>", "++", "--", "+=",
    "-=",  "??",  "?.",  "<<",  ">>", "=",  "<",  ">",  "+",  "-",  "*",  "/"};
constexpr std::string_view single_char_operators = "%&|^~?:.[]";

class Lexer {
  public:
    explicit Lexer(const EmbeddedSource& source) : m_source(source), m_text(source.text()) {}

    std::vector<Token> run() {
        std::vector<Token> tokens;
        for (;;) {
            skip_space_and_comments();
            if (m_pos >= m_text.size()) break;
            tokens.push_back(next());
        }
        tokens.push_back({TokenKind::end, "", m_text.size()});
        return tokens;
    }

  private:
    [[noreturn]] void fail(std::size_t offset, std::string message) const {
        throw InputError(m_source.error(offset, std::move(message)));
    }

    void skip_space_and_comments() {
        while (m_pos < m_text.size()) {
            char c = m_text[m_pos];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                ++m_pos;
            } else if (m_text.substr(m_pos, 2) == "//") {
                while (m_pos < m_text.size() && m_text[m_pos] != '\n')
                    ++m_pos;
            } else if (m_text.substr(m_pos, 2) == "/*") {
                std::size_t close = m_text.find("*/", m_pos + 2);
                if (close == std::string_view::npos) fail(m_pos, "unterminated /* comment");
                m_pos = close + 2;
            } else {
                return;
            }
        }
    }

    Token next() {
        std::size_t start = m_pos;
        char c = m_text[m_pos];
        if (is_identifier_start(c)) {
            while (m_pos < m_text.size() && is_identifier_char(m_text[m_pos]))
                ++m_pos;
            return {TokenKind::identifier, std::string(m_text.substr(start, m_pos - start)), start};
        }
        if (is_digit(c)) {
            while (m_pos < m_text.size() &&
                   (is_identifier_char(m_text[m_pos]) || m_text[m_pos] == '.')) {
                ++m_pos;
            }
            return {TokenKind::number, std::string(m_text.substr(start, m_pos - start)), start};
        }
        if (c == '\'' || c == '"') return string_literal();
        if (c == '`') fail(start, "template strings are not supported; use '...' or \"...\"");
        std::string_view rest = m_text.substr(m_pos);
        auto single = [&](TokenKind kind) {
            ++m_pos;
            return Token{kind, std::string(1, c), start};
        };
        if (rest.starts_with("&&")) return two(TokenKind::and_op);
        if (rest.starts_with("||")) return two(TokenKind::or_op);
        for (std::string_view op : other_operators) {
            if (rest.starts_with(op)) {
                m_pos += op.size();
                return {TokenKind::operator_, std::string(op), start};
            }
        }
        switch (c) {
            case '(':
                return single(TokenKind::left_paren);
            case ')':
                return single(TokenKind::right_paren);
            case '{':
                return single(TokenKind::left_brace);
            case '}':
                return single(TokenKind::right_brace);
            case ';':
                return single(TokenKind::semicolon);
            case ',':
                return single(TokenKind::comma);
            case '!':
                return single(TokenKind::not_op);
            default:
                break;
        }
        if (single_char_operators.find(c) != std::string_view::npos) {
            return single(TokenKind::operator_);
        }
        fail(start, fmt::format("unexpected character '{}'", unexpected_character()));
    }

    Token two(TokenKind kind) {
        Token token{kind, std::string(m_text.substr(m_pos, 2)), m_pos};
        m_pos += 2;
        return token;
    }

    std::string unexpected_character() const {
        unsigned char c = static_cast<unsigned char>(m_text[m_pos]);
        if (c < 0x20 || c == 0x7F) return fmt::format("\\x{:02X}", c);
        std::size_t length = 1;
        while (m_pos + length < m_text.size() &&
               (static_cast<unsigned char>(m_text[m_pos + length]) & 0xC0) == 0x80) {
            ++length;
        }
        return std::string(m_text.substr(m_pos, length));
    }

    Token string_literal() {
        std::size_t start = m_pos;
        char quote = m_text[m_pos++];
        std::string value;
        while (m_pos < m_text.size() && m_text[m_pos] != quote) {
            char c = m_text[m_pos];
            if (c == '\n') break;
            if (c == '\\' && m_pos + 1 < m_text.size()) {
                char escaped = m_text[m_pos + 1];
                if (escaped != '\\' && escaped != '\'' && escaped != '"') {
                    fail(m_pos, fmt::format("unsupported escape '\\{}' in string", escaped));
                }
                value += escaped;
                m_pos += 2;
                continue;
            }
            value += c;
            ++m_pos;
        }
        if (m_pos >= m_text.size() || m_text[m_pos] != quote) fail(start, "unterminated string");
        ++m_pos;
        return {TokenKind::string, value, start};
    }

    const EmbeddedSource& m_source;
    std::string_view m_text;
    std::size_t m_pos = 0;
};

}  // namespace

std::string describe(const Token& token) {
    switch (token.kind) {
        case TokenKind::identifier:
            return fmt::format("'{}'", token.text);
        case TokenKind::string:
            return fmt::format("string '{}'", token.text);
        case TokenKind::number:
            return fmt::format("number {}", token.text);
        case TokenKind::end:
            return "end of input";
        default:
            return fmt::format("'{}'", token.text);
    }
}

std::vector<Token> tokenize(const EmbeddedSource& source) {
    return Lexer(source).run();
}

}  // namespace deployphase::predicate
