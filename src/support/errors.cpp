#include <deployphase/support/errors.hpp>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace deployphase {
namespace {

const Diagnostic& first_error(const std::vector<Diagnostic>& diagnostics) {
    auto found = std::find_if(diagnostics.begin(), diagnostics.end(),
                              [](const Diagnostic& d) { return d.severity == Severity::error; });
    return found != diagnostics.end() ? *found : diagnostics.front();
}

std::string summary(const std::vector<Diagnostic>& diagnostics) {
    if (diagnostics.empty()) return "invalid input";
    const Diagnostic& first = first_error(diagnostics);
    return first.where.file.empty() ? first.message : format_diagnostic(first);
}

std::vector<Diagnostic> one(SourceLocation where, std::string message) {
    return {Diagnostic::error(std::move(where), std::move(message))};
}

}  // namespace

Error::Error(SourceLocation where, std::string message)
    : Error(one(std::move(where), std::move(message))) {}

Error::Error(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(summary(diagnostics)), m_diagnostics(std::move(diagnostics)) {
    if (m_diagnostics.empty()) m_diagnostics = one({}, "invalid input");
}

const SourceLocation& Error::where() const {
    return first_error(m_diagnostics).where;
}

const std::string& Error::message() const {
    return first_error(m_diagnostics).message;
}

InputError::InputError(Diagnostic diagnostic)
    : Error(std::vector<Diagnostic>{std::move(diagnostic)}) {}

std::string describe_unfinished(const UnfinishedRun::Run& run, std::string_view state_arguments) {
    std::string what =
        run.of_another_phase
            ? fmt::format(
                  "run {} of another phase, \"{}\" ({}), {}", run.id, run.phase, run.phase_file,
                  run.rollback_begun ? "is part-way through its rollback" : "has not finished")
            : fmt::format(
                  "run {} {}", run.id,
                  run.rollback_begun ? "is part-way through its rollback" : "has not finished");
    if (run.rollback_begun) {
        return fmt::format(
            "{}; finish the rollback with `deployphase rollback{}`, or abandon it "
            "with --restart",
            what, state_arguments);
    }
    if (run.of_another_phase) {
        return fmt::format(
            "{}; finish it with `deployphase resume{}`, roll it back with "
            "`deployphase rollback{}`, or abandon it (it is kept in the history) "
            "and run this phase with --restart",
            what, state_arguments, state_arguments);
    }
    return fmt::format("{}; continue it with --resume, or abandon it with --restart", what);
}

UnfinishedRun::UnfinishedRun(SourceLocation where, Run run)
    : StateError(std::move(where), describe_unfinished(run, "")), m_run(std::move(run)) {}

RecordError::RecordError(std::size_t seq, std::string detail)
    : StateError({}, fmt::format("record {}: {}", seq, detail)),
      m_seq(seq),
      m_detail(std::move(detail)) {}

LockHeld::LockHeld(SourceLocation where, LockHolder holder, std::string_view released_when)
    : Error(std::move(where),
            fmt::format("another run holds the lock (pid {}{}{}); it is released when {}",
                        holder.pid, holder.host.empty() ? "" : " on " + holder.host,
                        holder.since.empty() ? "" : ", since " + holder.since, released_when)),
      m_holder(std::move(holder)) {}

PgError::PgError(const std::string& server, std::string sqlstate, std::string server_message)
    : StorageError({server, 0, 0},
                   fmt::format("the state store refused a statement: {}", server_message)),
      m_sqlstate(std::move(sqlstate)),
      m_server_message(std::move(server_message)) {}

void throw_storage_error(const std::filesystem::path& file, std::string_view what, int error) {
    throw StorageError({file.string(), 0, 0}, fmt::format("{}: {}", what, std::strerror(error)));
}

}  // namespace deployphase
