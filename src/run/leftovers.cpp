#include <deployphase/run/leftovers.hpp>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "support/file_io.hpp"

namespace deployphase::run {
namespace {

namespace fs = std::filesystem;

// Alive and not merely a zombie waiting for its parent.
bool running(pid_t pid) {
    std::string stat;
    if (read_file(fs::path("/proc") / std::to_string(pid) / "stat", stat)) return false;
    auto close = stat.rfind(')');
    return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z';
}

}  // namespace

std::size_t stop_leftover_processes(const std::string& run_id) {
    const std::string marker = "DEPLOYPHASE_RUN_ID=" + run_id;
    std::vector<pid_t> killed;
    std::error_code ignored;
    for (const auto& entry : fs::directory_iterator("/proc", ignored)) {
        const std::string name = entry.path().filename();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        pid_t pid = static_cast<pid_t>(std::stol(name));
        if (pid == ::getpid()) continue;
        std::string environment;
        if (read_file(entry.path() / "environ", environment)) continue;  // gone, or not ours
        // Entries are NUL-separated; match a whole entry.
        std::size_t at = environment.find(marker);
        while (at != std::string::npos) {
            bool starts = at == 0 || environment[at - 1] == '\0';
            std::size_t end = at + marker.size();
            bool ends = end == environment.size() || environment[end] == '\0';
            if (starts && ends) break;
            at = environment.find(marker, at + 1);
        }
        if (at == std::string::npos) continue;
        if (::kill(pid, SIGKILL) == 0) killed.push_back(pid);
    }
    for (int i = 0; i < 500; ++i) {  // up to 5 s for the kernel to finish them
        bool any = false;
        for (pid_t pid : killed)
            any = any || running(pid);
        if (!any) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return killed.size();
}

}  // namespace deployphase::run
