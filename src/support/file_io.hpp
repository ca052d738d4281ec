#pragma once
// The few POSIX file loops every layer needs, with EINTR retried. They report failures as a
// value; each caller turns one into its own error, worded for its user.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace deployphase {

struct IoError {
    const char* operation;  // "open", "read", "write", "fsync"
    int error;              // errno
};

// Appends the file's bytes to `content`. More than `limit` bytes is {"read", EFBIG}: checked
// while reading, so an endless input (/dev/zero, a pipe that never ends) stops there.
std::optional<IoError> read_file(const std::filesystem::path& path, std::string& content,
                                 std::size_t limit = SIZE_MAX);
std::optional<IoError> write_all(int fd, std::string_view bytes);
// fsync of the directory holding `file`, so a created or renamed entry survives a crash.
std::optional<IoError> sync_parent_directory(const std::filesystem::path& file);

}  // namespace deployphase
