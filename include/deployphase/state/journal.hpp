#pragma once
// The append-only record of a run: one JSON event per record, each written and fsynced
// before the runner acts on it. docs/state-format.md describes the file.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/context/secrets.hpp>

namespace deployphase::state {

inline constexpr int journal_format_version = 1;

// A state file could not be read, written or trusted. The message names the file; the run
// stops, and nothing is retried.
class StateError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class Fold;
struct RunState;

// What opening a journal found and repaired.
struct TornTail {
    std::size_t offset = 0;      // where the dropped bytes began
    std::size_t length = 0;      // how many bytes were dropped
    std::filesystem::path copy;  // where they were kept
};

class Journal {
  public:
    // Opens the journal at `path`, creating it (0600) when absent and `create` is set. Reads
    // and checks every record. An incomplete or damaged *last* record is a torn write: its
    // bytes are copied aside and cut off. Damage anywhere else, an unknown format version or a
    // gap in sequence numbers throws StateError with the byte offset.
    static Journal open(const std::filesystem::path& path, bool create);
    // The same for a run's journal: its records are folded into the run's state as they are
    // read and appended, and not kept, so memory does not grow with the run. A record that
    // does not fit a run throws StateError naming the file, the record and its byte offset.
    static Journal open_run(const std::filesystem::path& path, bool create);

    Journal(Journal&&) noexcept;
    Journal& operator=(Journal&&) noexcept;
    ~Journal();

    // Every record; only for a journal opened with open().
    const std::vector<nlohmann::json>& records() const;
    // The run as of the last record; only for a journal opened with open_run(). Throws
    // StateError when there is no record.
    const RunState& state() const;
    std::size_t size() const { return m_offsets.size(); }
    const std::optional<TornTail>& torn_tail() const { return m_torn; }
    const std::filesystem::path& path() const { return m_path; }
    // Where record `seq` (1-based) begins in the file.
    std::size_t offset_of(std::size_t seq) const { return m_offsets.at(seq - 1); }

    // Appends `event` (a JSON object; its "seq" is set here) and fsyncs it. On any failure
    // throws StateError and refuses every later append: what reached the disk is unknown, and
    // a failed fsync must not be retried.
    void append(nlohmann::json event);
    // Appends several events with one write and one fsync: for events with nothing done in
    // between (a step started and its first attempt started), where a durable point each
    // would cost an fsync and protect nothing. A crash may keep a prefix of them.
    void append_all(std::vector<nlohmann::json> events);

    // From now on every event is masked (state/event_masking.hpp) before it is written, kept
    // or shown to the observer: the journal holds no secret value that `secrets` knows or
    // names. `secrets` must outlive the journal's use; it may learn more values meanwhile.
    void mask_with(const context::Secrets* secrets) { m_secrets = secrets; }

    // Called with each event (its seq set) once it is on disk: progress, reports, event
    // streams. Never state: nothing may depend on an observer having seen an event.
    void set_observer(std::function<void(const nlohmann::json&)> observer) {
        m_observer = std::move(observer);
    }

  private:
    Journal() = default;
    static Journal open(const std::filesystem::path& path, bool create, std::unique_ptr<Fold> fold);

    std::filesystem::path m_path;
    int m_fd = -1;
    bool m_failed = false;
    std::optional<std::size_t> m_size;      // of the file, once an append has asked
    std::vector<nlohmann::json> m_records;  // open()
    std::unique_ptr<Fold> m_fold;           // open_run()
    std::vector<std::size_t> m_offsets;     // of each record, for error messages
    std::optional<TornTail> m_torn;
    std::function<void(const nlohmann::json&)> m_observer;
    const context::Secrets* m_secrets = nullptr;
};

// What a journal's bytes hold, read without touching any file (Journal::open acts on it; the
// fuzzer calls it directly).
struct JournalScan {
    bool header_torn = false;  // shorter than the header and a prefix of it: nothing recorded
    std::vector<nlohmann::json> records;
    std::vector<std::size_t> offsets;    // where each record begins
    std::optional<std::size_t> torn_at;  // where a torn tail begins, if there is one
};

// Checks every frame, checksum, JSON object and sequence number. Throws StateError, naming
// `path` and the byte offset, for anything but a torn tail: another format or version, a
// damaged record with intact ones after it, a sequence out of order.
// With `take`, each record is handed to it (with its offset) instead of kept in `records`:
// a long journal is then never held in memory whole.
JournalScan scan_journal(
    std::string_view content, const std::filesystem::path& path,
    const std::function<void(nlohmann::json&& record, std::size_t offset)>& take = {});

// One framed record, as it is written: `R <length> <crc32 hex> <payload>\n`.
std::string frame_record(const std::string& payload);

}  // namespace deployphase::state
