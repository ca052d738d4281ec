#pragma once
// The append-only record of a run: one JSON event per record, each durable before the runner
// acts on it. docs/state-format.md describes the records and the stores that keep them.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/context/secrets.hpp>
#include <deployphase/state/store.hpp>

namespace deployphase::state {

class Fold;
struct RunState;

// A run's records as the runner uses them, over whichever store keeps them: each event is
// masked, numbered, made durable by the store, then folded and shown to the observer.
class Journal {
  public:
    // Opens the journal file at `path`, creating it when absent and `create` is set, and keeps
    // every record (state/journal_file.hpp says what is checked and repaired).
    static Journal open(const std::filesystem::path& path, bool create);
    // The current run in `store`, folded into the run's state as its records are read and
    // appended, and not kept, so memory does not grow with the run. Nothing when the store has
    // no current run. With `writable` (only under the store's lock) the journal accepts
    // appends. A record that does not fit a run throws StateError naming the record and where
    // it was found.
    static std::optional<Journal> open_run(StateStore& store, bool writable);
    // A new, empty current run in `store` (which has none), open for appending.
    static Journal create_run(StateStore& store);
    // A new, empty run filed straight into `store`'s history, open for appending; the current
    // run stays as it is (StateStore::create_archived).
    static Journal create_archived_run(StateStore& store, const std::string& run_id);
    // The run filed into `store`'s history since the current run was last written, read
    // only (StateStore::open_archived_since_current); nothing when there is none.
    static std::optional<Journal> open_archived_since_current(StateStore& store);

    Journal(Journal&&) noexcept;
    Journal& operator=(Journal&&) noexcept;
    ~Journal();

    // Every record; only for a journal opened with open().
    const std::vector<nlohmann::json>& records() const;
    // The run as of the last record; only for a journal of a run. Throws StateError when
    // there is no record.
    const RunState& state() const;
    std::size_t size() const { return m_size; }
    const std::optional<TornTail>& torn_tail() const { return m_torn; }
    // Names the journal in messages: its file, or the server and key.
    const std::string& name() const { return m_name; }

    // Appends `event` (a JSON object; its "seq" is set here) and makes it durable. On any
    // failure throws StateError or StorageError and refuses every later append: what was kept
    // is unknown, and a failed fsync or commit must not be retried.
    void append(nlohmann::json event);
    // Appends several events at once (one write and fsync, one transaction): for events with
    // nothing done in between (a step started and its first attempt started), where a durable
    // point each would cost a round trip and protect nothing. A crash may keep a prefix of them.
    void append_all(std::vector<nlohmann::json> events);

    // From now on every event is masked (state/event_masking.hpp) before it is written, kept
    // or shown to the observer: the journal holds no secret value that `secrets` knows or
    // names. `secrets` must outlive the journal's use; it may learn more values meanwhile.
    void mask_with(const context::Secrets* secrets) { m_secrets = secrets; }

    // Called with each event (its seq set) once it is durable: progress, reports, event
    // streams. Never state: nothing may depend on an observer having seen an event.
    void set_observer(std::function<void(const nlohmann::json&)> observer) {
        m_observer = std::move(observer);
    }

  private:
    Journal() = default;
    void name_step(nlohmann::json& event) const;
    static Journal from(OpenedLog opened, std::string name, std::unique_ptr<Fold> fold);

    std::string m_name;
    std::unique_ptr<RecordLog> m_log;  // null: read only
    bool m_failed = false;
    std::size_t m_size = 0;
    std::vector<nlohmann::json> m_records;  // open()
    std::unique_ptr<Fold> m_fold;           // open_run()
    std::optional<TornTail> m_torn;
    std::function<void(const nlohmann::json&)> m_observer;
    const context::Secrets* m_secrets = nullptr;
};

}  // namespace deployphase::state
