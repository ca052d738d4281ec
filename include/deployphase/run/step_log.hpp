#pragma once
// Where a step's scripts leave their output, and reading it back for reports.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include <deployphase/context/secrets.hpp>

namespace deployphase::run {

// DIR/logs/INDEX-ID.log for the step script, INDEX-ID.check.log and INDEX-ID.rollback.log for
// the others.
std::filesystem::path step_log_file(const std::filesystem::path& state_dir, std::size_t index,
                                    const std::string& id, std::string_view kind = "step");

// That log's content; "" when there is none (a script that printed nothing leaves no file) or it
// cannot be read (a report goes on without it).
std::string read_step_log(const std::filesystem::path& state_dir, std::size_t index,
                          const std::string& id, std::string_view kind = "step");

// Rewrites every log in DIR/logs that holds a value `secrets` knows with the value masked,
// each atomically: a step's output can make a value it printed a secret only once it ends.
// Throws StorageError when a log cannot be rewritten: the run must not go on leaving it.
void mask_step_logs(const std::filesystem::path& state_dir, const context::Secrets& secrets);

}  // namespace deployphase::run
