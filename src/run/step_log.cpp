#include <deployphase/run/step_log.hpp>

#include <ctime>

#include <fmt/chrono.h>
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

namespace {
constexpr std::string_view header_start = "=== deployphase: run ";
}

std::string log_section_header(std::string_view run_id, std::string_view kind, unsigned attempt,
                               std::chrono::system_clock::time_point started) {
    std::time_t seconds = std::chrono::system_clock::to_time_t(started);
    std::string what = kind == "step" ? fmt::format("step attempt {}", attempt) : std::string(kind);
    return fmt::format("{}{}, {}, {:%Y-%m-%dT%H:%M:%SZ} ===\n", header_start, run_id, what,
                       fmt::gmtime(seconds));
}

std::string_view last_log_section(std::string_view log, std::string_view run_id) {
    std::size_t at = log.rfind(fmt::format("\n{}", header_start));
    std::string_view section = at == std::string_view::npos ? log : log.substr(at + 1);
    if (run_id.empty() || !section.starts_with(header_start)) return section;
    std::string_view named = section.substr(header_start.size());
    if (named.starts_with(run_id) && named.substr(run_id.size()).starts_with(",")) return section;
    return {};
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
