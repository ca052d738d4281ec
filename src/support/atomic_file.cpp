#include <deployphase/support/atomic_file.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include <deployphase/support/crash_point.hpp>
#include <deployphase/support/storage_error.hpp>

#include "support/file_io.hpp"

namespace deployphase {
namespace {

[[noreturn]] void fail(const std::string& path, std::string_view what, int error) {
    throw_storage_error(path, fmt::format("cannot write the file: {}", what), error);
}

// Removes the temporary file unless it was renamed into place.
class TemporaryFile {
  public:
    explicit TemporaryFile(std::string pattern) : m_path(std::move(pattern)) {
        // mkostemp opens with O_CREAT | O_EXCL: never an existing file, nor a symlink.
        m_fd = ::mkostemp(m_path.data(), O_CLOEXEC | O_NOFOLLOW);
        m_created = m_fd >= 0;
    }
    ~TemporaryFile() {
        if (m_fd >= 0) ::close(m_fd);
        if (m_created && !m_committed) ::unlink(m_path.c_str());
    }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;

    int fd() const { return m_fd; }
    const std::string& path() const { return m_path; }
    int close() {
        int result = ::close(m_fd);
        m_fd = -1;
        return result;
    }
    void committed() { m_committed = true; }

  private:
    std::string m_path;
    int m_fd = -1;
    bool m_created = false;
    bool m_committed = false;
};

}  // namespace

void write_file_atomically(const std::string& path, std::string_view content, unsigned mode) {
    std::filesystem::path target(path);
    std::filesystem::path directory = target.has_parent_path() ? target.parent_path() : ".";
    TemporaryFile temp((directory / ("." + target.filename().string() + ".tmp.XXXXXX")).string());
    if (temp.fd() < 0) fail(path, "creating a temporary file", errno);

    mode_t mask = ::umask(0);
    ::umask(mask);
    if (::fchmod(temp.fd(), static_cast<mode_t>(mode) & ~mask) != 0)
        fail(path, "setting permissions", errno);

    if (auto failure = write_all(temp.fd(), content)) fail(path, "write", failure->error);
    if (::fsync(temp.fd()) != 0) fail(path, "fsync", errno);
    if (temp.close() != 0) fail(path, "close", errno);
    crash_point();
    if (::rename(temp.path().c_str(), path.c_str()) != 0) fail(path, "rename", errno);
    temp.committed();
    crash_point();

    if (auto failure = sync_parent_directory(path)) {
        fail(path, fmt::format("{} of its directory", failure->operation), failure->error);
    }
}

}  // namespace deployphase
