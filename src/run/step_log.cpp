#include <deployphase/run/step_log.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
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

std::vector<LogSection> log_sections(std::string_view log) {
    std::vector<LogSection> sections;
    std::size_t at = 0;
    while (at < log.size()) {
        LogSection section;
        std::size_t body = at;
        if (log.substr(at).starts_with(header_start)) {
            std::size_t end = log.find('\n', at);
            std::string_view header = log.substr(
                at + header_start.size(),
                (end == std::string_view::npos ? log.size() : end) - at - header_start.size());
            // "RUN_ID, step attempt N, AT ===" or "RUN_ID, check, AT ==="
            std::size_t comma = header.find(", ");
            section.run_id = std::string(header.substr(0, comma));
            std::string_view rest = comma == std::string_view::npos ? "" : header.substr(comma + 2);
            std::size_t second = rest.find(", ");
            std::string_view what = rest.substr(0, second);
            if (what.starts_with("step attempt ")) {
                section.kind = "step";
                section.attempt = static_cast<unsigned>(
                    std::strtoul(std::string(what.substr(13)).c_str(), nullptr, 10));
            } else {
                section.kind = std::string(what);
            }
            if (second != std::string_view::npos) {
                std::string_view time = rest.substr(second + 2);
                section.at = std::string(time.substr(0, time.find(' ')));
            }
            body = end == std::string_view::npos ? log.size() : end + 1;
        }
        // From the header's own newline, so that a header right after it ends an empty section.
        std::size_t next = log.find(fmt::format("\n{}", header_start), body > at ? body - 1 : body);
        std::size_t stop = next == std::string_view::npos ? log.size() : next + 1;
        section.text = log.substr(body, stop - body);
        sections.push_back(std::move(section));
        at = stop;
    }
    return sections;
}

std::optional<LogSection> find_log_section(std::string_view log, std::string_view run_id,
                                           std::string_view kind, unsigned attempt) {
    std::optional<LogSection> found;
    for (LogSection& section : log_sections(log)) {
        bool ours = section.run_id.empty() || section.run_id == run_id;
        bool same_kind = section.run_id.empty() || section.kind == kind;
        if (ours && same_kind && (attempt == 0 || section.attempt == attempt))
            found = std::move(section);
    }
    return found;
}

std::string read_step_log(const std::filesystem::path& state_dir, std::size_t index,
                          const std::string& id, std::string_view kind) {
    std::string text;
    if (read_state_file(step_log_file(state_dir, index, id, kind), text)) return "";
    return text;
}

void drop_log_sections(const std::filesystem::path& state_dir,
                       const std::set<std::string>& run_ids) {
    namespace fs = std::filesystem;
    std::error_code error;
    fs::directory_iterator logs(state_dir / "logs", error);
    if (error) return;  // no logs
    for (const fs::directory_entry& entry : logs) {
        if (entry.symlink_status(error).type() != fs::file_type::regular || error) continue;
        std::string text;
        if (auto failure = read_state_file(entry.path(), text))
            throw_storage_error(entry.path(), "cannot read the log to prune it", failure->error);
        std::string kept;
        bool dropped = false;
        for (const LogSection& section : log_sections(text)) {
            if (!section.run_id.empty() && run_ids.count(section.run_id)) {
                dropped = true;
                continue;
            }
            // The header line is the text just before the section's body.
            std::size_t body = static_cast<std::size_t>(section.text.data() - text.data());
            std::size_t start = section.run_id.empty() ? body : text.rfind(header_start, body);
            kept.append(text, start, body + section.text.size() - start);
        }
        if (!dropped) continue;
        if (kept.empty()) {
            if (::unlink(entry.path().c_str()) != 0 && errno != ENOENT)
                throw_storage_error(entry.path(), "cannot delete the pruned log", errno);
        } else {
            write_file_atomically(entry.path().string(), kept, 0600);
        }
    }
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
