#pragma once
// How the CLI prints what the core reports.

#include <cstdio>
#include <vector>

#include <deployphase/support/diagnostic.hpp>

namespace deployphase::cli {

void print_diagnostics(const std::vector<Diagnostic>& diagnostics, std::FILE* stream = stderr);

}  // namespace deployphase::cli
