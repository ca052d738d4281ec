#pragma once

namespace deployphase::cli {

// Parses the command line, runs the chosen subcommand, returns the process exit code. Every
// error a command stops with is printed and mapped to its exit code here, and only here.
int run(int argc, char** argv);

}  // namespace deployphase::cli
