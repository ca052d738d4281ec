#pragma once
// Where a step's scripts leave their output, and reading it back for reports.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <deployphase/context/secrets.hpp>

namespace deployphase::run {

// DIR/logs/INDEX-ID.log for the step script, INDEX-ID.check.log and INDEX-ID.rollback.log for
// the others.
std::filesystem::path step_log_file(const std::filesystem::path& state_dir, std::size_t index,
                                    const std::string& id, std::string_view kind = "step");

// The line each script run writes to its log before its first output: a log is appended to by
// every attempt and every later run, and this says where each begins.
//   === deployphase: run 20261129T102513Z-a0ecf1, step attempt 2, 2026-11-29T10:25:14Z ===
std::string log_section_header(std::string_view run_id, std::string_view kind, unsigned attempt,
                               std::chrono::system_clock::time_point started);

// The last section of a log: what the latest script run printed, from its header on (the whole
// text when it has none: a log written before headers were). With `run_id`, nothing when that
// section is another run's: the step printed nothing in this one.
std::string_view last_log_section(std::string_view log, std::string_view run_id = {});

// One script run's part of a log, as its header names it. A log written before headers were
// (journal format 1's time) is one section with no run id.
struct LogSection {
    std::string run_id;
    std::string kind;       // "step", "check" or "rollback"
    unsigned attempt = 0;   // of a step script; 0 for the others
    std::string at;         // its start, UTC
    std::string_view text;  // what it printed, without the header
};
std::vector<LogSection> log_sections(std::string_view log);

// The section of `log` that run `run_id`'s `kind` script wrote: for a step script, attempt
// `attempt` (0: the latest). A log without headers (format 1's time) counts as the run's own.
// Nothing when that script run printed nothing.
std::optional<LogSection> find_log_section(std::string_view log, std::string_view run_id,
                                           std::string_view kind, unsigned attempt);

// Rewrites each log in DIR/logs without the sections of the runs `run_ids` (atomically,
// 0600); a log left empty is removed. Sections without a run id (format 1's time) stay.
void drop_log_sections(const std::filesystem::path& state_dir,
                       const std::set<std::string>& run_ids);

// That log's content; "" when there is none (a script that printed nothing leaves no file) or it
// cannot be read (a report goes on without it).
std::string read_step_log(const std::filesystem::path& state_dir, std::size_t index,
                          const std::string& id, std::string_view kind = "step");

// Rewrites every log in DIR/logs that holds a value `secrets` knows with the value masked,
// each atomically: a step's output can make a value it printed a secret only once it ends.
// Throws StorageError when a log cannot be rewritten: the run must not go on leaving it.
void mask_step_logs(const std::filesystem::path& state_dir, const context::Secrets& secrets);

}  // namespace deployphase::run
