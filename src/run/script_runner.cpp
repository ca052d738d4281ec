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

#include "support/file_io.hpp"

namespace deployphase::run {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void remove_file(const fs::path& path) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        throw_storage_error(path, "cannot remove the output file", errno);
    }
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
                                        : options.workdir) {
    for (const char* dir : {"logs", "outputs"}) {
        fs::path path = options.state_dir / dir;
        if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
            throw_storage_error(path, "cannot create the directory", errno);
        }
    }
}

fs::path ScriptRunner::output_file(const phase::Step& step, ScriptKind kind) const {
    return m_options.state_dir / "outputs" /
           (kind == ScriptKind::step
                ? fmt::format("{}.env", step.index)
                : fmt::format("{}.{}.env", step.index, script_kind_name(kind)));
}

ProcessResult ScriptRunner::run(const phase::Step& step, ScriptKind kind, unsigned attempt,
                                const json& context) {
    json real = m_secrets.reveal(context);
    write_context(m_secrets.mask(real));
    const phase::Script& script = script_of(step, kind);
    fs::path output = output_file(step, kind);
    // Created empty and private before the script appends to it: under a umask of 000 the
    // script's own `>>` would make it world-readable.
    remove_file(output);
    int output_fd =
        ::open(output.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (output_fd < 0 || ::fchmod(output_fd, 0600) != 0) {
        int error = errno;
        if (output_fd >= 0) ::close(output_fd);
        throw_storage_error(output, "cannot create the output file", error);
    }
    ::close(output_fd);

    ProcessSpec spec;
    spec.argv = {script.shell, "-c", script.source};
    spec.environment = step_environment(m_options.environment,
                                        {m_run_id, m_phase.phase.name, step.index, step.id, attempt,
                                         std::string(script_kind_name(kind))},
                                        real, fs::absolute(m_options.state_dir / "context.json"),
                                        fs::absolute(output));
    spec.workdir = m_workdir;
    spec.log_file = step_log_file(m_options.state_dir, step.index, step.id, script_kind_name(kind));
    spec.echo_fd = m_options.echo_fd;
    spec.timeout = script.timeout;
    spec.kill_after = m_options.kill_after;
    spec.on_wait = m_options.on_wait;
    spec.secrets = &m_secrets;
    ProcessResult result = run_process(spec, m_interrupt);
    // Only a step script's output is ever read.
    if (kind != ScriptKind::step) remove_file(output);
    return result;
}

std::string ScriptRunner::read_output(const phase::Step& step) const {
    fs::path path = output_file(step, ScriptKind::step);
    std::string text;
    auto failure = read_file(path, text);
    if (failure && failure->error != ENOENT) {
        throw state::StateError(fmt::format("{}: error: cannot read the step's output: {}",
                                            path.string(), std::strerror(failure->error)));
    }
    return text;
}

void ScriptRunner::remove_output(const phase::Step& step) const {
    remove_file(output_file(step, ScriptKind::step));
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
