#pragma once
// A state store held in memory, for tests of the run's state machine with no file, process or
// server (as ninja tests its build loop over a virtual file system). Records are kept as the
// JSON text a real store writes and read back through the same checks, and a test can make
// any append fail the way a full disk or a lost server does.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/state/store.hpp>

namespace deployphase::test {

class MemoryStore final : public state::StateStore {
  public:
    MemoryStore();

    std::string name() const override { return "memory"; }
    std::string current_name() const override { return "memory#current"; }
    // One holder at a time, as the real locks: a second lock() throws LockHeld.
    std::unique_ptr<state::StoreLock> lock() override;
    bool has_current() override;
    std::optional<state::OpenedLog> open_current(bool writable,
                                                 const state::RecordSink& take) override;
    state::OpenedLog create_current() override;
    void archive_current(const std::string& run_id) override;
    state::OpenedLog create_archived(const std::string& run_id) override;
    std::optional<state::OpenedLog> open_archived_since_current(
        const state::RecordSink& take) override;
    void read_runs(std::size_t limit,
                   const std::function<state::RecordSink(const std::string& name)>& each) override;
    void delete_archived(const std::string& run_id) override;
    bool lost() override;
    std::optional<LockHolder> lock_holder() override;
    bool break_lock() override;

    // What may happen to an append that fails: nothing of it was kept (a refused write), or
    // all of it was (a commit whose answer was lost).
    enum class Kept { none, all };
    // The n-th append from now (1: the next one) throws StorageError.
    void fail_append(std::size_t n, Kept kept = Kept::none);
    // From now on, lost() says the store's session ended (as a PostgreSQL store's would).
    void lose();

    std::vector<nlohmann::json> current_records() const;
    std::size_t appends() const;                // how many appends succeeded or failed, in all
    std::vector<std::string> archived() const;  // run ids, in the order they were filed

    struct Data;

  private:
    std::shared_ptr<Data> m_data;
};

}  // namespace deployphase::test
