#include "cli/context_options.hpp"

#include <deployphase/context/context.hpp>

namespace deployphase::cli {

nlohmann::json ContextOptions::load() const {
    return context::load_context(files, assignments);
}

void add_context_options(CLI::App& command, ContextOptions& options) {
    command.add_option("-c,--context", options.files,
                       "JSON object file; repeatable, later files deep-merge over earlier ones");
    command
        .add_option("-s,--set", options.assignments,
                    "KEY=VALUE, applied after the files; KEY may be dotted (change.approved), "
                    "VALUE is JSON if it parses, else a string")
        ->allow_extra_args(false);
}

}  // namespace deployphase::cli
