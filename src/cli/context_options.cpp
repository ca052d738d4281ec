#include "context_options.hpp"

#include <deployphase/context/context.hpp>

namespace deployphase::cli {

nlohmann::json ContextOptions::load() const {
    return context::load_context(files, assignments);
}

context::Secrets ContextOptions::secrets_of(const nlohmann::json& context) const {
    context::Secrets known(secrets);
    known.learn(context);
    return known;
}

void add_context_options(Command& command, ContextOptions& options) {
    command.option("-c,--context", options.files,
                   "JSON object file; repeatable, later files deep-merge over earlier ones");
    command.option_each(
        "-s,--set", [&options](const std::string& text) { options.assignments.push_back(text); },
        "KEY=VALUE, applied after the files in order; KEY may be dotted (change.approved). "
        "VALUE is JSON when it parses and a number prints back as written (42, -3, 1.5, true, "
        "null, [..], {..}), else a string (1.10, 007, v2)");
    command.option_each(
        "--set-string",
        [&options](const std::string& text) {
            options.assignments.push_back(context::string_assignment(text));
        },
        "KEY=VALUE whose VALUE is always a string, as typed");
    command
        .option("--secret", options.secrets,
                "KEY (dotted) whose value is shown and recorded as ***; repeatable. Keys ending "
                "in _TOKEN or containing PASSWORD, SECRET, CREDENTIAL, API_KEY, PRIVATE_KEY or "
                "PASSWD always are")
        .one_value_each();
}

}  // namespace deployphase::cli
