#pragma once
// libpq, loaded when a PostgreSQL store is first used rather than linked: linked, it and the
// 21 libraries it pulls in (OpenSSL, GnuTLS, Kerberos, LDAP, ...) cost every command about
// 5 ms of start-up, `plan` and `--version` included (docs/performance.md).

#include <libpq-fe.h>

namespace deployphase::state {

#define DEPLOYPHASE_LIBPQ_FUNCTIONS(X) \
    X(PQconnectdbParams)               \
    X(PQstatus)                        \
    X(PQerrorMessage)                  \
    X(PQfinish)                        \
    X(PQsetNoticeProcessor)            \
    X(PQexecParams)                    \
    X(PQresultStatus)                  \
    X(PQresultErrorField)              \
    X(PQresultErrorMessage)            \
    X(PQntuples)                       \
    X(PQgetisnull)                     \
    X(PQgetvalue)                      \
    X(PQgetlength)                     \
    X(PQclear)                         \
    X(PQconsumeInput)                  \
    X(PQhost)                          \
    X(PQport)                          \
    X(PQuser)                          \
    X(PQdb)                            \
    X(PQconninfoParse)                 \
    X(PQconninfoFree)                  \
    X(PQfreemem)

// The libpq functions deployphase calls, with libpq's own signatures.
struct LibPq {
#define DEPLOYPHASE_LIBPQ_POINTER(name) decltype(&::name) name = nullptr;
    DEPLOYPHASE_LIBPQ_FUNCTIONS(DEPLOYPHASE_LIBPQ_POINTER)
#undef DEPLOYPHASE_LIBPQ_POINTER
};

// Loads libpq.so.5 on first call and keeps it for the process's life. Throws StorageError
// saying what to install when it is missing or lacks a function.
const LibPq& libpq();

}  // namespace deployphase::state
