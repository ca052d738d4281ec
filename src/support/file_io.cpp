#include "support/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <fmt/format.h>

#include <deployphase/support/errors.hpp>
#include <deployphase/support/fd.hpp>
#include <deployphase/support/shell_words.hpp>

namespace deployphase {

std::optional<IoError> read_all(int fd, std::string& content, std::size_t limit) {
    char buffer[65536];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return IoError{"read", errno};
        if (n == 0) return std::nullopt;
        if (static_cast<std::size_t>(n) > limit - std::min(limit, content.size())) {
            return IoError{"read", EFBIG};
        }
        content.append(buffer, static_cast<std::size_t>(n));
    }
}

std::optional<IoError> read_file(const std::filesystem::path& path, std::string& content,
                                 std::size_t limit) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return IoError{"open", errno};
    return read_all(fd.get(), content, limit);
}

namespace {

// "a FIFO", "a symbolic link": what was found where deployphase keeps a file or folder.
std::string_view kind_of(mode_t mode) {
    if (S_ISLNK(mode)) return "a symbolic link";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISREG(mode)) return "a regular file";
    return "an unknown kind of file";
}

// Names what was found and the command that clears it (a link is removed, not its target).
[[noreturn]] void refuse_planted(const std::filesystem::path& path, mode_t mode,
                                 std::string_view expected) {
    throw StateError(path, fmt::format("{} where deployphase keeps {}; refusing to use it. Remove "
                                       "it (rm {}{}), and deployphase makes its own",
                                       kind_of(mode), expected, S_ISDIR(mode) ? "-r " : "",
                                       shell_quoted(path.string())));
}

}  // namespace

Fd open_state_file(const std::filesystem::path& path, int flags, mode_t mode) {
    Fd fd(::open(path.c_str(), flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, mode));
    if (!fd) {
        // ELOOP: the last component is a link. ENXIO: a FIFO no one reads, opened to write.
        int error = errno;
        struct stat found {};
        if ((error == ELOOP || error == ENXIO) && ::lstat(path.c_str(), &found) == 0) {
            refuse_planted(path, found.st_mode, "a regular file");
        }
        errno = error;
        return fd;
    }
    struct stat opened {};
    if (::fstat(fd.get(), &opened) != 0) return Fd();
    if (!S_ISREG(opened.st_mode)) refuse_planted(path, opened.st_mode, "a regular file");
    return fd;  // O_NONBLOCK stays: it changes nothing for a regular file
}

std::optional<IoError> read_state_file(const std::filesystem::path& path, std::string& content) {
    Fd fd = open_state_file(path, O_RDONLY);
    if (!fd) return IoError{"open", errno};
    return read_all(fd.get(), content);
}

bool make_state_directory(const std::filesystem::path& path) {
    if (::mkdir(path.c_str(), 0700) == 0) return true;
    if (errno != EEXIST) return false;
    struct stat found {};
    if (::lstat(path.c_str(), &found) != 0) return false;
    if (!S_ISDIR(found.st_mode)) refuse_planted(path, found.st_mode, "a directory");
    return true;
}

std::optional<IoError> write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return IoError{"write", errno};
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return std::nullopt;
}

std::optional<IoError> sync_parent_directory(const std::filesystem::path& file) {
    std::filesystem::path dir = file.has_parent_path() ? file.parent_path() : ".";
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) return IoError{"open", errno};
    if (::fsync(fd.get()) != 0) return IoError{"fsync", errno};
    return std::nullopt;
}

}  // namespace deployphase
