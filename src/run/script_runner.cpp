#include "run/script_runner.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include <deployphase/run/step_environment.hpp>
#include <deployphase/support/atomic_file.hpp>
#include <deployphase/support/storage_error.hpp>

namespace deployphase::run {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Truncates the file at `path`, creating it (0600) when `create` is set; a file that is not
// there is empty enough otherwise.
void empty_file(const fs::path& path, bool create) {
    int flags = O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW | (create ? O_CREAT : 0);
    int fd = ::open(path.c_str(), flags, 0600);
    if (fd < 0 && !create && errno == ENOENT) return;
    if (fd < 0 || ::fchmod(fd, 0600) != 0) {
        int error = errno;
        if (fd >= 0) ::close(fd);
        throw_storage_error(path, "cannot empty the output file", error);
    }
    ::close(fd);
}

const phase::Script& script_of(const phase::Step& step, ScriptKind kind) {
    switch (kind) {
        case ScriptKind::check:
            return *step.check;
        case ScriptKind::rollback:
            return *step.rollback;
        case ScriptKind::step:
            break;
    }
    return *step.run;
}

}  // namespace

fs::path step_log_file(const fs::path& state_dir, std::size_t index, const std::string& id,
                       std::string_view kind) {
    return state_dir / "logs" /
           (kind == "step" ? fmt::format("{}-{}.log", index, id)
                           : fmt::format("{}-{}.{}.log", index, id, kind));
}

std::string_view script_kind_name(ScriptKind kind) {
    switch (kind) {
        case ScriptKind::check:
            return "check";
        case ScriptKind::rollback:
            return "rollback";
        case ScriptKind::step:
            break;
    }
    return "step";
}

ScriptRunner::ScriptRunner(const phase::LoadedPhase& phase, const RunOptions& options,
                           std::string run_id, const InterruptFlag& interrupt,
                           const context::Secrets& secrets)
    : m_phase(phase),
      m_options(options),
      m_run_id(std::move(run_id)),
      m_interrupt(interrupt),
      m_secrets(secrets),
      m_workdir(options.workdir.empty() ? fs::absolute(phase.phase.source_path).parent_path()
                                        : options.workdir),
      m_state_dir(fs::absolute(options.state_dir)) {
    for (const char* dir : {"logs", "outputs"}) {
        fs::path path = options.state_dir / dir;
        if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
            throw_storage_error(path, "cannot create the directory", errno);
        }
    }
    // Kept open for the whole run: every step empties it and reads it, and a path lookup and
    // open per step cost more than the rest of that together.
    fs::path output = output_file(ScriptKind::step);
    m_step_output = ::open(output.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (m_step_output < 0 || ::fchmod(m_step_output, 0600) != 0) {
        int error = errno;
        if (m_step_output >= 0) ::close(m_step_output);
        throw_storage_error(output, "cannot open the output file", error);
    }
}

ScriptRunner::~ScriptRunner() {
    ::close(m_step_output);
}

// Empties the step output file unless it is empty already.
void ScriptRunner::empty_step_output() const {
    struct stat status {};
    if (::fstat(m_step_output, &status) == 0 && status.st_size == 0) return;
    if (::ftruncate(m_step_output, 0) != 0) {
        throw_storage_error(output_file(ScriptKind::step), "cannot empty the output file", errno);
    }
}

fs::path ScriptRunner::output_file(ScriptKind kind) const {
    return m_state_dir / "outputs" / fmt::format("{}.env", script_kind_name(kind));
}

ProcessResult ScriptRunner::run(const phase::Step& step, ScriptKind kind, unsigned attempt,
                                const json& context) {
    json real = m_secrets.reveal(context);
    write_context(m_secrets.mask(real));
    const phase::Script& script = script_of(step, kind);
    fs::path output = output_file(kind);
    // Empty and private before the script appends to it: under a umask of 000 the script's
    // own `>>` would make it world-readable. One file per kind, emptied rather than removed:
    // a new file per step makes ext4 search past every recently deleted inode, a cost that
    // grows with the run.
    if (kind == ScriptKind::step) {
        empty_step_output();
    } else {
        empty_file(output, true);
    }

    ProcessSpec spec;
    spec.argv = {script.shell, "-c", script.source};
    spec.environment = step_environment(m_options.environment,
                                        {m_run_id, m_phase.phase.name, step.index, step.id, attempt,
                                         std::string(script_kind_name(kind))},
                                        real, m_state_dir / "context.json", output);
    spec.workdir = m_workdir;
    spec.log_file = step_log_file(m_options.state_dir, step.index, step.id, script_kind_name(kind));
    spec.echo_fd = m_options.echo_fd;
    spec.timeout = script.timeout;
    spec.kill_after = m_options.kill_after;
    spec.on_wait = m_options.on_wait;
    if (m_options.store) spec.abandon = [store = m_options.store] { return store->lost(); };
    spec.secrets = &m_secrets;
    ProcessResult result = run_process(spec, m_interrupt);
    // Only a step script's output is ever read.
    if (kind != ScriptKind::step) empty_file(output, false);
    return result;
}

std::string ScriptRunner::read_output() const {
    std::string text;
    char buffer[65536];
    for (;;) {
        ssize_t n = ::pread(m_step_output, buffer, sizeof buffer, static_cast<off_t>(text.size()));
        if (n > 0) {
            text.append(buffer, static_cast<std::size_t>(n));
        } else if (n == 0) {
            return text;
        } else if (errno != EINTR) {
            throw state::StateError(fmt::format("{}: error: cannot read the step's output: {}",
                                                output_file(ScriptKind::step).string(),
                                                std::strerror(errno)));
        }
    }
}

void ScriptRunner::clear_output() const {
    empty_step_output();
}

// Rewritten only when it changed: most steps leave the context as it was.
void ScriptRunner::write_context(const json& context) {
    if (context == m_context_written && m_context_file_exists) return;
    write_file_atomically((m_options.state_dir / "context.json").string(), context.dump(2) + "\n",
                          0600);
    m_context_written = context;
    m_context_file_exists = true;
}

std::string describe_ending(const ProcessResult& result, const phase::Script& script) {
    switch (result.ending) {
        case ProcessResult::Ending::exited:
            return result.exit_code == 0 ? "" : fmt::format("exited with {}", result.exit_code);
        case ProcessResult::Ending::signaled:
            return fmt::format("killed by signal {}", result.signal);
        case ProcessResult::Ending::timed_out:
            return fmt::format("timed out after {}", phase::format_duration(*script.timeout));
        case ProcessResult::Ending::interrupted:
            return "interrupted";
    }
    return "";
}

void interruptible_sleep(std::chrono::milliseconds duration, const InterruptFlag& interrupt) {
    auto until = std::chrono::steady_clock::now() + duration;
    while (interrupt.load() == 0 && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

}  // namespace deployphase::run
