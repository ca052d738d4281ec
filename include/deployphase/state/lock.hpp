#pragma once
// One run at a time per state directory. docs/state-format.md describes the lock file.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <deployphase/state/journal.hpp>
#include <deployphase/state/store.hpp>
#include <deployphase/support/fd.hpp>

namespace deployphase::state {

// Refuses (StateError) a state directory that is a symbolic link, not a directory, or owned
// by another user: its files may hold secrets and decide what runs. With `make_private`
// (commands that write state), one of ours that others may read is made 0700; readers such
// as `status` change nothing.
void check_state_directory(const std::filesystem::path& state_dir, bool make_private);

// A holder as messages show it: a host or time with control characters (which could move the
// reader's terminal) or over 255 bytes reads as unknown. Both stores' holders pass through it.
LockHolder shown_holder(long pid, std::string host, std::string since);

// Who a lock file says holds it (docs/state-format.md). Informational and written by whoever
// holds the lock, so anything odd (not JSON, a field of another type) reads as unknown, never
// as an error. Pure: the fuzzers feed it.
LockHolder parse_lock_holder(std::string_view text);

// An exclusive flock(2) on DIR/lock, held until destroyed. The kernel releases it when the
// holder exits or is killed, so a dead runner never blocks the next one, and it cannot be
// taken from a live holder. The directory is created 0700 when missing.
class StateLock {
  public:
    // Takes the lock without waiting; throws LockHeld naming the holder, or StateError.
    static StateLock acquire(const std::filesystem::path& state_dir);
    // Who holds the lock of `state_dir` now; nothing when it is free or there is no lock file.
    // Writes and creates nothing.
    static std::optional<LockHolder> holder(const std::filesystem::path& state_dir);

  private:
    explicit StateLock(Fd fd) : m_fd(std::move(fd)) {}
    Fd m_fd;  // closing it releases the flock
};

}  // namespace deployphase::state
