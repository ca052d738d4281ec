#include <deployphase/predicate/phase_logic.hpp>

#include <fmt/format.h>

#include <deployphase/predicate/fact_naming.hpp>
#include <deployphase/predicate/parser.hpp>

namespace deployphase::predicate {
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

PhaseLogic compile_phase_logic(const phase::Phase& phase, const SourceFile& source,
                               bool exact_positions, DiagnosticSink& sink) {
    PhaseLogic logic;
    // A block in another language was already reported; it is not ours to parse.
    if (phase.validation && phase::is_validation_language(phase.validation->language)) {
        EmbeddedSource text(phase.validation->source, source, phase.validation->where,
                            exact_positions);
        logic.program = parse_collecting(sink, [&] { return parse_program(text, sink); });
    }
    for (const phase::Step& step : phase.steps) {
        if (!step.guard) {
            logic.guards.emplace_back();
            continue;
        }
        const phase::Guard& guard = *step.guard;
        CompiledGuard compiled{guard.condition, {}, nullptr, guard.where};
        if (is_expression_guard(guard.condition)) {
            // A guard sits on one line of the document, so its offsets are columns.
            EmbeddedSource text(guard.condition, source, guard.where, exact_positions);
            compiled.expression =
                parse_collecting(sink, [&] { return parse_expression(text, sink); });
        } else {
            compiled.fact_key = fact_key_for_phrase(guard.condition);
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

}  // namespace deployphase::predicate
