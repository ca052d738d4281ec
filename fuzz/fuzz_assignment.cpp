// libFuzzer target: KEY=VALUE as --set and $DEPLOYPHASE_OUTPUT read it. Each line of the input
// is applied as one --set; the whole input is read as a step's output file; the resulting
// context becomes a step's environment and is masked as secrets are.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/context/context.hpp>
#include <deployphase/context/secrets.hpp>
#include <deployphase/phase/model.hpp>
#include <deployphase/run/step_environment.hpp>
#include <deployphase/support/errors.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace deployphase;
    std::string_view input(reinterpret_cast<const char*>(data), size);
    nlohmann::json context = nlohmann::json::object();
    std::vector<std::string> keys;
    for (std::string_view rest = input; !rest.empty();) {
        std::size_t newline = rest.find('\n');
        std::string_view line = rest.substr(0, newline);
        rest.remove_prefix(newline == std::string_view::npos ? rest.size() : newline + 1);
        try {
            context::apply_assignment(context, line);
            keys.emplace_back(line.substr(0, line.find('.')).substr(0, line.find('=')));
        } catch (const InputError& error) {
            (void)format_diagnostic(error.diagnostics().front());
        }
    }
    run::StepOutput output = run::parse_step_output(input);
    context::deep_merge(context, output.values);
    try {
        run::require_environment_fits(context, {"PATH=/bin"}, phase::Phase{});
    } catch (const InputError&) {
        return 0;  // the run would be refused here
    }
    (void)run::step_environment({"PATH=/bin"}, {"run", "phase", 1, "step", 1, "step"}, context,
                                "/state/context.json", "/state/outputs/step.env");
    context::Secrets secrets(keys);
    secrets.learn(context);
    (void)secrets.mask(context).dump();
    return 0;
}
