#include <deployphase/run/subprocess.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include <deployphase/support/errors.hpp>
#include <deployphase/support/fd.hpp>

#include "support/file_io.hpp"

namespace deployphase::run {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
// How long output is still read after the script exits, when something outside its process
// group keeps the pipe open.
constexpr milliseconds output_drain{200};

// The system would not let the step run or be watched: out of processes or descriptors.
[[noreturn]] void cannot_run(std::string_view call) {
    throw_storage_error("deployphase", fmt::format("cannot run the step: {}", call), errno);
}

// In the child, between vfork and exec. The child shares the runner's memory until exec, so
// it only makes system calls: no allocation, no lock, no write to anything but its own stack.
[[noreturn]] void exec_child(const ProcessSpec& spec, int output, pid_t parent,
                             const std::vector<char*>& argv, const std::vector<char*>& env) {
    ::setpgid(0, 0);
    // If the runner dies (even by SIGKILL), the script is killed rather than orphaned.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    // The runner's handlers must not run here once signals are unblocked (they would write to
    // its memory), and what it ignores must not stay ignored for the script. These are the
    // signals deployphase handles or ignores (cli/app.cpp, cli/run_support.cpp); exec resets
    // any other handler, and until then every signal is blocked.
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP, SIGXFSZ})
        ::sigaction(sig, &default_action, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null < 0 || ::dup2(null, 0) < 0 || ::dup2(output, 1) < 0 || ::dup2(output, 2) < 0) {
        ::_exit(127);
    }
    if (!spec.workdir.empty() && ::chdir(spec.workdir.c_str()) != 0) {
        const char message[] = "deployphase: cannot enter the working directory\n";
        (void)!::write(2, message, sizeof message - 1);
        ::_exit(127);
    }
    ::execvpe(argv[0], argv.data(), env.data());
    // No allocation here: a fixed text for the likely causes.
    const char* message = errno == ENOENT   ? "deployphase: cannot execute the step's shell: "
                                              "no such file\n"
                          : errno == EACCES ? "deployphase: cannot execute the step's shell: "
                                              "permission denied\n"
                                            : "deployphase: cannot execute the step's shell\n";
    (void)!::write(2, message, ::strlen(message));
    ::_exit(127);
}

// vfork, not fork: fork copies the runner's page tables only for exec to throw them away,
// which cost more than the rest of a no-op step together (docs/performance.md). Signals
// stay blocked until the child has reset its handlers.
pid_t spawn(const ProcessSpec& spec, int output, const std::vector<char*>& argv,
            const std::vector<char*>& env) {
    sigset_t all;
    sigset_t previous;
    sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t parent = ::getpid();
    pid_t child = ::vfork();
    if (child == 0) exec_child(spec, output, parent, argv, env);
    int error = errno;
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    errno = error;
    return child;
}

}  // namespace

std::size_t exec_limit() {
    constexpr std::size_t floor = 32 * 4096;                  // ARG_MAX of old: always allowed
    constexpr std::size_t ceiling = 8 * 1024 * 1024 / 4 * 3;  // _STK_LIM / 4 * 3
    long arg_max = ::sysconf(_SC_ARG_MAX);
    std::size_t limit = arg_max > 0 ? static_cast<std::size_t>(arg_max) : floor;
    return std::clamp(limit, floor, ceiling);
}

std::size_t exec_size(const std::vector<std::string>& argv,
                      const std::vector<std::string>& environment) {
    std::size_t size = (argv.size() + environment.size()) * sizeof(char*);
    for (const std::string& text : argv)
        size += text.size() + 1;
    for (const std::string& text : environment)
        size += text.size() + 1;
    return size;
}

ProcessResult run_process(const ProcessSpec& spec, const InterruptFlag& interrupt) {
    // exec would fail with E2BIG, and the script would look as if it had exited with 127.
    if (std::size_t size = exec_size(spec.argv, spec.environment); size > exec_limit()) {
        ProcessResult too_large;
        too_large.ending = ProcessResult::Ending::too_large;
        too_large.exec_bytes = size;
        return too_large;
    }
    // Opened at the first output: a script that prints nothing leaves no file, and creating a
    // file per step is a cost the runner should not add to every quiet step.
    Fd log;
    auto open_log = [&] {
        log = open_state_file(spec.log_file, O_WRONLY | O_CREAT | O_APPEND);
        return log.get() >= 0;
    };
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) cannot_run("pipe");
    Fd read_end(pipe_fds[0]);
    Fd write_end(pipe_fds[1]);

    // Everything exec needs is prepared before vfork.
    std::vector<char*> argv;
    for (const auto& arg : spec.argv)
        argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> env;
    for (const auto& entry : spec.environment)
        env.push_back(const_cast<char*>(entry.c_str()));
    env.push_back(nullptr);

    auto started = Clock::now();
    pid_t child = spawn(spec, write_end.get(), argv, env);
    if (child < 0) cannot_run("vfork");
    // No setpgid(child, child) here: vfork suspends us until the child has exec'd, so its
    // own setpgid(0, 0) has already made the group we may signal.
    write_end.reset();

    ProcessResult result;
    // Becomes readable when the child exits, so exit wakes poll() at once (Linux 5.3+; without
    // it, exit is noticed on the next periodic wake).
    Fd exit_fd(static_cast<int>(::syscall(SYS_pidfd_open, child, 0)));
    std::optional<Clock::time_point> terminated_at;
    std::optional<Clock::time_point> exited_at;
    bool killed = false;
    bool pipe_open = true;
    bool exited = false;
    int status = 0;
    char buffer[16384];

    auto terminate = [&](ProcessResult::Ending why) {
        result.ending = why;
        ::kill(-child, SIGTERM);
        terminated_at = Clock::now();
        if (why == ProcessResult::Ending::interrupted && spec.on_stop) spec.on_stop(false);
    };
    auto abandon = [&] {
        ::kill(-child, SIGKILL);
        if (!exited) ::waitpid(child, &status, 0);
    };
    std::optional<context::StreamMasker> masker;
    if (spec.secrets && !spec.secrets->texts().empty()) masker.emplace(*spec.secrets);
    int echo_fd = spec.echo_fd;  // -1 once whoever read the echo has gone
    bool header_written = spec.log_header.empty();
    // A step whose output cannot be kept must not go on unrecorded: it is stopped and the run
    // with it, as if the runner had died there.
    auto keep = [&](std::string_view output) {
        if (output.empty()) return;
        bool opened = log.get() >= 0;
        try {
            opened = opened || open_log();
        } catch (...) {  // a link or a FIFO where the log goes: refused, the step stopped
            abandon();
            throw;
        }
        if (!opened) {
            int error = errno;
            abandon();
            throw_storage_error(spec.log_file, "cannot open the step log", error);
        }
        if (!header_written) {
            header_written = true;
            if (auto failure = write_all(log.get(), spec.log_header)) {
                abandon();
                throw_storage_error(spec.log_file, "cannot write the step log", failure->error);
            }
        }
        if (auto failure = write_all(log.get(), output)) {
            abandon();
            throw_storage_error(spec.log_file, "cannot write the step log", failure->error);
        }
        if (echo_fd >= 0) {
            if (auto failure = write_all(echo_fd, output)) {
                // Whoever read the echo has gone: the step and its log go on without it.
                if (failure->error == EPIPE) {
                    echo_fd = -1;
                } else {
                    abandon();
                    throw_storage_error("deployphase", "cannot echo the step's output",
                                        failure->error);
                }
            }
        }
    };
    auto reap = [&] {
        if (!exited && ::waitpid(child, &status, WNOHANG) == child) {
            exited = true;
            exited_at = Clock::now();
            // Background children of the script may hold the pipe open; the step is over.
            ::kill(-child, SIGKILL);
        }
    };

    for (;;) {
        auto now = Clock::now();
        // What the step's group wrote before it died is read; a process that left the group
        // (setsid) and still holds the pipe must not keep the step alive, so reading stops a
        // short while after the exit.
        if (exited && (!pipe_open || now - *exited_at >= output_drain)) break;

        if (!exited) {
            if (!terminated_at && (interrupt.load() != 0 || (spec.abandon && spec.abandon()))) {
                terminate(ProcessResult::Ending::interrupted);
            }
            if (!terminated_at && spec.timeout && now - started >= *spec.timeout) {
                terminate(ProcessResult::Ending::timed_out);
            }
            bool kill_now = result.ending == ProcessResult::Ending::interrupted &&
                            (interrupt.load() & interrupt_kill_now) != 0;
            if (terminated_at && !killed && (kill_now || now - *terminated_at >= spec.kill_after)) {
                ::kill(-child, SIGKILL);
                killed = true;
                if (kill_now && spec.on_stop) spec.on_stop(true);
            }
        }

        // Wake for output, exit, the next deadline, or at least every 100 ms to see interrupts.
        milliseconds wait(100);
        auto until = [&](Clock::time_point deadline) {
            wait =
                std::min(wait, std::max(milliseconds(0),
                                        std::chrono::duration_cast<milliseconds>(deadline - now)));
        };
        if (exited) {
            until(*exited_at + output_drain);
        } else {
            if (!terminated_at && spec.timeout) until(started + *spec.timeout);
            if (terminated_at && !killed) until(*terminated_at + spec.kill_after);
        }

        if (spec.on_wait) spec.on_wait();
        pollfd fds[2];
        nfds_t count = 0;
        if (pipe_open) fds[count++] = {read_end.get(), POLLIN, 0};
        if (!exited && exit_fd.get() >= 0) fds[count++] = {exit_fd.get(), POLLIN, 0};
        int ready = ::poll(fds, count, static_cast<int>(wait.count()));
        if (ready < 0 && errno != EINTR) cannot_run("poll");
        if (ready > 0 && pipe_open && fds[0].revents != 0) {
            ssize_t n = ::read(read_end.get(), buffer, sizeof buffer);
            if (n > 0) {
                std::string_view output(buffer, static_cast<std::size_t>(n));
                if (masker) {
                    keep(masker->feed(output));
                } else {
                    keep(output);
                }
            } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                pipe_open = false;
            }
        }
        reap();  // after the wait: a child just spawned has not exited yet
    }
    // The loop ends only after reap() saw the exit and killed what was left of the group.
    if (masker) keep(masker->finish());
    result.duration = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
    if (!terminated_at) {
        if (WIFEXITED(status)) {
            result.ending = ProcessResult::Ending::exited;
            result.exit_code = WEXITSTATUS(status);
        } else {
            result.ending = ProcessResult::Ending::signaled;
            result.signal = WTERMSIG(status);
        }
    } else {
        result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        result.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    }
    return result;
}

}  // namespace deployphase::run
