#pragma once
// --context and --set, shared by every command that evaluates a phase.

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace deployphase::cli {

struct ContextOptions {
    std::vector<std::string> files;
    std::vector<std::string> assignments;

    nlohmann::json load() const;
};

void add_context_options(CLI::App& command, ContextOptions& options);

}  // namespace deployphase::cli
