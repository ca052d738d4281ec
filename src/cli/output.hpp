#pragma once
// How the command line prints what the core reports.

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <deployphase/support/diagnostic.hpp>

namespace deployphase::cli {

// Each as format_diagnostic makes it (`FILE:LINE:COL: error: message`, the source line, a
// caret), one after another.
void print_diagnostics(const std::vector<Diagnostic>& diagnostics, std::FILE* stream = stderr);

// Throws InputError (exit 2) unless a file can be written at `path` (the value of `flag`): its
// directory exists and may be written, and it is not a directory. Checked before a run starts,
// so that a report it cannot write is found out before the deployment, not after.
void require_writable_output(const std::string& path, std::string_view flag);

}  // namespace deployphase::cli
