#include <deployphase/run/scripts.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <fmt/format.h>

#include <deployphase/run/runner.hpp>
#include <deployphase/run/step_environment.hpp>
#include <deployphase/run/step_log.hpp>
#include <deployphase/support/atomic_file.hpp>
#include <deployphase/support/errors.hpp>
#include <deployphase/support/fd.hpp>

#include "support/file_io.hpp"

namespace deployphase::run {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Truncates the file at `path`, creating it (0600) when `create` is set; a file that is not
// there is empty enough otherwise.
void empty_file(const fs::path& path, bool create) {
    Fd fd = open_state_file(path, O_WRONLY | O_TRUNC | (create ? O_CREAT : 0));
    if (!fd && !create && errno == ENOENT) return;
    if (!fd || ::fchmod(fd.get(), 0600) != 0)
        throw_storage_error(path, "cannot empty the output file", errno);
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

// Runs every script of a run the same way, forward and rollback alike, so they cannot drift
// apart. Secrets reach a script only through its environment; the context file, the log and
// the echo have them masked.
class ProcessScripts final : public Scripts {
  public:
    explicit ProcessScripts(const ScriptSetup& setup)
        : m_setup(setup),
          m_workdir(setup.options.workdir.empty()
                        ? fs::absolute(setup.phase.phase.source_path).parent_path()
                        : setup.options.workdir),
          m_state_dir(fs::absolute(setup.options.state_dir)) {
        for (const char* dir : {"logs", "outputs"}) {
            fs::path path = setup.options.state_dir / dir;
            if (!make_state_directory(path)) {
                throw_storage_error(path, "cannot create the directory", errno);
            }
        }
        // Kept open for the whole run: every step empties it and reads it, and a path lookup
        // and open per step cost more than the rest of that together.
        fs::path output = output_file(ScriptKind::step);
        m_step_output = open_state_file(output, O_RDWR | O_CREAT);
        if (!m_step_output || ::fchmod(m_step_output.get(), 0600) != 0)
            throw_storage_error(output, "cannot open the output file", errno);
    }

    ProcessResult run(const phase::Step& step, ScriptKind kind, unsigned attempt,
                      const json& context) override {
        const context::Secrets& secrets = m_setup.secrets;
        const RunOptions& options = m_setup.options;
        json real = secrets.reveal(context);
        write_context(secrets.mask(real));
        const phase::Script& script = script_of(step, kind);
        fs::path output = output_file(kind);
        // Empty and private before the script appends to it: under a umask of 000 the script's
        // own `>>` would make it world-readable. One file per kind, emptied rather than
        // removed: a new file per step makes ext4 search past every recently deleted inode, a
        // cost that grows with the run.
        if (kind == ScriptKind::step) {
            empty_step_output();
        } else {
            empty_file(output, true);
        }

        ProcessSpec spec;
        spec.argv = {script.shell, "-c", script.source};
        spec.environment = step_environment(options.environment,
                                            {m_setup.run_id, m_setup.phase.phase.name, step.index,
                                             step.id, attempt, std::string(script_kind_name(kind))},
                                            real, m_state_dir / "context.json", output);
        spec.workdir = m_workdir;
        spec.log_file =
            step_log_file(options.state_dir, step.index, step.id, script_kind_name(kind));
        spec.log_header = log_section_header(m_setup.run_id, script_kind_name(kind), attempt,
                                             std::chrono::system_clock::now());
        spec.echo_fd = options.echo_fd;
        spec.timeout = script.timeout;
        spec.kill_after = options.kill_after;
        spec.on_wait = options.on_wait;
        if (options.on_stop)
            spec.on_stop = [&options, &step](bool killing) { options.on_stop(step, killing); };
        if (options.store) spec.abandon = [store = options.store] { return store->lost(); };
        spec.secrets = &secrets;
        ProcessResult result = run_process(spec, m_setup.interrupt);
        // Only a step script's output is ever read.
        if (kind != ScriptKind::step) empty_file(output, false);
        return result;
    }

    std::string read_output() override {
        std::string text;
        char buffer[65536];
        for (;;) {
            ssize_t n = ::pread(m_step_output.get(), buffer, sizeof buffer,
                                static_cast<off_t>(text.size()));
            if (n > 0) {
                text.append(buffer, static_cast<std::size_t>(n));
            } else if (n == 0) {
                return text;
            } else if (errno != EINTR) {
                throw_storage_error(output_file(ScriptKind::step), "cannot read the step's output",
                                    errno);
            }
        }
    }

    void clear_output() override { empty_step_output(); }

    void mask_logs() override { mask_step_logs(m_setup.options.state_dir, m_setup.secrets); }

  private:
    // Where a script of this kind may write KEY=VALUE lines ($DEPLOYPHASE_OUTPUT); emptied
    // before each run of such a script.
    fs::path output_file(ScriptKind kind) const {
        return m_state_dir / "outputs" / fmt::format("{}.env", script_kind_name(kind));
    }

    // Empties the step output file unless it is empty already.
    void empty_step_output() {
        struct stat status {};
        if (::fstat(m_step_output.get(), &status) == 0 && status.st_size == 0) return;
        if (::ftruncate(m_step_output.get(), 0) != 0)
            throw_storage_error(output_file(ScriptKind::step), "cannot empty the output file",
                                errno);
    }

    // Rewritten only when it changed: most steps leave the context as it was.
    void write_context(const json& context) {
        if (m_context_file_exists && context == m_context_written) return;
        write_file_atomically((m_setup.options.state_dir / "context.json").string(),
                              context.dump(2) + "\n", 0600);
        m_context_written = context;
        m_context_file_exists = true;
    }

    ScriptSetup m_setup;
    fs::path m_workdir;
    fs::path m_state_dir;  // absolute: scripts run elsewhere
    Fd m_step_output;      // outputs/step.env
    json m_context_written;
    bool m_context_file_exists = false;
};

}  // namespace

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

std::unique_ptr<Scripts> process_scripts(const ScriptSetup& setup) {
    return std::make_unique<ProcessScripts>(setup);
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
        case ProcessResult::Ending::too_large:
            return fmt::format(
                "not started: its environment and script are {} bytes, more than the {} Linux "
                "starts a program with; keep large data in a file and put its path in the "
                "context",
                result.exec_bytes, exec_limit());
    }
    return "";
}

}  // namespace deployphase::run
