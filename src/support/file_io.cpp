#include "support/file_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <deployphase/support/fd.hpp>

namespace deployphase {

std::optional<IoError> read_file(const std::filesystem::path& path, std::string& content,
                                 std::size_t limit) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return IoError{"open", errno};
    char buffer[65536];
    for (;;) {
        ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return IoError{"read", errno};
        if (n == 0) return std::nullopt;
        if (static_cast<std::size_t>(n) > limit - std::min(limit, content.size())) {
            return IoError{"read", EFBIG};
        }
        content.append(buffer, static_cast<std::size_t>(n));
    }
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
