#include "state/pg_connection.hpp"

#include <fmt/format.h>

#include <deployphase/support/errors.hpp>

namespace deployphase::state {
namespace {

std::string server_of(PGconn* connection) {
    const char* host = libpq().PQhost(connection);
    const char* port = libpq().PQport(connection);
    const char* user = libpq().PQuser(connection);
    const char* database = libpq().PQdb(connection);
    return fmt::format("postgresql://{}{}{}{}/{}", user && *user ? std::string(user) + "@" : "",
                       host ? host : "", port && *port ? ":" : "", port ? port : "",
                       database ? database : "");
}

// libpq's messages end with a newline and may span indented lines; ours are one line.
std::string one_line(std::string_view message) {
    std::string out;
    for (char c : message) {
        if (c == '\n') {
            while (!out.empty() && out.back() == ' ')
                out.pop_back();
            if (!out.empty() && out.back() != ';') out += ";";
            out += ' ';
        } else if (c == ' ' || c == '\t') {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == ';'))
        out.pop_back();
    return out;
}

}  // namespace

PgConnection::PgConnection(PGconn* connection, const std::string& suffix)
    : m_connection(connection), m_name(server_of(connection) + suffix) {}

PgConnection PgConnection::connect(const std::string& url, const std::string& suffix) {
    // Defaults first: the URL's own settings (expanded from dbname) override them. This side
    // gives up on a silent peer after about 11 s (keepalives 5 + 2 x 3; 10 s for unanswered
    // data), before the server frees the lock (about 25 s, set per session by the store), so a
    // partitioned runner stops its step first (docs/state-format.md).
    const char* keywords[] = {"keepalives",       "keepalives_idle",  "keepalives_interval",
                              "keepalives_count", "tcp_user_timeout", "connect_timeout",
                              "application_name", "dbname",           nullptr};
    const char* values[] = {"1", "5", "2", "3", "10000", "10", "deployphase", url.c_str(), nullptr};
    PgConnection connection(libpq().PQconnectdbParams(keywords, values, 1), suffix);
    if (!connection.m_connection) throw StorageError("postgresql", "out of memory");
    PGconn* raw = connection.m_connection.get();
    if (libpq().PQstatus(raw) != CONNECTION_OK) {
        throw StorageError(connection.m_name, fmt::format("cannot connect to the state store: {}",
                                                          one_line(libpq().PQerrorMessage(raw))));
    }
    // "schema already exists, skipping" and the like are not for the operator.
    libpq().PQsetNoticeProcessor(
        raw, [](void*, const char*) {}, nullptr);
    return connection;
}

bool PgConnection::alive() {
    PGconn* raw = m_connection.get();
    // Reads a FATAL message or the end of the stream if the server sent one; an idle session
    // has nothing else to read.
    if (libpq().PQconsumeInput(raw) == 0) return false;
    return libpq().PQstatus(raw) == CONNECTION_OK;
}

PgResult PgConnection::exec(std::string_view sql,
                            const std::vector<std::optional<std::string>>& parameters) {
    std::vector<const char*> values;
    values.reserve(parameters.size());
    for (const auto& parameter : parameters)
        values.push_back(parameter ? parameter->c_str() : nullptr);
    PGconn* raw = m_connection.get();
    PgResult result(libpq().PQexecParams(raw, std::string(sql).c_str(),
                                         static_cast<int>(values.size()), nullptr, values.data(),
                                         nullptr, nullptr, 0));
    ExecStatusType status = result.status();
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
    if (libpq().PQstatus(raw) != CONNECTION_OK) {
        // Whether the statement took effect is unknown; the caller stops, and never reconnects:
        // the lock went with the session.
        throw StorageError(
            m_name,
            fmt::format("lost the connection to the state store: {}; no further step starts, "
                        "and `deployphase run --resume` continues once the server is back",
                        one_line(libpq().PQerrorMessage(raw))));
    }
    const char* sqlstate = result.field(PG_DIAG_SQLSTATE);
    throw PgError(m_name, sqlstate ? sqlstate : "", one_line(result.error_message()));
}

}  // namespace deployphase::state
