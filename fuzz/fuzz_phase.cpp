// libFuzzer target: the phase reader (Markdown, or the JSON form when the input starts with
// '{'), the predicate compiler behind it, and the planner over what it read.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include <deployphase/phase/loader.hpp>
#include <deployphase/plan/plan.hpp>
#include <deployphase/support/errors.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace deployphase;
    std::string text(reinterpret_cast<const char*>(data), size);
    std::string name = !text.empty() && text[0] == '{' ? "fuzz.json" : "fuzz.md";
    try {
        phase::LoadedPhase loaded = phase::load_phase(SourceFile::from_text(name, text));
        for (const Diagnostic& warning : loaded.warnings)
            (void)format_diagnostic(warning);
        const nlohmann::json contexts[] = {
            nlohmann::json::object(),
            {{"validated_implementation", true}, {"deployment_required", true}, {"x", {1, 2}}}};
        for (const nlohmann::json& context : contexts)
            (void)plan::make_plan(loaded.phase, loaded.logic, context, context::Secrets{});
    } catch (const InputError& error) {
        for (const Diagnostic& diagnostic : error.diagnostics())
            (void)format_diagnostic(diagnostic);
    }
    return 0;
}
