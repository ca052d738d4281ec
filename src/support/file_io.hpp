#pragma once
// The few POSIX file loops every layer needs, with EINTR retried. They report failures as a
// value; each caller turns one into its own error, worded for its user. The exception: a
// state directory's own files and folders, where something planted (a link, a FIFO) is
// refused as a StateError naming it, one way for every caller.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <deployphase/support/fd.hpp>

namespace deployphase {

struct IoError {
    const char* operation;  // "open", "read", "write", "fsync"
    int error;              // errno
};

// Appends the file's bytes to `content`. More than `limit` bytes is {"read", EFBIG}: checked
// while reading, so an endless input (/dev/zero, a pipe that never ends) stops there.
std::optional<IoError> read_file(const std::filesystem::path& path, std::string& content,
                                 std::size_t limit = SIZE_MAX);
// Appends what is left to read from `fd` to `content`, with the same limit.
std::optional<IoError> read_all(int fd, std::string& content, std::size_t limit = SIZE_MAX);

// Opens a file deployphase keeps in a state directory (the journal, the lock, a log, an
// output file) with `flags` (O_CLOEXEC added). It never follows a symbolic link and never
// blocks on a FIFO or a device: O_NOFOLLOW | O_NONBLOCK, then fstat. A link or anything but a
// regular file is a StateError naming it (exit 2); any other failure an invalid Fd, errno set.
Fd open_state_file(const std::filesystem::path& path, int flags, mode_t mode = 0600);
// read_file for such a file: a link or anything but a regular file is a StateError.
std::optional<IoError> read_state_file(const std::filesystem::path& path, std::string& content);

// Creates a folder of a state directory (logs/, outputs/, history/), 0700, or checks the one
// there: a symbolic link or anything but a directory is a StateError naming it. Any other
// failure: errno set, false.
bool make_state_directory(const std::filesystem::path& path);
std::optional<IoError> write_all(int fd, std::string_view bytes);
// fsync of the directory holding `file`, so a created or renamed entry survives a crash.
std::optional<IoError> sync_parent_directory(const std::filesystem::path& file);

}  // namespace deployphase
