#pragma once
// The few POSIX file loops every layer needs, with EINTR retried. They report failures as a
// value; each caller turns one into its own error, worded for its user.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace deployphase {

struct IoError {
    const char* operation;  // "open", "read", "write", "fsync"
    int error;              // errno
};

std::optional<IoError> read_file(const std::filesystem::path& path, std::string& content);
std::optional<IoError> write_all(int fd, std::string_view bytes);
// fsync of the directory holding `file`, so a created or renamed entry survives a crash.
std::optional<IoError> sync_parent_directory(const std::filesystem::path& file);

}  // namespace deployphase
