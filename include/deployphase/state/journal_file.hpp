#pragma once
// A run's records in one local file: a header line, then framed records, each written and
// fdatasynced before the runner acts on it. docs/state-format.md describes the file.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/state/store.hpp>
#include <deployphase/support/fd.hpp>

namespace deployphase::state {

// The version a new journal is written in, and the oldest this deployphase reads. Version 2
// adds when and who (every record's "at"; who started a run, confirmed a step, asked for a
// rollback) and names a step's events by id as well; version 1 reads as a run with no times.
inline constexpr int journal_format_version = 2;
inline constexpr int oldest_journal_format_version = 1;

class JournalFile final : public RecordLog {
  public:
    // Opens the journal at `path`, creating it (0600) when absent and `create` is set. Reads
    // and checks every record into `take`. With `create`, an incomplete or damaged *last*
    // record is a torn write: its bytes are copied aside and cut off, and the file is returned
    // open for appending; without it, the file is read and left as it is. Damage anywhere
    // else, an unknown format version or a gap in sequence numbers throws StateError with the
    // byte offset.
    static OpenedLog open(const std::filesystem::path& path, bool create, const RecordSink& take);

    JournalFile(const JournalFile&) = delete;
    JournalFile& operator=(const JournalFile&) = delete;
    ~JournalFile() override;

    const std::string& name() const override { return m_name; }
    void append(const std::vector<std::string>& payloads, std::size_t first_seq) override;

  private:
    JournalFile(std::filesystem::path path, Fd fd);

    std::filesystem::path m_path;
    std::string m_name;
    Fd m_fd;
    std::optional<std::size_t> m_size;  // of the file, once an append has asked
};

// What a journal's bytes hold, read without touching any file (JournalFile::open acts on it;
// the fuzzer calls it directly).
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
