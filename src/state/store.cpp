#include <deployphase/state/store.hpp>

#include <fmt/format.h>

#include <deployphase/state/directory_store.hpp>

namespace deployphase::state {

LockHeld::LockHeld(const std::string& where, LockHolder holder, std::string_view released_when)
    : std::runtime_error(
          fmt::format("{}: error: another run holds the lock (pid {}{}{}); it is released when {}",
                      where, holder.pid, holder.host.empty() ? "" : " on " + holder.host,
                      holder.since.empty() ? "" : ", since " + holder.since, released_when)),
      m_holder(std::move(holder)) {}

std::shared_ptr<StateStore> make_store(const StoreOptions& options) {
    return std::make_shared<DirectoryStore>(options.state_dir);
}

}  // namespace deployphase::state
