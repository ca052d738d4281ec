#pragma once
// How the command line prints what the core reports.

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <deployphase/plan/plan.hpp>
#include <deployphase/support/diagnostic.hpp>

#include "terminal.hpp"

namespace deployphase::cli {

// Each as format_diagnostic makes it (`FILE:LINE:COL: error: message`, the source line, a
// caret), one after another.
void print_diagnostics(const std::vector<Diagnostic>& diagnostics, std::FILE* stream = stderr);

// Throws InputError (exit 2) unless a file can be written at `path` (the value of `flag`): its
// directory exists and may be written, and it is not a directory. Checked before a run starts,
// so that a report it cannot write is found out before the deployment, not after.
void require_writable_output(const std::string& path, std::string_view flag);

// A plan or a preview on stdout: the text `plan` prints, or with `output` "json" its JSON.
void print_plan(const plan::Plan& plan, std::string_view output, ColorMode color);

}  // namespace deployphase::cli
