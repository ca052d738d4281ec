#include <deployphase/state/lock.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <deployphase/support/storage_error.hpp>

namespace deployphase::state {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const fs::path& path, std::string_view what, int error) {
    throw_storage_error(path, what, error);
}

LockHolder read_holder(int fd) {
    std::string text;
    char buffer[512];
    ssize_t n;
    while ((n = ::pread(fd, buffer, sizeof buffer, static_cast<off_t>(text.size()))) > 0) {
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() > 4096) break;
    }
    LockHolder holder;
    auto info = nlohmann::json::parse(text, nullptr, false);
    if (info.is_object()) {
        holder.pid = info.value("pid", 0);
        holder.host = info.value("host", "");
        holder.since = info.value("since", "");
    }
    return holder;
}

std::string now_utc() {
    return fmt::format(
        "{:%Y-%m-%dT%H:%M:%SZ}",
        fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

}  // namespace

void check_state_directory(const fs::path& state_dir, bool make_private) {
    struct stat info {};
    if (::lstat(state_dir.c_str(), &info) != 0)
        fail(state_dir, "cannot read the state directory", errno);
    if (S_ISLNK(info.st_mode)) {
        throw StateError(fmt::format(
            "{}: error: the state directory is a symbolic link; give the real directory",
            state_dir.string()));
    }
    if (!S_ISDIR(info.st_mode)) {
        throw StateError(fmt::format("{}: error: not a directory", state_dir.string()));
    }
    if (info.st_uid != ::geteuid()) {
        throw StateError(fmt::format(
            "{}: error: the state directory belongs to uid {}, not to this user (uid {}); "
            "refusing to use another user's state",
            state_dir.string(), info.st_uid, ::geteuid()));
    }
    if (make_private && (info.st_mode & 077) != 0 && ::chmod(state_dir.c_str(), 0700) != 0) {
        fail(state_dir, "cannot make the state directory private", errno);
    }
}

StateLock StateLock::acquire(const fs::path& state_dir) {
    // Missing parents are created as `mkdir -p` would; only the state directory itself must
    // be private.
    if (state_dir.has_parent_path() && !state_dir.parent_path().empty()) {
        std::error_code error;
        fs::create_directories(state_dir.parent_path(), error);
        if (error) fail(state_dir.parent_path(), "cannot create the directory", error.value());
    }
    if (::mkdir(state_dir.c_str(), 0700) != 0 && errno != EEXIST) {
        fail(state_dir, "cannot create the state directory", errno);
    }
    check_state_directory(state_dir, true);
    fs::path path = state_dir / "lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) fail(path, "cannot open the lock file", errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int error = errno;
        if (error == EWOULDBLOCK) {
            LockHolder holder = read_holder(fd);
            ::close(fd);
            throw LockHeld(path.string(), std::move(holder), "that process ends");
        }
        ::close(fd);
        fail(path, "cannot lock", error);
    }
    // Who holds it, for the message another runner prints; informational, so not fsynced.
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    std::string info =
        nlohmann::json{{"pid", ::getpid()}, {"host", host}, {"since", now_utc()}}.dump() + "\n";
    if (::ftruncate(fd, 0) != 0 ||
        ::pwrite(fd, info.data(), info.size(), 0) != static_cast<ssize_t>(info.size())) {
        int error = errno;
        ::close(fd);
        fail(path, "cannot write the lock file", error);
    }
    return StateLock(fd);
}

std::optional<LockHolder> StateLock::holder(const fs::path& state_dir) {
    fs::path path = state_dir / "lock";
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT) return std::nullopt;
        fail(path, "cannot open the lock file", errno);
    }
    // A shared lock is refused exactly while a runner holds the exclusive one.
    std::optional<LockHolder> holder;
    if (::flock(fd, LOCK_SH | LOCK_NB) != 0) {
        int error = errno;
        if (error != EWOULDBLOCK) {
            ::close(fd);
            fail(path, "cannot lock", error);
        }
        holder = read_holder(fd);
    }
    ::close(fd);
    return holder;
}

StateLock::~StateLock() {
    if (m_fd >= 0) ::close(m_fd);  // closing releases the flock
}

}  // namespace deployphase::state
