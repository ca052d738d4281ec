#include <deployphase/state/directory_store.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <functional>
#include <vector>

#include <fmt/format.h>

#include <deployphase/state/journal_file.hpp>
#include <deployphase/state/lock.hpp>
#include <deployphase/support/crash_point.hpp>
#include <deployphase/support/errors.hpp>

#include "support/file_io.hpp"

namespace deployphase::state {

namespace fs = std::filesystem;

namespace {

// DIR/history, made (0700) when missing.
fs::path history_directory(const fs::path& state_dir) {
    fs::path history = state_dir / "history";
    if (!make_state_directory(history)) {
        throw_storage_error(history, "cannot create the history directory", errno);
    }
    return history;
}

bool later(const struct timespec& a, const struct timespec& b) {
    return a.tv_sec != b.tv_sec ? a.tv_sec > b.tv_sec : a.tv_nsec > b.tv_nsec;
}

struct DirectoryLock final : StoreLock {
    explicit DirectoryLock(StateLock held) : lock(std::move(held)) {}
    StateLock lock;
};

}  // namespace

std::unique_ptr<StoreLock> DirectoryStore::lock() {
    return std::make_unique<DirectoryLock>(StateLock::acquire(m_dir));
}

bool DirectoryStore::has_current() {
    return fs::exists(fs::symlink_status(journal()));
}

std::optional<OpenedLog> DirectoryStore::open_current(bool writable, const RecordSink& take) {
    if (!writable) {  // a reader changes nothing, not even a state directory others may read
        if (!fs::exists(fs::symlink_status(m_dir))) return std::nullopt;
        check_state_directory(m_dir, false);
    }
    if (!has_current()) return std::nullopt;
    return JournalFile::open(journal(), writable, take);
}

OpenedLog DirectoryStore::create_current() {
    return JournalFile::open(journal(), true, [](nlohmann::json&&, std::string_view) {});
}

// Renamed into history/, then both directories fsynced: the next run must never find the old
// journal back in place after a crash, nor lose it.
void DirectoryStore::archive_current(const std::string& run_id) {
    fs::path archived = history_directory(m_dir) / (run_id + ".journal");
    fs::path current = journal();
    crash_point();
    if (::rename(current.c_str(), archived.c_str()) != 0) {
        throw_storage_error(current,
                            fmt::format("cannot move the journal to {}", archived.string()), errno);
    }
    crash_point();
    for (const fs::path& file : {archived, current}) {
        if (auto failure = sync_parent_directory(file)) {
            throw_storage_error(file.parent_path(),
                                fmt::format("{} of the directory", failure->operation),
                                failure->error);
        }
    }
}

// A new journal in history/, made as a current one is (created, fsynced, the directory too).
OpenedLog DirectoryStore::create_archived(const std::string& run_id) {
    fs::path path = history_directory(m_dir) / (run_id + ".journal");
    OpenedLog opened = JournalFile::open(path, true, [](nlohmann::json&&, std::string_view) {});
    opened.name = path.string();
    return opened;
}

// Filed order is modification time: a journal is last written as its run ends, and a rename
// into history/ keeps it.
std::optional<OpenedLog> DirectoryStore::open_archived_since_current(const RecordSink& take) {
    std::error_code error;
    fs::directory_iterator entries(m_dir / "history", error);
    if (error) return std::nullopt;  // no history yet
    std::optional<fs::path> latest;
    std::optional<struct timespec> latest_time;
    for (const fs::directory_entry& entry : entries) {
        struct stat info {};
        if (entry.path().extension() != ".journal" || ::lstat(entry.path().c_str(), &info) != 0)
            continue;
        if (!latest_time || later(info.st_mtim, *latest_time)) {
            latest = entry.path();
            latest_time = info.st_mtim;
        }
    }
    if (!latest) return std::nullopt;
    struct stat current {};
    if (::lstat(journal().c_str(), &current) == 0 && !later(*latest_time, current.st_mtim))
        return std::nullopt;
    OpenedLog opened = JournalFile::open(*latest, false, take);
    opened.name = latest->string();
    return opened;
}

// history/RUN_ID.journal: run ids begin with their start time (to the second), so the newest
// `limit` are among the last names in order: those, and every other run of the same second
// as the last of them, are read, for the caller to order by the time each recorded.
void DirectoryStore::read_runs(std::size_t limit,
                               const std::function<RecordSink(const std::string& name)>& each) {
    std::vector<fs::path> runs;
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(m_dir / "history", error)) {
        if (entry.path().extension() == ".journal") runs.push_back(entry.path());
    }
    std::sort(runs.begin(), runs.end(), std::greater<>());
    if (limit != 0 && runs.size() > limit) {
        auto second = [](const fs::path& path) { return path.filename().string().substr(0, 16); };
        std::string last = second(runs[limit - 1]);
        std::size_t keep = limit;
        while (keep < runs.size() && second(runs[keep]) == last)
            ++keep;
        runs.resize(keep);
    }
    if (has_current()) runs.insert(runs.begin(), journal());
    for (const fs::path& path : runs) {
        RecordSink take = each(path.string());
        JournalFile::open(path, false, take);
    }
}

void DirectoryStore::delete_archived(const std::string& run_id) {
    fs::path history = m_dir / "history";
    fs::path path = history / (run_id + ".journal");
    if (::unlink(path.c_str()) != 0) {
        if (errno == ENOENT) return;
        throw_storage_error(path, "cannot delete the run's journal", errno);
    }
    if (auto failure = sync_parent_directory(path)) {
        throw_storage_error(history, fmt::format("{} of the directory", failure->operation),
                            failure->error);
    }
}

std::optional<LockHolder> DirectoryStore::lock_holder() {
    return StateLock::holder(m_dir);
}

bool DirectoryStore::break_lock() {
    std::optional<LockHolder> holder = lock_holder();
    if (!holder) return false;
    throw StateError(
        (m_dir / "lock").string(),
        fmt::format("the lock is held by a live process (pid {}{}); the kernel releases it when "
                    "that process ends, and nothing else can: stop the process",
                    holder->pid, holder->host.empty() ? "" : " on " + holder->host));
}

}  // namespace deployphase::state
