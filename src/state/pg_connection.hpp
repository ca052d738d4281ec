#pragma once
// One libpq connection, held for a whole command: the PostgreSQL store's lock lives in its
// session, so it is never pooled, shared or silently reconnected.

#include "state/libpq.hpp"

#include <deployphase/support/errors.hpp>

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deployphase::state {

struct ClearResult {
    void operator()(PGresult* result) const { libpq().PQclear(result); }
};
struct FinishConnection {
    void operator()(PGconn* connection) const { libpq().PQfinish(connection); }
};

// A statement's rows, as text.
class PgResult {
  public:
    explicit PgResult(PGresult* result) : m_result(result) {}
    ExecStatusType status() const { return libpq().PQresultStatus(m_result.get()); }
    const char* field(int code) const { return libpq().PQresultErrorField(m_result.get(), code); }
    const char* error_message() const { return libpq().PQresultErrorMessage(m_result.get()); }
    int rows() const { return libpq().PQntuples(m_result.get()); }
    bool is_null(int row, int column) const {
        return libpq().PQgetisnull(m_result.get(), row, column) != 0;
    }
    std::string_view text(int row, int column) const {
        return {libpq().PQgetvalue(m_result.get(), row, column),
                static_cast<std::size_t>(libpq().PQgetlength(m_result.get(), row, column))};
    }

  private:
    std::unique_ptr<PGresult, ClearResult> m_result;
};

class PgConnection {
  public:
    // Connects to `url` (a libpq URI or key=value string; the PG* variables fill in the rest),
    // with TCP keepalives on unless `url` says otherwise. Messages name the server followed by
    // `suffix`. Throws StorageError when it cannot connect.
    static PgConnection connect(const std::string& url, const std::string& suffix);

    PgConnection(PgConnection&&) noexcept = default;
    PgConnection& operator=(PgConnection&&) noexcept = default;

    // `postgresql://USER@HOST:PORT/DATABASE` and the suffix: never the password.
    const std::string& name() const { return m_name; }

    // Runs one statement with text parameters (std::nullopt is NULL). Throws PgError for an
    // error the server reports, StorageError naming the server when the connection is lost.
    PgResult exec(std::string_view sql,
                  const std::vector<std::optional<std::string>>& parameters = {});

    // Whether the connection still stands, from what has arrived on it; never blocks.
    bool alive();

  private:
    PgConnection(PGconn* connection, const std::string& suffix);

    std::unique_ptr<PGconn, FinishConnection> m_connection;
    std::string m_name;
};

}  // namespace deployphase::state
