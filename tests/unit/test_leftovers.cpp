#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include <deployphase/run/leftovers.hpp>

using deployphase::run::stop_leftover_processes;

namespace {

// A process that sleeps with the given DEPLOYPHASE_RUN_ID in its environment.
pid_t sleeper(const char* run_id) {
    pid_t pid = ::fork();
    if (pid == 0) {
        std::string variable = std::string("DEPLOYPHASE_RUN_ID=") + run_id;
        char* const argv[] = {const_cast<char*>("sleep"), const_cast<char*>("300"), nullptr};
        char* const envp[] = {variable.data(), const_cast<char*>("PATH=/usr/bin:/bin"), nullptr};
        ::execve("/bin/sleep", argv, envp);
        ::_exit(127);
    }
    return pid;
}

// Until exec, a child still has our environment; wait until it runs `sleep`.
bool wait_for_exec(pid_t pid) {
    for (int i = 0; i < 500; ++i) {
        std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
        std::string name;
        if (std::getline(comm, name) && name == "sleep") return true;
        ::usleep(10'000);
    }
    return false;
}

}  // namespace

TEST_CASE("leftovers: processes of exactly this run are stopped, others are not", "[leftovers]") {
    pid_t ours = sleeper("run-abc");
    pid_t other = sleeper("run-abcd");
    for (pid_t pid : {ours, other})
        REQUIRE(wait_for_exec(pid));
    CHECK(stop_leftover_processes("run-abc") == 1);
    int status = 0;
    REQUIRE(::waitpid(ours, &status, 0) == ours);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);
    CHECK(::waitpid(other, &status, WNOHANG) == 0);  // still running
    ::kill(other, SIGKILL);
    ::waitpid(other, nullptr, 0);
    CHECK(stop_leftover_processes("run-none") == 0);
}
