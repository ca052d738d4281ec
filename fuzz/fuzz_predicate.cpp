// libFuzzer target: the predicate language. The input is parsed as a Validation Logic program
// (and as a single guard expression); a program that parses is evaluated, every function,
// against a context with facts of every JSON type.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include <deployphase/predicate/embedded_source.hpp>
#include <deployphase/predicate/evaluator.hpp>
#include <deployphase/predicate/parser.hpp>
#include <deployphase/support/errors.hpp>
#include <deployphase/support/source_file.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace deployphase;
    static const nlohmann::json context = {{"validated_implementation", true},
                                           {"deployment_required", false},
                                           {"count", 0},
                                           {"name", "prod"},
                                           {"empty", ""},
                                           {"list", {1, 2}},
                                           {"nested", {{"a", {{"b", true}}}}},
                                           {"nothing", nullptr}};
    try {
        SourceFile file = SourceFile::from_text(
            "logic.js", std::string(reinterpret_cast<const char*>(data), size));
        predicate::EmbeddedSource source(file.text(), file, {"logic.js", 1, 1}, true);
        DiagnosticSink sink;
        predicate::Program program = predicate::parse_program(source, sink);
        if (!sink.has_errors()) {
            predicate::Evaluator evaluator(program, context);
            for (const predicate::Function& function : program.functions) {
                predicate::Trace trace;
                (void)evaluator.call(function, trace);
            }
        }
        DiagnosticSink guard_sink;
        auto guard = predicate::parse_expression(source, guard_sink);
        if (guard && !guard_sink.has_errors()) {
            predicate::Program none;
            predicate::Trace trace;
            (void)predicate::Evaluator(none, context).evaluate(*guard, trace);
        }
    } catch (const InputError&) {
    }
    return 0;
}
