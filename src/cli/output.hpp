#pragma once
// How the command line prints what the core reports.

#include <cstdio>
#include <vector>

#include <deployphase/support/diagnostic.hpp>

namespace deployphase::cli {

// Each as format_diagnostic makes it (`FILE:LINE:COL: error: message`, the source line, a
// caret), one after another.
void print_diagnostics(const std::vector<Diagnostic>& diagnostics, std::FILE* stream = stderr);

}  // namespace deployphase::cli
