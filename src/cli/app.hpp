#pragma once

namespace deployphase::cli {

// Parses the command line, runs the chosen subcommand, returns the process exit code.
int run(int argc, char** argv);

}  // namespace deployphase::cli
