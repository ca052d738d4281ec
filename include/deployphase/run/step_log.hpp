#pragma once
// Where a step's scripts leave their output, and reading it back for reports.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace deployphase::run {

// DIR/logs/INDEX-ID.log for the step script, INDEX-ID.check.log and INDEX-ID.rollback.log for
// the others.
std::filesystem::path step_log_file(const std::filesystem::path& state_dir, std::size_t index,
                                    const std::string& id, std::string_view kind = "step");

// That log's content; "" when there is none (a script that printed nothing leaves no file) or it
// cannot be read (a report goes on without it).
std::string read_step_log(const std::filesystem::path& state_dir, std::size_t index,
                          const std::string& id, std::string_view kind = "step");

}  // namespace deployphase::run
