#pragma once
// Where runs are recorded and who may write them: the seam between the runner and its storage.
// The state directory (state/directory_store.hpp) is the default; the PostgreSQL store
// (state/postgres_store.hpp) lets runners on different machines share one history and one lock.
// docs/state-format.md describes both.

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/support/errors.hpp>
#include <deployphase/support/json_source.hpp>

namespace deployphase::state {

// Held while a runner owns the store; released when destroyed, or by the operating system or
// the server when the runner dies.
class StoreLock {
  public:
    virtual ~StoreLock() = default;
};

// A run's records, in order, appended and never changed.
class RecordLog {
  public:
    virtual ~RecordLog() = default;
    // Names the log in messages (the journal file, or the server and key): "NAME: error: ...".
    virtual const std::string& name() const = 0;
    // Makes `payloads` (JSON objects numbered `first_seq`, `first_seq + 1`, ...) durable before
    // returning. On any failure throws StateError or StorageError; what was kept is then
    // unknown, and the caller must append nothing more.
    virtual void append(const std::vector<std::string>& payloads, std::size_t first_seq) = 0;
};

// How deeply a record read back may nest. A record holds a context or outputs (at most
// max_json_depth levels, as every input is) a level or two down; anything deeper was not
// written by deployphase, and is refused before printing or merging it recurses that deep.
inline constexpr std::size_t max_record_depth = max_json_depth + 8;

// Hands each record read to the caller with where it was found ("byte 412", "row 7").
using RecordSink = std::function<void(nlohmann::json&& record, std::string_view where)>;

// What opening the current run found and repaired.
struct TornTail {
    std::size_t offset = 0;  // where the dropped bytes began
    std::size_t length = 0;  // how many bytes were dropped
    std::string copy;        // where they were kept
};

struct OpenedLog {
    std::unique_ptr<RecordLog> log;  // null when opened for reading only
    std::size_t records = 0;
    std::optional<TornTail> torn;
    std::string name;  // of a run in the history, for messages; empty for the current run
};

class StateStore {
  public:
    virtual ~StateStore() = default;

    // Names the store in messages: the state directory, or the server and key.
    virtual std::string name() const = 0;
    // Names the current run's records in messages: the journal file, or the server and key.
    virtual std::string current_name() const = 0;
    // Takes the store's lock without waiting. Throws LockHeld naming the holder, or
    // StateError/StorageError when the store cannot be reached.
    virtual std::unique_ptr<StoreLock> lock() = 0;
    // Whether a current run (finished or not) is recorded; may be stale unless locked.
    virtual bool has_current() = 0;
    // Reads the current run's records in order into `take`, checking each (format, sequence);
    // nothing when there is none. With `writable` (only under the lock) the log is returned
    // open for appending, after any repair it needs (a torn tail is cut); without it nothing
    // is changed.
    virtual std::optional<OpenedLog> open_current(bool writable, const RecordSink& take) = 0;
    // Starts an empty current run; there must be none (archive it first).
    virtual OpenedLog create_current() = 0;
    // Moves the current run, `run_id`, into the history, durably.
    virtual void archive_current(const std::string& run_id) = 0;
    // Starts a run filed straight into the history as `run_id`, beside the current run, which
    // stays as it is: a run that changes nothing (its phase skipped or blocked) must never
    // hide the run that did from status, report, resume and rollback. Only under the lock.
    virtual OpenedLog create_archived(const std::string& run_id) = 0;
    // Reads the run filed into the history last into `take`, checking each record as
    // open_current() does, when it was filed after the current run was last written (or
    // there is no current run): a run that changed nothing since. Nothing otherwise. Changes
    // nothing.
    virtual std::optional<OpenedLog> open_archived_since_current(const RecordSink& take) = 0;
    // Reads the runs the store holds, the current one and those filed into the history, for
    // `history`: the newest `limit` of them by creation (0: all), and the current run always.
    // `each` is called once per run with its name (for messages) and returns the sink its
    // records go to, checked as open_current() checks them. Changes nothing. The PostgreSQL
    // store reads them all in one query.
    virtual void read_runs(std::size_t limit,
                           const std::function<RecordSink(const std::string& name)>& each) = 0;
    // Deletes the run `run_id` from the history, durably (its records; the current run is
    // never in the history). Only under the lock. Nothing when there is no such run.
    virtual void delete_archived(const std::string& run_id) = 0;

    // Whether this command has lost its hold on the store (a shared store's session ended:
    // the server went away, or `unlock` ended it), so that another runner may take the run
    // over. Never blocks; asked often while a script runs, to stop it.
    virtual bool lost() = 0;

    // Who holds the lock now; nothing when it is free. Changes nothing, creates nothing.
    virtual std::optional<LockHolder> lock_holder() = 0;
    // Takes the lock away from its holder, for a runner that is stuck: false when it was free.
    // Throws StateError when the store cannot (a state directory's lock goes only with its
    // process).
    virtual bool break_lock() = 0;
};

// How the command line chose the store.
struct StoreOptions {
    std::string state_dir = ".deployphase";  // local files: logs, step outputs, the context
    std::string url;                         // empty: the state directory holds the runs too
    std::string schema;                      // of a PostgreSQL store; empty: "deployphase"
    std::string key;                         // the slot within a shared store
};

// The store `options` name; a shared store connects on first use, not here. Throws InputError
// for a missing or unusable key or schema.
std::shared_ptr<StateStore> make_store(const StoreOptions& options);

}  // namespace deployphase::state
