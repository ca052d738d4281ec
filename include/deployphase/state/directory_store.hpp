#pragma once
// The default store: the current run's journal at DIR/journal, finished runs under
// DIR/history/, and a flock(2) on DIR/lock. docs/state-format.md describes the directory.

#include <filesystem>
#include <memory>
#include <string>

#include <deployphase/state/store.hpp>

namespace deployphase::state {

class DirectoryStore final : public StateStore {
  public:
    explicit DirectoryStore(std::filesystem::path state_dir) : m_dir(std::move(state_dir)) {}

    std::string name() const override { return m_dir.string(); }
    std::string current_name() const override { return journal().string(); }
    std::unique_ptr<StoreLock> lock() override;
    bool has_current() override;
    std::optional<OpenedLog> open_current(bool writable, const RecordSink& take) override;
    OpenedLog create_current() override;
    void archive_current(const std::string& run_id) override;
    OpenedLog create_archived(const std::string& run_id) override;
    std::optional<OpenedLog> open_archived_since_current(const RecordSink& take) override;
    void read_runs(std::size_t limit,
                   const std::function<RecordSink(const std::string& name)>& each) override;
    void delete_archived(const std::string& run_id) override;
    bool lost() override { return false; }  // a flock lasts as long as this process
    std::optional<LockHolder> lock_holder() override;
    bool break_lock() override;

  private:
    std::filesystem::path journal() const { return m_dir / "journal"; }

    std::filesystem::path m_dir;
};

}  // namespace deployphase::state
