#pragma once
// Tokens of the predicate language. Private to the core library.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <deployphase/predicate/embedded_source.hpp>

namespace deployphase::predicate {

enum class TokenKind {
    identifier,
    string,
    number,
    left_paren,
    right_paren,
    left_brace,
    right_brace,
    semicolon,
    comma,
    and_op,     // &&
    or_op,      // ||
    not_op,     // !
    operator_,  // any other operator: recognised only to be refused clearly
    end,
};

struct Token {
    TokenKind kind = TokenKind::end;
    std::string text;  // as written; for strings, the unquoted, unescaped value
    std::size_t offset = 0;
};

// How a token reads in "expected X, got Y" messages.
std::string describe(const Token& token);

// Splits the whole text into tokens, ending with TokenKind::end. Throws InputError for an
// unterminated string or comment and for a character the language does not use.
std::vector<Token> tokenize(const EmbeddedSource& source);

}  // namespace deployphase::predicate
