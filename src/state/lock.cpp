#include <deployphase/state/lock.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <deployphase/support/errors.hpp>

#include "support/file_io.hpp"
#include "support/system.hpp"
#include "support/utf8.hpp"

namespace deployphase::state {
namespace {

namespace fs = std::filesystem;

LockHolder read_holder(int fd) {
    std::string text;
    char buffer[512];
    ssize_t n;
    while ((n = ::pread(fd, buffer, sizeof buffer, static_cast<off_t>(text.size()))) > 0) {
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() > 4096) break;
    }
    return parse_lock_holder(text);
}

}  // namespace

LockHolder shown_holder(long pid, std::string host, std::string since) {
    auto shown = [](std::string text) {
        return text.size() <= 255 && is_printable_utf8(text) ? text : std::string();
    };
    return {pid, shown(std::move(host)), shown(std::move(since))};
}

LockHolder parse_lock_holder(std::string_view text) {
    auto info = nlohmann::json::parse(text, nullptr, false);
    if (!info.is_object()) return {};
    auto text_field = [&info](const char* name) {
        auto found = info.find(name);
        return found != info.end() && found->is_string() ? found->get<std::string>() : "";
    };
    auto pid = info.find("pid");
    return shown_holder(pid != info.end() && pid->is_number_integer() ? pid->get<long>() : 0,
                        text_field("host"), text_field("since"));
}

void check_state_directory(const fs::path& state_dir, bool make_private) {
    struct stat info {};
    if (::lstat(state_dir.c_str(), &info) != 0)
        throw_storage_error(state_dir, "cannot read the state directory", errno);
    if (S_ISLNK(info.st_mode)) {
        throw StateError(state_dir.string(),
                         "the state directory is a symbolic link; give the real directory");
    }
    if (!S_ISDIR(info.st_mode)) {
        throw StateError(state_dir.string(), "not a directory");
    }
    if (info.st_uid != ::geteuid()) {
        throw StateError(
            state_dir.string(),
            fmt::format("the state directory belongs to uid {}, not to this user (uid {}); "
                        "refusing to use another user's state",
                        info.st_uid, ::geteuid()));
    }
    if (make_private && (info.st_mode & 077) != 0 && ::chmod(state_dir.c_str(), 0700) != 0) {
        throw_storage_error(state_dir, "cannot make the state directory private", errno);
    }
}

StateLock StateLock::acquire(const fs::path& state_dir) {
    // Missing parents are created as `mkdir -p` would; only the state directory itself must
    // be private.
    if (state_dir.has_parent_path() && !state_dir.parent_path().empty()) {
        std::error_code error;
        fs::create_directories(state_dir.parent_path(), error);
        if (error)
            throw_storage_error(state_dir.parent_path(), "cannot create the directory",
                                error.value());
    }
    if (::mkdir(state_dir.c_str(), 0700) != 0 && errno != EEXIST) {
        throw_storage_error(state_dir, "cannot create the state directory", errno);
    }
    check_state_directory(state_dir, true);
    fs::path path = state_dir / "lock";
    Fd fd = open_state_file(path, O_RDWR | O_CREAT);
    if (!fd) throw_storage_error(path, "cannot open the lock file", errno);
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) throw LockHeld(path, read_holder(fd.get()), "that process ends");
        throw_storage_error(path, "cannot lock", errno);
    }
    // Who holds it, for the message another runner prints; informational, so not fsynced.
    std::string info =
        nlohmann::json{{"pid", ::getpid()}, {"host", host_name()}, {"since", now_utc()}}.dump() +
        "\n";
    if (::ftruncate(fd.get(), 0) != 0 ||
        ::pwrite(fd.get(), info.data(), info.size(), 0) != static_cast<ssize_t>(info.size())) {
        throw_storage_error(path, "cannot write the lock file", errno);
    }
    return StateLock(std::move(fd));
}

std::optional<LockHolder> StateLock::holder(const fs::path& state_dir) {
    fs::path path = state_dir / "lock";
    Fd fd = open_state_file(path, O_RDONLY);
    if (!fd) {
        if (errno == ENOENT) return std::nullopt;
        throw_storage_error(path, "cannot open the lock file", errno);
    }
    // A shared lock is refused exactly while a runner holds the exclusive one.
    if (::flock(fd.get(), LOCK_SH | LOCK_NB) == 0) return std::nullopt;
    if (errno != EWOULDBLOCK) throw_storage_error(path, "cannot lock", errno);
    return read_holder(fd.get());
}

}  // namespace deployphase::state
