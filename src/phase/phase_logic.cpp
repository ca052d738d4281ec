#include <deployphase/phase/phase_logic.hpp>

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include <deployphase/predicate/fact_naming.hpp>
#include <deployphase/predicate/parser.hpp>
#include <deployphase/support/errors.hpp>

namespace deployphase::phase {
namespace {

// Syntax errors end parsing of one text; collect them so every text gets checked.
template <typename Parse>
auto parse_collecting(DiagnosticSink& sink, Parse&& parse) -> decltype(parse()) {
    try {
        return parse();
    } catch (const InputError& e) {
        for (const Diagnostic& d : e.diagnostics())
            sink.add(d);
        return {};
    }
}

// The negation word a phrase guard starts with, if any: `[if not frozen]` reads the fact
// not_frozen, which is seldom what its writer meant.
std::optional<std::string_view> leading_negation(std::string_view phrase) {
    std::size_t start = phrase.find_first_not_of(" \t");
    if (start == std::string_view::npos) return std::nullopt;
    phrase.remove_prefix(start);
    std::string_view word = phrase.substr(0, phrase.find_first_of(" \t"));
    for (std::string_view negation : {"not", "no", "never", "without", "unless"}) {
        if (word.size() == negation.size() && word.size() < phrase.size() &&
            std::equal(word.begin(), word.end(), negation.begin(),
                       [](char a, char b) { return (a | 0x20) == b; }))
            return word;
    }
    return std::nullopt;
}

}  // namespace

std::string guard_reads(const CompiledGuard& guard, const predicate::Program& program) {
    if (!guard.is_expression()) return "fact " + guard.fact_key;
    std::vector<std::string> reads;
    predicate::for_each_call(*guard.expression, [&](const predicate::Expr& call) {
        std::string read = call.argument ? "context key " + *call.argument
                           : program.find(call.name)
                               ? call.name + "() of the Validation Logic"
                               : "fact " + predicate::derived_fact_key(call.name);
        if (std::find(reads.begin(), reads.end(), read) == reads.end())
            reads.push_back(std::move(read));
    });
    if (reads.empty()) return "no fact";
    std::string out;
    for (const std::string& read : reads)
        out += (out.empty() ? "" : ", ") + read;
    return out;
}

PhaseLogic compile_phase_logic(const Phase& phase, const SourceFile& source, bool exact_positions,
                               DiagnosticSink& sink) {
    PhaseLogic logic;
    // A block in another language was already reported; it is not ours to parse.
    if (phase.validation && is_validation_language(phase.validation->language)) {
        predicate::EmbeddedSource text(phase.validation->source, source, phase.validation->where,
                                       exact_positions);
        logic.program =
            parse_collecting(sink, [&] { return predicate::parse_program(text, sink); });
    }
    for (const Step& step : phase.steps) {
        if (!step.guard) {
            logic.guards.emplace_back();
            continue;
        }
        const Guard& guard = *step.guard;
        CompiledGuard compiled{guard.condition, {}, nullptr, guard.where};
        if (predicate::is_expression_guard(guard.condition)) {
            // A guard sits on one line of the document, so its offsets are columns.
            predicate::EmbeddedSource text(guard.condition, source, guard.where, exact_positions);
            compiled.expression =
                parse_collecting(sink, [&] { return predicate::parse_expression(text, sink); });
        } else {
            compiled.fact_key = predicate::fact_key_for_phrase(guard.condition);
            if (compiled.fact_key.empty()) {
                sink.add({Severity::error, guard.where,
                          fmt::format("guard \"{}\" names no fact; a fact name needs letters or "
                                      "digits",
                                      guard.condition),
                          std::string(source.line(guard.where.line))});
            } else if (std::optional<std::string_view> negation =
                           leading_negation(guard.condition)) {
                std::size_t after =
                    static_cast<std::size_t>(negation->data() - guard.condition.data()) +
                    negation->size();
                std::string rest =
                    predicate::fact_key_for_phrase(std::string_view(guard.condition).substr(after));
                sink.add({Severity::warning, guard.where,
                          fmt::format("guard \"{}\" reads the fact {}, not the opposite of {}; "
                                      "to run the step when {} is false, write [if !{}()]",
                                      guard.condition, compiled.fact_key, rest, rest, rest),
                          std::string(source.line(guard.where.line))});
            }
        }
        logic.guards.emplace_back(std::move(compiled));
    }
    return logic;
}

}  // namespace deployphase::phase
