#pragma once
// Every error deployphase reports, and when to throw which. Each carries where the problem is
// (an input file with its line and column, a flag, a state directory, a journal, a server)
// and what it is. The command line prints them all alike, as `WHERE: error: WHAT`
// (format_diagnostic: the one place that text is made), and maps each type to the exit code
// docs/cli.md promises, in one place (src/cli/app.cpp). Library code throws these and never
// prints or exits. A broken invariant is a bug, not one of these.

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <deployphase/support/diagnostic.hpp>

namespace deployphase {

// The base of every error below: catch it to report any of them. what() is the first error
// as printed, or only its message when it has no place yet (the fold's record errors, which
// the journal that read the record places).
class Error : public std::runtime_error {
  public:
    Error(SourceLocation where, std::string message);
    explicit Error(std::vector<Diagnostic> diagnostics);  // several at once, warnings too

    // What to print, in order: this error, or every problem found in one input.
    const std::vector<Diagnostic>& diagnostics() const { return m_diagnostics; }
    // The first error's place and words.
    const SourceLocation& where() const;
    const std::string& message() const;

  private:
    std::vector<Diagnostic> m_diagnostics;
};

// The user's input cannot be used: a phase or context file, a saved plan, a flag, a --set.
// Exit 2. Readers collect every problem (DiagnosticSink) and throw once, so all are shown.
class InputError : public Error {
  public:
    using Error::Error;
    explicit InputError(Diagnostic diagnostic);
};

// What the store records rules this command out, and the operator can act on it: no run, an
// unfinished run a new one would replace, a changed phase, a step that is not awaiting
// confirmation, a journal that cannot be trusted. Exit 2.
class StateError : public Error {
  public:
    using Error::Error;
};

// The store holds a run that has not finished, and a new run would replace it. What it holds is
// kept, so that the command line can name the next commands with the operator's state flags.
class UnfinishedRun : public StateError {
  public:
    struct Run {
        std::string id;
        std::string phase;       // its name
        std::string phase_file;  // as recorded: absolute
        bool rollback_begun = false;
        bool of_another_phase = false;  // the command was given another phase file
    };
    UnfinishedRun(SourceLocation where, Run run);
    const Run& run() const { return m_run; }

  private:
    Run m_run;
};

// What an UnfinishedRun says, with `state_arguments` (" --state-dir DIR", or "") in each
// command it names.
std::string describe_unfinished(const UnfinishedRun::Run& run, std::string_view state_arguments);

// A journal record that does not fit the run folded so far (state::Fold); seq() says which,
// from 1. It has no place of its own: the journal that read it rethrows it as a StateError
// naming the file or server and where the record was found.
class RecordError : public StateError {
  public:
    RecordError(std::size_t seq, std::string detail);
    std::size_t seq() const { return m_seq; }
    const std::string& detail() const { return m_detail; }

  private:
    std::size_t m_seq;
    std::string m_detail;
};

// Who holds a store's lock, as the holder noted it.
struct LockHolder {
    long pid = 0;
    std::string host;
    std::string since;  // UTC, ISO 8601
};

// Another live runner holds the store's lock. Exit 5. The message names the holder and what
// releases the lock.
class LockHeld : public Error {
  public:
    LockHeld(SourceLocation where, LockHolder holder, std::string_view released_when);
    const LockHolder& holder() const { return m_holder; }

  private:
    LockHolder m_holder;
};

// The system below deployphase failed it: a file could not be read, written, synced or
// renamed (disk full, I/O error, permissions), the state store could not be reached or lost
// its connection, a step's process could not be started. Exit 6. Never retried: after a
// failed fsync or commit, what reached the disk is unknown; the command stops.
class StorageError : public Error {
  public:
    using Error::Error;
};

// The PostgreSQL server refused a statement. The store acts on some refusals by their
// SQLSTATE (23505, a duplicate key, ...); the rest stop the command as any StorageError does.
class PgError : public StorageError {
  public:
    PgError(const std::string& server, std::string sqlstate, std::string server_message);
    const std::string& sqlstate() const { return m_sqlstate; }
    const std::string& server_message() const { return m_server_message; }

  private:
    std::string m_sqlstate;
    std::string m_server_message;
};

// StorageError at `file`: "WHAT: REASON", the reason being strerror(error).
[[noreturn]] void throw_storage_error(const std::filesystem::path& file, std::string_view what,
                                      int error);

}  // namespace deployphase
