#include "state/pg_schema.hpp"

#include <fmt/format.h>

#include <deployphase/state/journal.hpp>
#include <deployphase/state/postgres_store.hpp>
#include <deployphase/support/errors.hpp>

namespace deployphase::state {
namespace {

// Version 1. A new version adds statements here and a migration; an older deployphase refuses
// the newer schema instead of writing what it does not understand.
constexpr const char* create_statements[] = {
    "create schema if not exists {0}",
    "create table if not exists {0}.meta (\n"
    "  singleton boolean primary key default true check (singleton),\n"
    "  version integer not null)",
    "insert into {0}.meta (version) values ({1}) on conflict do nothing",
    // A deployment slot: its lock key is derived from id, and who holds it is noted here.
    "create table if not exists {0}.slots (\n"
    "  state_key text primary key,\n"
    "  id integer generated always as identity unique,\n"
    "  holder_pid bigint, holder_host text, holder_since text)",
    // A run of a slot; the current one is the one not archived.
    "create table if not exists {0}.runs (\n"
    "  state_key text not null references {0}.slots (state_key),\n"
    "  run bigint not null,\n"
    "  run_id text,\n"
    "  created_at timestamptz not null default now(),\n"
    "  archived_at timestamptz,\n"
    "  primary key (state_key, run))",
    "create unique index if not exists runs_one_current on {0}.runs (state_key)\n"
    "  where archived_at is null",
    // A run's events, as the journal file's records: the same JSON, numbered from 1.
    "create table if not exists {0}.records (\n"
    "  state_key text not null,\n"
    "  run bigint not null,\n"
    "  seq bigint not null check (seq > 0),\n"
    "  payload text not null,\n"
    "  recorded_at timestamptz not null default now(),\n"
    "  primary key (state_key, run, seq),\n"
    "  foreign key (state_key, run) references {0}.runs (state_key, run))",
};

void check_version(PgConnection& connection, const std::string& schema, const std::string& where) {
    PgResult result = connection.exec(fmt::format("select version from {}.meta", schema));
    int version = result.rows() == 1 ? std::stoi(std::string(result.text(0, 0))) : 0;
    if (version != postgres_schema_version) {
        throw StateError(
            where,
            fmt::format("schema \"{}\" is at version {}; this deployphase reads version {}; use "
                        "the deployphase that wrote it",
                        schema, version, postgres_schema_version));
    }
}

}  // namespace

bool PgSchema::exists(PgConnection& connection, const std::string& where) const {
    try {
        // Asked of the catalog, so that a first use leaves no error in the server's log.
        PgResult meta = connection.exec("select to_regclass($1) is not null", {m_name + ".meta"});
        if (meta.text(0, 0) != "t") return false;
        check_version(connection, m_name, where);
        return true;
    } catch (const PgError& e) {
        throw StateError(where,
                         fmt::format("cannot read schema \"{}\": {}", m_name, e.server_message()));
    }
}

void PgSchema::create(PgConnection& connection, const std::string& where) const {
    // Concurrent "create ... if not exists" can still collide in the catalogs; a transaction
    // lock keyed by the schema's name makes first uses take turns. It is held for this
    // transaction only, once per schema's life.
    try {
        connection.exec("begin");
        connection.exec("select pg_advisory_xact_lock(hashtextextended($1, 0))",
                        {"deployphase schema " + m_name});
        for (const char* statement : create_statements)
            connection.exec(fmt::format(fmt::runtime(statement), m_name, postgres_schema_version));
        connection.exec("commit");
    } catch (const PgError& e) {
        try {
            connection.exec("rollback");
        } catch (...) {
        }
        throw StateError(
            where, fmt::format("cannot create schema \"{}\": {}", m_name, e.server_message()));
    }
    check_version(connection, m_name, where);
}

std::optional<std::string> PgSchema::lock_key(PgConnection& connection,
                                              const std::string& state_key, bool create) const {
    if (create) {
        connection.exec(
            fmt::format("insert into {}.slots (state_key) values ($1) on conflict do nothing",
                        m_name),
            {state_key});
    }
    PgResult key = connection.exec(
        fmt::format("select n.oid::bigint * 2147483648 + s.id from pg_namespace n, {0}.slots s "
                    "where n.nspname = $1 and s.state_key = $2",
                    m_name),
        {m_name, state_key});
    if (key.rows() == 0) return std::nullopt;
    return std::string(key.text(0, 0));
}

// $1 state key
std::string PgSchema::current_run_sql() const {
    return fmt::format("select run from {}.runs where state_key = $1 and archived_at is null",
                       m_name);
}

// $1 state key, $2 run
std::string PgSchema::records_sql() const {
    return fmt::format(
        "select seq, payload from {}.records where state_key = $1 and run = $2 order by seq",
        m_name);
}

// followed by ($1 state key, $2 run, $N seq, $N+1 payload), ...
std::string PgSchema::insert_records_sql() const {
    return fmt::format("insert into {}.records (state_key, run, seq, payload) values ", m_name);
}

// $1 state key; returns the new run's number
std::string PgSchema::create_run_sql() const {
    return fmt::format(
        "insert into {0}.runs (state_key, run) select $1, coalesce(max(run), 0) + 1 from "
        "{0}.runs where state_key = $1 returning run",
        m_name);
}

// $1 state key, $2 run id
std::string PgSchema::archive_run_sql() const {
    return fmt::format(
        "update {}.runs set archived_at = now(), run_id = $2 where state_key = $1 and "
        "archived_at is null",
        m_name);
}

// $1 state key, $2 run id: a run filed into the history as it starts (it changes nothing).
std::string PgSchema::create_archived_run_sql() const {
    return fmt::format(
        "insert into {0}.runs (state_key, run, run_id, archived_at) select $1, "
        "coalesce(max(run), 0) + 1, $2, now() from {0}.runs where state_key = $1 returning run",
        m_name);
}

// $1 state key: the run archived last, and its id, if it was created after the current run
// (runs are numbered as they are created).
std::string PgSchema::archived_since_current_sql() const {
    return fmt::format(
        "select run, run_id from {0}.runs where state_key = $1 and archived_at is not null "
        "and run > coalesce((select run from {0}.runs where state_key = $1 and archived_at is "
        "null), 0) order by run desc limit 1",
        m_name);
}

// $1 state key, $2 how many runs (0: all): the records of the newest runs and of the current
// one, each run's in order, newest run first; one query for `history`.
std::string PgSchema::runs_records_sql() const {
    return fmt::format(
        "select r.run, coalesce(r.run_id, ''), rec.seq, rec.payload from {0}.runs r "
        "join {0}.records rec on rec.state_key = r.state_key and rec.run = r.run "
        "where r.state_key = $1 and (r.archived_at is null or r.run in (select run from "
        "{0}.runs where state_key = $1 order by run desc limit nullif($2::bigint, 0))) "
        "order by r.run desc, rec.seq",
        m_name);
}

// $1 state key, $2 run id: a run of the history and its records, in one statement.
std::string PgSchema::delete_archived_sql() const {
    return fmt::format(
        "with gone as (select run from {0}.runs where state_key = $1 and run_id = $2 and "
        "archived_at is not null), records as (delete from {0}.records where state_key = $1 "
        "and run in (select run from gone)) delete from {0}.runs where state_key = $1 and run "
        "in (select run from gone)",
        m_name);
}

// $1 state key, $2 pid, $3 host, $4 since
std::string PgSchema::record_holder_sql() const {
    return fmt::format(
        "update {}.slots set holder_pid = $2, holder_host = $3, holder_since = $4 where "
        "state_key = $1",
        m_name);
}

// Advisory locks taken with one bigint show its high half as classid, its low half as objid.
// The arithmetic is on our key only: other applications' locks may have any key, and
// combining their halves into a bigint overflows for a negative one.
constexpr const char* holding_backend =
    "from pg_locks where locktype = 'advisory' and granted and objsubid = 1 and database = "
    "(select oid from pg_database where datname = current_database()) and "
    "classid = ({0}::bigint >> 32)::oid and objid = ({0}::bigint & 4294967295)::oid";

// $1 state key, $2 lock key: the noted holder, only while the lock is held
std::string PgSchema::holder_sql() const {
    return fmt::format(
        "select holder_pid, holder_host, holder_since from {}.slots where "
        "state_key = $1 and exists (select 1 {})",
        m_name, fmt::format(fmt::runtime(holding_backend), "$2"));
}

// $1 lock key
std::string PgSchema::terminate_holder_sql() const {
    return fmt::format("select pg_terminate_backend(pid) {}",
                       fmt::format(fmt::runtime(holding_backend), "$1"));
}

}  // namespace deployphase::state
