// libFuzzer target: the context loader (a context file's JSON), the merge of one context
// over another, and the shipped phase planned against the result.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/context/context.hpp>
#include <deployphase/phase/loader.hpp>
#include <deployphase/plan/plan.hpp>
#include <deployphase/support/errors.hpp>

#ifndef DEPLOYPHASE_SHIPPED_PHASE
#error "DEPLOYPHASE_SHIPPED_PHASE must name phases/deployment-operations.md"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace deployphase;
    static const phase::LoadedPhase shipped = phase::load_phase(DEPLOYPHASE_SHIPPED_PHASE);
    try {
        nlohmann::json overlay = context::parse_context_file(SourceFile::from_text(
            "context.json", std::string(reinterpret_cast<const char*>(data), size)));
        nlohmann::json context = {{"validated_implementation", true}, {"deploy", {{"a", 1}}}};
        context::deep_merge(context, overlay);
        // Every key of the overlay is secret, so masking meets every shape of value too.
        std::vector<std::string> keys = {"deploy"};
        for (const auto& [key, value] : overlay.items())
            keys.push_back(key);
        context::Secrets secrets(keys);
        secrets.learn(context);
        (void)plan::make_plan(shipped.phase, shipped.logic, context, secrets);
        (void)plan::make_plan(shipped.phase, shipped.logic, overlay, context::Secrets{});
        (void)secrets.mask(overlay);
    } catch (const InputError& error) {
        for (const Diagnostic& diagnostic : error.diagnostics())
            (void)format_diagnostic(diagnostic);
    }
    return 0;
}
