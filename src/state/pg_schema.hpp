#pragma once
// The PostgreSQL store's tables in one schema, and every statement that touches them.
// docs/state-format.md shows the schema; its version is in SCHEMA.meta.

#include <optional>
#include <string>

#include "state/pg_connection.hpp"

namespace deployphase::state {

inline constexpr const char* default_postgres_schema = "deployphase";

class PgSchema {
  public:
    // `name` is a checked, plain identifier (check_postgres_names): it is put into SQL as is.
    explicit PgSchema(std::string name) : m_name(std::move(name)) {}

    // Whether the schema exists (readers create nothing); refuses an unknown version. `where`
    // names the store in messages.
    bool exists(PgConnection& connection, const std::string& where) const;
    // Creates what is missing of the schema, in one transaction that is safe when runners do it
    // at once, then refuses a version this deployphase does not know.
    void create(PgConnection& connection, const std::string& where) const;

    // The advisory lock's key for `state_key`: the schema's OID times 2^31 plus the slot's id,
    // so that no two slots of one database share a key, whatever their schema. With `create`
    // the slot is made when missing; without it a missing slot has no key.
    std::optional<std::string> lock_key(PgConnection& connection, const std::string& state_key,
                                        bool create) const;

    // Statements; parameters as their comments in pg_schema.cpp say.
    std::string current_run_sql() const;
    std::string records_sql() const;
    std::string insert_records_sql() const;
    std::string create_run_sql() const;
    std::string archive_run_sql() const;
    std::string create_archived_run_sql() const;
    std::string archived_since_current_sql() const;
    std::string runs_records_sql() const;
    std::string delete_archived_sql() const;
    std::string record_holder_sql() const;
    std::string holder_sql() const;
    std::string terminate_holder_sql() const;

  private:
    std::string m_name;
};

}  // namespace deployphase::state
