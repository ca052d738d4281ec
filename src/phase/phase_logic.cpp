#include <deployphase/phase/phase_logic.hpp>

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

}  // namespace

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
            }
        }
        logic.guards.emplace_back(std::move(compiled));
    }
    return logic;
}

}  // namespace deployphase::phase
