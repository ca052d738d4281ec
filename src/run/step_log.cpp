#include <deployphase/run/step_log.hpp>

#include <fmt/format.h>

#include "support/file_io.hpp"

namespace deployphase::run {

std::filesystem::path step_log_file(const std::filesystem::path& state_dir, std::size_t index,
                                    const std::string& id, std::string_view kind) {
    return state_dir / "logs" /
           (kind == "step" ? fmt::format("{}-{}.log", index, id)
                           : fmt::format("{}-{}.{}.log", index, id, kind));
}

std::string read_step_log(const std::filesystem::path& state_dir, std::size_t index,
                          const std::string& id, std::string_view kind) {
    std::string text;
    if (read_state_file(step_log_file(state_dir, index, id, kind), text)) return "";
    return text;
}

}  // namespace deployphase::run
