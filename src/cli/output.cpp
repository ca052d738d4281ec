#include "output.hpp"

#include <fmt/format.h>

namespace deployphase::cli {

void print_diagnostics(const std::vector<Diagnostic>& diagnostics, std::FILE* stream) {
    for (const Diagnostic& diagnostic : diagnostics) {
        fmt::print(stream, "{}\n", format_diagnostic(diagnostic));
    }
}

}  // namespace deployphase::cli
