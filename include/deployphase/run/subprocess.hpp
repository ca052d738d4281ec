#pragma once
// Runs one step script: its own process group, stdin from /dev/null, stdout and stderr through
// one pipe into a log file (and, if asked, to our stdout), with a timeout that stops the whole
// group. docs/architecture.md explains the choices.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <deployphase/context/secrets.hpp>

namespace deployphase::run {

struct ProcessSpec {
    std::vector<std::string> argv;  // e.g. {"sh", "-c", script}; argv[0] is looked up in PATH
    std::vector<std::string> environment;  // the complete environment, "KEY=VALUE"
    std::filesystem::path workdir;
    std::filesystem::path log_file;  // appended to; created 0600 at the first output
    // Written to the log just before the first output (nothing when there is none), so that
    // the runs and attempts a log file holds are told apart (step_log.hpp).
    std::string log_header;
    int echo_fd = -1;  // also copy the output to this descriptor (-1: no)
    // When set, the output is masked (StreamMasker) before it reaches the log or echo_fd.
    const context::Secrets* secrets = nullptr;
    std::optional<std::chrono::milliseconds> timeout;
    std::chrono::milliseconds kill_after{10'000};  // from SIGTERM to SIGKILL of the group
    std::function<void()> on_wait;  // called at every wake while it runs (at least each 100 ms)
    // Told when an interrupt stops the process: `killing` false when its group is sent SIGTERM,
    // true when a second interrupt kills it at once.
    std::function<void(bool killing)> on_stop;
    // Asked at every wake: true stops the process as an interrupt does (the runner has lost
    // its hold on the state store, and another runner may take the run over).
    std::function<bool()> abandon;
};

// The most bytes a program may be started with on Linux: its arguments and environment, each
// with its NUL, plus a pointer to each. A quarter of the stack limit (sysconf's ARG_MAX), at
// most 6 MiB, at least 128 KiB; more makes exec fail with E2BIG.
std::size_t exec_limit();
// What `argv` and `environment` count against exec_limit().
std::size_t exec_size(const std::vector<std::string>& argv,
                      const std::vector<std::string>& environment);

struct ProcessResult {
    // too_large: not started, its arguments and environment being more than exec_limit().
    enum class Ending { exited, signaled, timed_out, interrupted, too_large };
    Ending ending = Ending::exited;
    int exit_code = 0;           // for `exited`
    int signal = 0;              // for `signaled`: the signal that ended the script
    std::size_t exec_bytes = 0;  // for `too_large`: exec_size() of what it would have had
    std::chrono::milliseconds duration{0};
};

// Set from a signal handler to stop the running step: its group gets SIGTERM, then SIGKILL
// after `kill_after`, and the result is `interrupted`. It holds the signal that asked for the
// stop; a second interrupt adds interrupt_kill_now, and the group is killed at once.
using InterruptFlag = std::atomic<int>;
inline constexpr int interrupt_kill_now = 0x100;
inline int interrupt_signal_of(int flag) {
    return flag & 0xff;
}

// Runs the process to the end; every process left in its group is killed before returning.
// Throws StorageError when the process cannot be started or watched, or its log cannot be
// written (the process is then killed first).
ProcessResult run_process(const ProcessSpec& spec, const InterruptFlag& interrupt);

}  // namespace deployphase::run
