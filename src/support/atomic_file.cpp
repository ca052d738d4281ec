#include <deployphase/support/atomic_file.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include <fmt/format.h>

#include <deployphase/support/crash_point.hpp>
#include <deployphase/support/errors.hpp>
#include <deployphase/support/fd.hpp>

#include "support/defer.hpp"
#include "support/file_io.hpp"

namespace deployphase {

void write_file_atomically(const std::string& path, std::string_view content, unsigned mode) {
    std::filesystem::path target(path);
    std::filesystem::path directory = target.has_parent_path() ? target.parent_path() : ".";
    std::string temp = (directory / ("." + target.filename().string() + ".tmp.XXXXXX")).string();
    // mkostemp opens with O_CREAT | O_EXCL: never an existing file, nor a symlink.
    Fd fd(::mkostemp(temp.data(), O_CLOEXEC | O_NOFOLLOW));
    if (!fd) throw_storage_error(path, "cannot write the file: creating a temporary file", errno);
    Defer remove_temp([&] { ::unlink(temp.c_str()); });  // unless it was renamed into place

    mode_t mask = ::umask(0);
    ::umask(mask);
    if (::fchmod(fd.get(), static_cast<mode_t>(mode) & ~mask) != 0)
        throw_storage_error(path, "cannot write the file: setting permissions", errno);
    if (auto failure = write_all(fd.get(), content))
        throw_storage_error(path, "cannot write the file: write", failure->error);
    if (::fsync(fd.get()) != 0) throw_storage_error(path, "cannot write the file: fsync", errno);
    if (fd.close() != 0) throw_storage_error(path, "cannot write the file: close", errno);
    crash_point();
    if (::rename(temp.c_str(), path.c_str()) != 0)
        throw_storage_error(path, "cannot write the file: rename", errno);
    remove_temp.cancel();
    crash_point();

    if (auto failure = sync_parent_directory(path)) {
        throw_storage_error(
            path, fmt::format("cannot write the file: {} of its directory", failure->operation),
            failure->error);
    }
}

}  // namespace deployphase
