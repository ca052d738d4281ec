#pragma once
// Runs recorded in PostgreSQL, so that runners on different machines share one history and one
// lock per state key. docs/state-format.md describes the schema and the lock.

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <deployphase/state/store.hpp>

namespace deployphase::state {

inline constexpr int postgres_schema_version = 1;

// A --state-url as a log may keep it: every password shown as ***, in the URI form
// (`postgresql://ops:***@db/deploy`, `?password=***`) and the keyword form (`host=db
// password=***`). Pure text: it needs no libpq and accepts what libpq would refuse.
std::string mask_url_password(std::string_view url);

class PostgresStore final : public StateStore {
  public:
    // Nothing is connected until first use. `state_dir` keeps the local files (logs, outputs)
    // and is locked with the key, so two runs never share them.
    PostgresStore(std::string url, std::string schema, std::string key,
                  std::filesystem::path state_dir);
    ~PostgresStore() override;

    std::string name() const override;
    std::string current_name() const override { return name(); }
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

    // Reads what the server sent without waiting: a terminated session or a server shutdown
    // shows at once, a silent partition once the client's keepalives give up (about 11 s,
    // before the server's, about 25 s, free the lock).
    bool lost() override;
    std::optional<LockHolder> lock_holder() override;
    // Ends the database session holding the key's lock (pg_terminate_backend): its runner
    // cannot record anything more, so it starts no further step.
    bool break_lock() override;

    struct Session;

  private:
    Session& session();           // connected
    Session& writable_session();  // connected, with the schema created if it was missing
    bool schema_exists();
    // Reads run `run`'s records, checked, into `take`; returns how many.
    std::size_t read_records(Session& s, long long run, const RecordSink& take);
    std::optional<std::string> lock_key(bool create);
    std::string suffix() const;  // what follows the server in name()
    // Names an archived run in messages: the store, its number and its id.
    std::string archived_name(long long run, std::string_view run_id) const;

    std::string m_url;
    std::string m_schema;
    std::string m_key;
    std::filesystem::path m_state_dir;
    std::shared_ptr<Session> m_session;
    std::chrono::steady_clock::time_point m_last_check;
    bool m_lost = false;
};

// Row `expected` (from 1) of run `run` as the server returned it, its seq and record columns
// as text: the JSON object that was recorded, or StateError (naming `store`) when the row is
// out of place, is not a JSON object, or its "seq" disagrees. Pure: the fuzzers feed it.
nlohmann::json parse_record_row(std::string_view seq, std::string_view record, std::size_t expected,
                                long long run, const std::string& store);

// Throws InputError unless `schema` is a plain lower-case SQL identifier and `key` is 1 to 200
// bytes of printable UTF-8.
void check_postgres_names(const std::string& schema, const std::string& key);

}  // namespace deployphase::state
