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
    command
        .option("-s,--set", options.assignments,
                "KEY=VALUE, applied after the files; KEY may be dotted (change.approved), VALUE "
                "is JSON if it parses, else a string")
        .one_value_each();
    command
        .option("--secret", options.secrets,
                "KEY (dotted) whose value is shown and recorded as ***; repeatable. Keys ending "
                "in _TOKEN or containing PASSWORD, SECRET, CREDENTIAL, API_KEY, PRIVATE_KEY or "
                "PASSWD always are")
        .one_value_each();
}

}  // namespace deployphase::cli
