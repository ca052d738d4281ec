#include "support/file_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace deployphase {

std::optional<IoError> read_file(const std::filesystem::path& path, std::string& content) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return IoError{"open", errno};
    char buffer[65536];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            IoError failure{"read", errno};
            ::close(fd);
            return failure;
        }
        if (n == 0) break;
        content.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return std::nullopt;
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
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return IoError{"open", errno};
    int synced = ::fsync(fd);
    IoError failure{"fsync", errno};
    ::close(fd);
    if (synced != 0) return failure;
    return std::nullopt;
}

}  // namespace deployphase
