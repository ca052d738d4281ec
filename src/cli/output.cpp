#include "output.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include <deployphase/plan/plan_json.hpp>
#include <deployphase/report/plan_text.hpp>
#include <deployphase/support/errors.hpp>

namespace deployphase::cli {

void print_diagnostics(const std::vector<Diagnostic>& diagnostics, std::FILE* stream) {
    for (const Diagnostic& diagnostic : diagnostics) {
        fmt::print(stream, "{}\n", format_diagnostic(diagnostic));
    }
}

void require_writable_output(const std::string& path, std::string_view flag) {
    namespace fs = std::filesystem;
    auto refuse = [&](const std::string& why) {
        throw InputError(
            Diagnostic::error({path, 0, 0}, fmt::format("{} cannot be written: {}", flag, why)));
    };
    std::error_code error;
    if (fs::is_directory(path, error)) refuse("it is a directory; give a file's path");
    fs::path directory = fs::path(path).parent_path();
    if (directory.empty()) directory = ".";
    if (!fs::is_directory(directory, error))
        refuse(fmt::format("there is no directory {}", directory.string()));
    if (::access(directory.c_str(), W_OK | X_OK) != 0)
        refuse(fmt::format("{} ({})", std::strerror(errno), directory.string()));
}

void print_plan(const plan::Plan& plan, std::string_view output, ColorMode color) {
    if (output == "json") {
        fmt::print("{}\n", plan::plan_to_json(plan).dump(2));
    } else {
        fmt::print("{}", report::render_plan_text(plan, style_for(color, stdout)));
    }
}

}  // namespace deployphase::cli
