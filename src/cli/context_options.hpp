#pragma once
// --context, --set and --secret, shared by every command that evaluates a phase.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/context/secrets.hpp>

#include "flags.hpp"

namespace deployphase::cli {

struct ContextOptions {
    std::vector<std::string> files;
    std::vector<std::string> assignments;
    std::vector<std::string> secrets;  // --secret KEY

    nlohmann::json load() const;
    // The secrets of `context`: the --secret keys and the name patterns, values learned.
    context::Secrets secrets_of(const nlohmann::json& context) const;
};

void add_context_options(Command& command, ContextOptions& options);

}  // namespace deployphase::cli
