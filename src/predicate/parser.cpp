#include <deployphase/predicate/parser.hpp>
#include <deployphase/support/errors.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>

#include "predicate/lexer.hpp"

namespace deployphase::predicate {
namespace {

// Recursive descent, one function per construct:
//   program  := { ["function"] IDENT "(" ")" "{" "return" expr [";"] "}" [";"] }
//   expr     := and { "||" and }
//   and      := unary { "&&" unary }
//   unary    := "!" unary | primary
//   primary  := "true" | "false" | "(" expr ")" | IDENT "(" [STRING] ")"
class Parser {
  public:
    explicit Parser(const EmbeddedSource& source) : m_source(source), m_tokens(tokenize(source)) {}

    Program parse_program() {
        Program program;
        while (peek().kind != TokenKind::end) {
            if (peek().kind == TokenKind::semicolon) {
                advance();
                continue;
            }
            program.functions.push_back(parse_function());
        }
        return program;
    }

    std::unique_ptr<Expr> parse_whole_expression() {
        if (peek().kind == TokenKind::end) fail(peek(), "expected an expression, got end of input");
        auto expr = parse_expr();
        if (peek().kind != TokenKind::end) {
            fail(peek(), fmt::format("expected end of condition, got {}", describe(peek())));
        }
        return expr;
    }

  private:
    const Token& peek(std::size_t ahead = 0) const {
        return m_tokens[std::min(m_pos + ahead, m_tokens.size() - 1)];
    }
    const Token& advance() { return m_tokens[std::min(m_pos++, m_tokens.size() - 1)]; }

    [[noreturn]] void fail(const Token& token, std::string message) const {
        throw InputError(m_source.error(token.offset, std::move(message)));
    }

    const Token& expect(TokenKind kind, std::string_view what, std::string_view context) {
        if (peek().kind != kind) {
            fail(peek(), fmt::format("expected {} {}, got {}", what, context, describe(peek())));
        }
        return advance();
    }

    Function parse_function() {
        if (peek().kind == TokenKind::identifier && peek().text == "function" &&
            peek(1).kind == TokenKind::identifier) {
            advance();
        }
        if (peek().kind != TokenKind::identifier) {
            fail(peek(),
                 fmt::format("expected a function definition like 'name() {{ return ...; }}', "
                             "got {}",
                             describe(peek())));
        }
        const Token& name = advance();
        Function function{name.text, nullptr, m_source.locate(name.offset)};
        expect(TokenKind::left_paren, "'('", fmt::format("after '{}'", name.text));
        if (peek().kind != TokenKind::right_paren) {
            fail(peek(), fmt::format("functions take no parameters; '{}' declares {}", name.text,
                                     describe(peek())));
        }
        advance();
        expect(TokenKind::left_brace, "'{'", fmt::format("to open the body of '{}'", name.text));
        if (peek().kind == TokenKind::right_brace) {
            fail(peek(), fmt::format("function '{}' has an empty body; expected 'return EXPR;'",
                                     name.text));
        }
        if (!(peek().kind == TokenKind::identifier && peek().text == "return")) {
            fail(peek(), fmt::format("expected 'return' in the body of '{}', got {}; a body is "
                                     "one 'return EXPR;'",
                                     name.text, describe(peek())));
        }
        advance();
        function.body = parse_expr();
        if (peek().kind == TokenKind::semicolon) advance();
        if (peek().kind != TokenKind::right_brace) {
            fail(peek(),
                 fmt::format("expected '}}' to close '{}' after its return statement, got {}",
                             name.text, describe(peek())));
        }
        advance();
        return function;
    }

    // Parses `operand {op operand}` into one flat node when there is more than one operand.
    template <typename ParseOperand>
    std::unique_ptr<Expr> chain(Expr::Kind kind, TokenKind op, ParseOperand parse_operand) {
        auto first = parse_operand();
        if (peek().kind != op) return first;
        auto expr = std::make_unique<Expr>();
        expr->kind = kind;
        expr->where = m_source.locate(peek().offset);
        expr->operands.push_back(std::move(first));
        while (peek().kind == op) {
            advance();
            expr->operands.push_back(parse_operand());
        }
        return expr;
    }

    std::unique_ptr<Expr> parse_expr() {
        return chain(Expr::Kind::disjunction, TokenKind::or_op, [this] { return parse_and(); });
    }

    std::unique_ptr<Expr> parse_and() {
        auto expr =
            chain(Expr::Kind::conjunction, TokenKind::and_op, [this] { return parse_unary(); });
        if (peek().kind == TokenKind::operator_) {
            fail(peek(), fmt::format("unsupported operator '{}'; conditions combine with &&, || "
                                     "and !",
                                     peek().text));
        }
        return expr;
    }

    // Counts one level of `(` or `!` while it is being parsed.
    class Nesting {
      public:
        Nesting(Parser& parser, const Token& token) : m_parser(parser) {
            if (++m_parser.m_nesting > max_expression_nesting) {
                m_parser.fail(token, fmt::format("expression nested more than {} levels deep",
                                                 max_expression_nesting));
            }
        }
        ~Nesting() { --m_parser.m_nesting; }
        Nesting(const Nesting&) = delete;
        Nesting& operator=(const Nesting&) = delete;

      private:
        Parser& m_parser;
    };

    std::unique_ptr<Expr> parse_unary() {
        if (peek().kind == TokenKind::not_op) {
            const Token& op = advance();
            Nesting nesting(*this, op);
            auto expr = std::make_unique<Expr>();
            expr->kind = Expr::Kind::negation;
            expr->where = m_source.locate(op.offset);
            expr->operands.push_back(parse_unary());
            return expr;
        }
        return parse_primary();
    }

    std::unique_ptr<Expr> parse_primary() {
        const Token& token = peek();
        if (token.kind == TokenKind::left_paren) {
            Nesting nesting(*this, advance());
            auto inner = parse_expr();
            expect(TokenKind::right_paren, "')'", "to close '('");
            return inner;
        }
        if (token.kind == TokenKind::operator_) {
            fail(token,
                 fmt::format("unsupported operator '{}'; conditions combine with &&, || and !",
                             token.text));
        }
        if (token.kind != TokenKind::identifier) {
            fail(token, fmt::format("expected an expression, got {}", describe(token)));
        }
        advance();
        auto expr = std::make_unique<Expr>();
        expr->where = m_source.locate(token.offset);
        if (token.text == "true" || token.text == "false") {
            expr->kind = Expr::Kind::literal;
            expr->literal = token.text == "true";
            return expr;
        }
        if (peek().kind == TokenKind::operator_ &&
            peek().text.find_first_of("=<>") != std::string::npos) {
            fail(peek(), fmt::format("unsupported operator '{}'; the language has no comparisons: "
                                     "a fact is true or false, read as {}() or !{}()",
                                     peek().text, token.text, token.text));
        }
        if (peek().kind != TokenKind::left_paren) {
            fail(peek(), fmt::format("expected '(' after '{}', got {}; facts are read by calling "
                                     "them, as in {}()",
                                     token.text, describe(peek()), token.text));
        }
        advance();
        expr->kind = Expr::Kind::call;
        expr->name = token.text;
        if (peek().kind == TokenKind::string) {
            expr->argument = advance().text;
        } else if (peek().kind != TokenKind::right_paren) {
            fail(peek(), fmt::format("a call takes no argument or one string argument; got {}",
                                     describe(peek())));
        }
        if (peek().kind == TokenKind::comma) {
            fail(peek(),
                 fmt::format("a call takes at most one argument; '{}' is given more", token.text));
        }
        expect(TokenKind::right_paren, "')'", fmt::format("to close the call to '{}'", token.text));
        return expr;
    }

    const EmbeddedSource& m_source;
    std::vector<Token> m_tokens;
    std::size_t m_pos = 0;
    std::size_t m_nesting = 0;
};

// Arguments only where the builtin takes one, and a usable key for it.
void check_calls(const Expr& expr, const EmbeddedSource& source, DiagnosticSink& sink) {
    for_each_call(expr, [&](const Expr& call) {
        bool is_builtin = call.name == has_context_builtin;
        if (is_builtin && !call.argument) {
            sink.add(source.error_at(call.where,
                                     "hasContext needs one string argument, as in "
                                     "hasContext('key')"));
        } else if (!is_builtin && call.argument) {
            sink.add(source.error_at(
                call.where, fmt::format("only hasContext takes an argument; '{}' is called with "
                                        "'{}'",
                                        call.name, *call.argument)));
        } else if (is_builtin) {
            const std::string& key = *call.argument;
            if (key.empty() || key.front() == '.' || key.back() == '.' ||
                key.find("..") != std::string::npos) {
                sink.add(source.error_at(
                    call.where, fmt::format("hasContext('{}') is not a usable key; use a name or "
                                            "a dotted path such as 'change.approved'",
                                            key)));
            }
        }
    });
}

// Depth-first search over "calls" edges between defined functions.
void check_cycles(const Program& program, const EmbeddedSource& source, DiagnosticSink& sink) {
    enum class Mark { unvisited, active, done };
    std::map<std::string, Mark> marks;
    std::vector<std::string> path;
    std::function<void(const Function&)> visit = [&](const Function& function) {
        marks[function.name] = Mark::active;
        path.push_back(function.name);
        for_each_call(*function.body, [&](const Expr& call) {
            const Function* callee = program.find(call.name);
            if (!callee) return;
            Mark mark = marks[callee->name];
            if (mark == Mark::active) {
                std::string cycle;
                auto start = std::find(path.begin(), path.end(), callee->name);
                for (auto it = start; it != path.end(); ++it)
                    cycle += *it + "() -> ";
                cycle += callee->name + "()";
                sink.add(source.error_at(
                    call.where, fmt::format("functions call each other in a cycle: {}", cycle)));
            } else if (mark == Mark::unvisited) {
                visit(*callee);
            }
        });
        path.pop_back();
        marks[function.name] = Mark::done;
    };
    for (const Function& function : program.functions) {
        if (marks[function.name] == Mark::unvisited) visit(function);
    }
}

}  // namespace

void for_each_call(const Expr& expr, const std::function<void(const Expr&)>& visit) {
    if (expr.kind == Expr::Kind::call) visit(expr);
    for (const auto& operand : expr.operands)
        for_each_call(*operand, visit);
}

const Function* Program::find(std::string_view name) const {
    for (const Function& function : functions) {
        if (function.name == name) return &function;
    }
    return nullptr;
}

Program parse_program(const EmbeddedSource& source, DiagnosticSink& sink) {
    Program parsed = Parser(source).parse_program();
    // Keep the first definition of each name; a later one is an error.
    Program program;
    for (Function& function : parsed.functions) {
        if (function.name == has_context_builtin) {
            sink.add(source.error_at(function.where,
                                     "'hasContext' is a builtin and cannot be "
                                     "redefined"));
            continue;
        }
        if (const Function* first = program.find(function.name)) {
            sink.add(source.error_at(
                function.where, fmt::format("function '{}' is defined twice; the first definition "
                                            "is on line {}",
                                            function.name, first->where.line)));
            continue;
        }
        check_calls(*function.body, source, sink);
        program.functions.push_back(std::move(function));
    }
    check_cycles(program, source, sink);
    return program;
}

std::unique_ptr<Expr> parse_expression(const EmbeddedSource& source, DiagnosticSink& sink) {
    auto expr = Parser(source).parse_whole_expression();
    check_calls(*expr, source, sink);
    return expr;
}

std::string to_source(const Expr& expr) {
    auto wrapped = [&](const Expr& inner) {
        std::string text = to_source(inner);
        bool needs_parens =
            (inner.kind == Expr::Kind::disjunction && expr.kind != Expr::Kind::disjunction) ||
            (inner.kind == Expr::Kind::conjunction && expr.kind == Expr::Kind::negation);
        return needs_parens ? "(" + text + ")" : text;
    };
    auto joined = [&](std::string_view op) {
        std::string out;
        for (const auto& operand : expr.operands) {
            if (!out.empty()) out += op;
            out += wrapped(*operand);
        }
        return out;
    };
    switch (expr.kind) {
        case Expr::Kind::literal:
            return expr.literal ? "true" : "false";
        case Expr::Kind::call:
            return expr.argument ? fmt::format("{}('{}')", expr.name, *expr.argument)
                                 : expr.name + "()";
        case Expr::Kind::negation:
            return "!" + wrapped(*expr.operands.front());
        case Expr::Kind::conjunction:
            return joined(" && ");
        case Expr::Kind::disjunction:
            return joined(" || ");
    }
    return {};
}

}  // namespace deployphase::predicate
