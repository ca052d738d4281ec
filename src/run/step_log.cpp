#include <deployphase/run/step_log.hpp>

#include <fmt/format.h>

#include <deployphase/support/atomic_file.hpp>
#include <deployphase/support/errors.hpp>

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

void mask_step_logs(const std::filesystem::path& state_dir, const context::Secrets& secrets) {
    namespace fs = std::filesystem;
    std::error_code error;
    fs::directory_iterator logs(state_dir / "logs", error);
    if (error) return;  // no logs yet
    for (const fs::directory_entry& entry : logs) {
        // A planted link or FIFO is not ours to rewrite; the next write to it refuses it.
        if (entry.symlink_status(error).type() != fs::file_type::regular || error) continue;
        std::string text;
        if (auto failure = read_state_file(entry.path(), text))
            throw_storage_error(entry.path(), "cannot read the log to mask it", failure->error);
        std::string masked = secrets.mask_text(text);
        if (masked != text) write_file_atomically(entry.path().string(), masked, 0600);
    }
}

}  // namespace deployphase::run
