#include <deployphase/state/postgres_store.hpp>

#include <unistd.h>

#include <fmt/format.h>

#include <deployphase/state/journal.hpp>
#include <deployphase/state/lock.hpp>
#include <deployphase/support/diagnostic.hpp>
#include <deployphase/support/errors.hpp>

#include "state/pg_connection.hpp"
#include "state/pg_schema.hpp"
#include "support/system.hpp"
#include "support/utf8.hpp"

namespace deployphase::state {

namespace fs = std::filesystem;
using Params = std::vector<std::optional<std::string>>;

// The connection, and what the command has learnt of the server through it: asked once each.
struct PostgresStore::Session {
    PgConnection connection;
    PgSchema schema;
    std::optional<bool> schema_exists;
    std::optional<std::string> lock_key;  // once the slot exists
};

namespace {

// SQLSTATE classes the store acts on.
constexpr std::string_view unique_violation = "23505";

std::string url_for_messages(const std::string& url) {
    // Only what names the server; a password in the URL must never reach a log.
    char* error = nullptr;
    PQconninfoOption* options = libpq().PQconninfoParse(url.c_str(), &error);
    if (!options) {
        libpq().PQfreemem(error);
        return "postgresql";
    }
    std::string host, port, user, database;
    for (PQconninfoOption* option = options; option->keyword; ++option) {
        if (!option->val) continue;
        std::string_view keyword = option->keyword;
        if (keyword == "host") host = option->val;
        if (keyword == "port") port = option->val;
        if (keyword == "user") user = option->val;
        if (keyword == "dbname") database = option->val;
    }
    libpq().PQconninfoFree(options);
    return fmt::format("postgresql://{}{}{}{}/{}", user.empty() ? "" : user + "@", host,
                       port.empty() ? "" : ":", port, database);
}

// Both locks a runner holds: the local state directory's (its logs and outputs) and the key's
// advisory lock in the server session.
class PostgresLock final : public StoreLock {
  public:
    PostgresLock(StateLock local, std::shared_ptr<PostgresStore::Session> session,
                 std::string lock_key)
        : m_local(std::move(local)), m_session(std::move(session)), m_key(std::move(lock_key)) {}
    ~PostgresLock() override;

  private:
    StateLock m_local;
    std::shared_ptr<PostgresStore::Session> m_session;
    std::string m_key;
};

class PostgresLog final : public RecordLog {
  public:
    PostgresLog(std::shared_ptr<PostgresStore::Session> session, const PgSchema& schema,
                std::string key, long long run, std::string name)
        : m_session(std::move(session)),
          m_insert(schema.insert_records_sql()),
          m_key(std::move(key)),
          m_run(run),
          m_name(std::move(name)) {}

    const std::string& name() const override { return m_name; }

    void append(const std::vector<std::string>& payloads, std::size_t first_seq) override {
        // One statement, one transaction: all of these records, or none.
        std::string sql = m_insert;
        Params params{m_key, std::to_string(m_run)};
        for (std::size_t i = 0; i < payloads.size(); ++i) {
            sql += fmt::format("{}($1, $2, ${}, ${})", i == 0 ? "" : ", ", 3 + 2 * i, 4 + 2 * i);
            params.push_back(std::to_string(first_seq + i));
            params.push_back(payloads[i]);
        }
        try {
            m_session->connection.exec(sql, params);
        } catch (const PgError& e) {
            if (e.sqlstate() == unique_violation) {
                throw StateError(
                    m_name,
                    fmt::format("record {} of run {} is already stored: another runner wrote to "
                                "this run; nothing more is recorded by this one",
                                first_seq, m_run));
            }
            throw StorageError(m_name, fmt::format("the state store refused record {}: {}",
                                                   first_seq, e.server_message()));
        }
    }

  private:
    std::shared_ptr<PostgresStore::Session> m_session;
    std::string m_insert;
    std::string m_key;
    long long m_run;
    std::string m_name;
};

PostgresLock::~PostgresLock() {
    try {
        m_session->connection.exec("select pg_advisory_unlock($1::bigint)", {m_key});
    } catch (...) {
        // The session is gone, and the lock with it.
    }
}

}  // namespace

void check_postgres_names(const std::string& schema, const std::string& key) {
    bool plain = !schema.empty() && schema.size() <= 63 && !(schema[0] >= '0' && schema[0] <= '9');
    for (char c : schema)
        plain = plain && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
    if (!plain) {
        throw InputError(Diagnostic::error(
            {"--state-schema", 0, 0},
            fmt::format("\"{}\" is not a schema name deployphase uses; give lower-case letters, "
                        "digits and _ (at most 63)",
                        schema)));
    }
    // Bytes, not characters: the key is a column of the server's, compared byte for byte.
    if (key.empty() || key.size() > 200 || !is_printable_utf8(key)) {
        throw InputError(Diagnostic::error(
            {"--state-key", 0, 0},
            key.empty() ? "a shared state store needs --state-key NAME (for example payments/prod)"
                        : "the state key must be 1 to 200 bytes of printable UTF-8"));
    }
}

PostgresStore::PostgresStore(std::string url, std::string schema, std::string key,
                             fs::path state_dir)
    : m_url(std::move(url)),
      m_schema(std::move(schema)),
      m_key(std::move(key)),
      m_state_dir(std::move(state_dir)) {
    check_postgres_names(m_schema, m_key);
}

PostgresStore::~PostgresStore() = default;

std::string PostgresStore::name() const {
    if (m_session) return m_session->connection.name();
    return url_for_messages(m_url) + suffix();
}

std::string PostgresStore::suffix() const {
    return fmt::format("{}#{}", m_schema == default_postgres_schema ? "" : "?schema=" + m_schema,
                       m_key);
}

PostgresStore::Session& PostgresStore::session() {
    if (!m_session) {
        auto session = std::make_shared<Session>(
            Session{PgConnection::connect(m_url, suffix()), PgSchema(m_schema), {}, {}});
        // A commit must be on the server's disk before the runner acts on it, whatever the
        // server's default; and a dead client must not hold a lock for two hours.
        session->connection.exec("set synchronous_commit = on");
        session->connection.exec("set tcp_keepalives_idle = 10");
        session->connection.exec("set tcp_keepalives_interval = 5");
        session->connection.exec("set tcp_keepalives_count = 3");
        m_session = std::move(session);
    }
    return *m_session;
}

bool PostgresStore::schema_exists() {
    Session& s = session();
    if (!s.schema_exists) s.schema_exists = s.schema.exists(s.connection, name());
    return *s.schema_exists;
}

PostgresStore::Session& PostgresStore::writable_session() {
    Session& s = session();
    if (!schema_exists()) {
        s.schema.create(s.connection, name());
        s.schema_exists = true;
    }
    return s;
}

std::optional<std::string> PostgresStore::lock_key(bool create) {
    Session& s = session();
    if (!s.lock_key) s.lock_key = s.schema.lock_key(s.connection, m_key, create);
    return s.lock_key;
}

std::unique_ptr<StoreLock> PostgresStore::lock() {
    StateLock local = StateLock::acquire(m_state_dir);
    Session& s = writable_session();
    std::string key = *lock_key(true);
    PgResult taken = s.connection.exec("select pg_try_advisory_lock($1::bigint)", {key});
    if (taken.text(0, 0) != "t") {
        std::optional<LockHolder> holder = lock_holder();
        throw LockHeld(name(), holder.value_or(LockHolder{}),
                       "that runner's database session ends (it exits, or the server drops its "
                       "connection); `deployphase unlock` ends a session that is stuck");
    }
    auto held = std::make_unique<PostgresLock>(std::move(local), m_session, key);
    s.connection.exec(s.schema.record_holder_sql(),
                      {m_key, std::to_string(::getpid()), host_name(), now_utc()});
    return held;
}

bool PostgresStore::lost() {
    if (!m_session) return false;
    auto now = std::chrono::steady_clock::now();
    if (now - m_last_check < std::chrono::milliseconds(250)) return m_lost;
    m_last_check = now;
    m_lost = !m_session->connection.alive();
    return m_lost;
}

std::optional<LockHolder> PostgresStore::lock_holder() {
    if (!schema_exists()) return std::nullopt;
    std::optional<std::string> key = lock_key(false);
    if (!key) return std::nullopt;
    Session& s = session();
    PgResult row = s.connection.exec(s.schema.holder_sql(), {m_key, *key});
    if (row.rows() == 0) return std::nullopt;
    return shown_holder(row.is_null(0, 0) ? 0 : std::stol(std::string(row.text(0, 0))),
                        std::string(row.text(0, 1)), std::string(row.text(0, 2)));
}

bool PostgresStore::break_lock() {
    if (!schema_exists()) return false;
    std::optional<std::string> key = lock_key(false);
    if (!key) return false;
    Session& s = session();
    PgResult ended = s.connection.exec(s.schema.terminate_holder_sql(), {*key});
    return ended.rows() > 0 && ended.text(0, 0) == "t";
}

bool PostgresStore::has_current() {
    if (!schema_exists()) return false;
    Session& s = session();
    return s.connection.exec(s.schema.current_run_sql(), {m_key}).rows() > 0;
}

std::optional<OpenedLog> PostgresStore::open_current(bool writable, const RecordSink& take) {
    if (!writable && !schema_exists()) return std::nullopt;
    Session& s = writable ? writable_session() : session();
    PgResult current = s.connection.exec(s.schema.current_run_sql(), {m_key});
    if (current.rows() == 0) return std::nullopt;
    long long run = std::stoll(std::string(current.text(0, 0)));
    OpenedLog opened;
    opened.records = read_records(s, run, take);
    if (writable)
        opened.log = std::make_unique<PostgresLog>(m_session, s.schema, m_key, run, name());
    return opened;
}

std::size_t PostgresStore::read_records(Session& s, long long run, const RecordSink& take) {
    PgResult rows = s.connection.exec(s.schema.records_sql(), {m_key, std::to_string(run)});
    for (int i = 0; i < rows.rows(); ++i) {
        std::size_t expected = static_cast<std::size_t>(i) + 1;
        take(parse_record_row(rows.text(i, 0), rows.text(i, 1), expected, run, name()),
             fmt::format("run {} row {}", run, expected));
    }
    return static_cast<std::size_t>(rows.rows());
}

std::string PostgresStore::archived_name(long long run, std::string_view run_id) const {
    return fmt::format("{} (run {}, {})", name(), run, run_id);
}

OpenedLog PostgresStore::create_archived(const std::string& run_id) {
    Session& s = writable_session();
    PgResult created = s.connection.exec(s.schema.create_archived_run_sql(), {m_key, run_id});
    long long run = std::stoll(std::string(created.text(0, 0)));
    OpenedLog opened;
    opened.name = archived_name(run, run_id);
    opened.log = std::make_unique<PostgresLog>(m_session, s.schema, m_key, run, opened.name);
    return opened;
}

std::optional<OpenedLog> PostgresStore::open_archived_since_current(const RecordSink& take) {
    if (!schema_exists()) return std::nullopt;
    Session& s = session();
    PgResult latest = s.connection.exec(s.schema.archived_since_current_sql(), {m_key});
    if (latest.rows() == 0) return std::nullopt;
    long long run = std::stoll(std::string(latest.text(0, 0)));
    OpenedLog opened;
    opened.name = archived_name(run, latest.text(0, 1));
    opened.records = read_records(s, run, take);
    return opened;
}

void PostgresStore::read_runs(std::size_t limit,
                              const std::function<RecordSink(const std::string& name)>& each) {
    if (!schema_exists()) return;
    Session& s = session();
    PgResult rows = s.connection.exec(s.schema.runs_records_sql(), {m_key, std::to_string(limit)});
    long long run = 0;
    std::size_t expected = 0;
    RecordSink take;
    for (int i = 0; i < rows.rows(); ++i) {
        long long row_run = std::stoll(std::string(rows.text(i, 0)));
        if (i == 0 || row_run != run) {
            run = row_run;
            expected = 0;
            std::string_view run_id = rows.text(i, 1);
            take = each(run_id.empty() ? name() : archived_name(run, run_id));
        }
        ++expected;
        take(parse_record_row(rows.text(i, 2), rows.text(i, 3), expected, run, name()),
             fmt::format("run {} row {}", run, expected));
    }
}

nlohmann::json parse_record_row(std::string_view seq, std::string_view record, std::size_t expected,
                                long long run, const std::string& store) {
    if (seq != std::to_string(expected)) {
        throw StateError(store,
                         fmt::format("run {} has record {} where {} was expected; "
                                     "refusing to guess",
                                     run, replace_invalid_utf8(utf8_prefix(seq, 40)), expected));
    }
    if (json_nests_deeper_than(record, max_record_depth)) {
        throw StateError(store, fmt::format("record {} of run {}: nested more than {} levels deep; "
                                            "deployphase never writes such a record",
                                            expected, run, max_record_depth));
    }
    nlohmann::json parsed = nlohmann::json::parse(record, nullptr, false);
    auto found = parsed.is_object() ? parsed.find("seq") : parsed.end();
    if (!parsed.is_object() || found == parsed.end() || *found != expected) {
        throw StateError(store,
                         fmt::format("record {} of run {} is not the JSON object that was recorded",
                                     expected, run));
    }
    return parsed;
}

OpenedLog PostgresStore::create_current() {
    Session& s = writable_session();
    PgResult created = s.connection.exec(s.schema.create_run_sql(), {m_key});
    long long run = std::stoll(std::string(created.text(0, 0)));
    OpenedLog opened;
    opened.log = std::make_unique<PostgresLog>(m_session, s.schema, m_key, run, name());
    return opened;
}

void PostgresStore::delete_archived(const std::string& run_id) {
    Session& s = writable_session();
    s.connection.exec(s.schema.delete_archived_sql(), {m_key, run_id});
}

void PostgresStore::archive_current(const std::string& run_id) {
    Session& s = writable_session();
    s.connection.exec(s.schema.archive_run_sql(), {m_key, run_id});
}

}  // namespace deployphase::state
