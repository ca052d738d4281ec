#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <deployphase/run/subprocess.hpp>

#include "test_support.hpp"

using namespace deployphase;
using namespace deployphase::run;
using deployphase::test::no_interrupt;
namespace fs = std::filesystem;
using std::chrono::milliseconds;

namespace {

struct Sandbox {
    test::TempDir temp;
    const fs::path& dir = temp.path;

    ProcessSpec spec(const std::string& script) const {
        ProcessSpec spec;
        spec.argv = {"sh", "-c", script};
        spec.environment = {"PATH=/usr/bin:/bin", "SANDBOX=" + dir.string()};
        spec.workdir = dir;
        spec.log_file = dir / "step.log";
        spec.timeout = milliseconds(20'000);  // a safety net; no test relies on its length
        spec.kill_after = milliseconds(500);
        return spec;
    }
    std::string log() const { return test::read_file(dir / "step.log"); }
    // The pid a script wrote to `name` with `echo $$ > name`. The shell creates the file
    // before it writes the line, so only a whole line is a pid; a loaded machine (the
    // sanitizer run) can take a while to get there.
    pid_t pid_from(const std::string& name) const {
        std::string text;
        for (int i = 0; i < 3000; ++i) {
            text = test::read_file(dir / name);
            if (text.ends_with('\n')) return static_cast<pid_t>(std::stol(text));
            std::this_thread::sleep_for(milliseconds(10));
        }
        FAIL("no pid was written to " << name << " within 30 s (it holds \"" << text << "\")");
        return -1;
    }
};

// Alive and not a zombie waiting to be reaped.
bool alive(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    if (!stat) return false;
    std::string line;
    std::getline(stat, line);
    auto close = line.rfind(')');
    return close != std::string::npos && line.size() > close + 2 && line[close + 2] != 'Z';
}

// Processes die a moment after SIGKILL; wait for it rather than assume it.
bool dies(pid_t pid) {
    for (int i = 0; i < 500; ++i) {
        if (!alive(pid)) return true;
        std::this_thread::sleep_for(milliseconds(10));
    }
    return false;
}

}  // namespace

TEST_CASE("subprocess: exit code, and stdout and stderr in order into the log", "[subprocess]") {
    Sandbox box;
    ProcessResult result =
        run_process(box.spec("echo out; echo err >&2; echo more; exit 3"), no_interrupt);
    CHECK(result.ending == ProcessResult::Ending::exited);
    CHECK(result.exit_code == 3);
    CHECK(box.log() == "out\nerr\nmore\n");
}

TEST_CASE(
    "subprocess: stdin is /dev/null, the environment is exactly the one given, and the "
    "working directory is set",
    "[subprocess]") {
    Sandbox box;
    ProcessResult result =
        run_process(box.spec("cat; echo \"[$SANDBOX] [${HOME-unset}]\"; pwd"), no_interrupt);
    CHECK(result.ending == ProcessResult::Ending::exited);
    CHECK(result.exit_code == 0);
    CHECK(box.log() == "[" + box.dir.string() + "] [unset]\n" + box.dir.string() + "\n");
}

TEST_CASE("subprocess: a timeout stops the script and everything it started", "[subprocess]") {
    Sandbox box;
    ProcessSpec spec = box.spec("sleep 100 & echo $! > grandchild; sleep 100");
    spec.timeout = milliseconds(300);
    ProcessResult result = run_process(spec, no_interrupt);
    CHECK(result.ending == ProcessResult::Ending::timed_out);
    CHECK(dies(box.pid_from("grandchild")));
}

TEST_CASE("subprocess: a script that ignores SIGTERM is killed after the grace period",
          "[subprocess]") {
    Sandbox box;
    ProcessSpec spec = box.spec("trap '' TERM; echo ready; while :; do sleep 0.05; done");
    spec.timeout = milliseconds(300);
    spec.kill_after = milliseconds(300);
    ProcessResult result = run_process(spec, no_interrupt);
    CHECK(result.ending == ProcessResult::Ending::timed_out);
    CHECK(result.signal == SIGKILL);
    CHECK(box.log() == "ready\n");
}

TEST_CASE("subprocess: an interrupt stops the step", "[subprocess]") {
    Sandbox box;
    InterruptFlag interrupt{0};
    // Once the step is running (its shell wrote its pid), never after a guessed delay.
    std::thread trigger([&] {
        for (int i = 0; i < 3000 && !test::read_file(box.dir / "shell").ends_with('\n'); ++i)
            std::this_thread::sleep_for(milliseconds(10));
        interrupt = SIGINT;
    });
    ProcessResult result = run_process(box.spec("echo $$ > shell; sleep 100"), interrupt);
    trigger.join();
    CHECK(result.ending == ProcessResult::Ending::interrupted);
    CHECK(result.signal == SIGTERM);
    CHECK(dies(box.pid_from("shell")));
}

TEST_CASE("subprocess: background children left behind do not hold the step open", "[subprocess]") {
    Sandbox box;
    ProcessResult result =
        run_process(box.spec("sleep 100 & echo $! > leftover; echo done"), no_interrupt);
    CHECK(result.ending == ProcessResult::Ending::exited);
    CHECK(result.exit_code == 0);
    CHECK(box.log() == "done\n");
    CHECK(dies(box.pid_from("leftover")));
}

TEST_CASE(
    "subprocess: a process that left the step's group and holds its output does not hold "
    "the step",
    "[subprocess]") {
    Sandbox box;
    // A daemon started with setsid escapes the group kill and keeps the pipe open; the step
    // still ends when its shell does, and after a timeout too.
    for (bool time_out : {false, true}) {
        ProcessSpec spec = box.spec(
            "setsid sh -c 'echo $$ > daemon; echo from-daemon; exec sleep 100' &\n"
            "while [ ! -s daemon ]; do sleep 0.01; done; echo done" +
            std::string(time_out ? "; sleep 100" : ""));
        if (time_out) spec.timeout = milliseconds(300);
        fs::remove(box.dir / "daemon");
        ProcessResult result = run_process(spec, no_interrupt);
        pid_t daemon = box.pid_from("daemon");
        CHECK(alive(daemon));  // not ours to kill: it left the group
        ::kill(daemon, SIGKILL);
        CHECK(result.ending ==
              (time_out ? ProcessResult::Ending::timed_out : ProcessResult::Ending::exited));
        CHECK(result.duration < milliseconds(5'000));
    }
    CHECK(box.log().find("done\n") != std::string::npos);
}

TEST_CASE("subprocess: a shell that cannot be run exits 127 and says so in the log",
          "[subprocess]") {
    Sandbox box;
    ProcessSpec spec = box.spec("true");
    spec.argv = {"no-such-shell-here", "-c", "true"};
    ProcessResult result = run_process(spec, no_interrupt);
    CHECK(result.ending == ProcessResult::Ending::exited);
    CHECK(result.exit_code == 127);
    CHECK(box.log() == "deployphase: cannot execute the step's shell: no such file\n");
}

TEST_CASE("subprocess: a step does not outlive a runner killed with SIGKILL", "[subprocess]") {
    Sandbox box;
    pid_t runner = ::fork();
    REQUIRE(runner >= 0);
    if (runner == 0) {
        run_process(box.spec("echo $$ > step; exec sleep 100"), no_interrupt);
        ::_exit(0);
    }
    pid_t step = box.pid_from("step");
    CHECK(alive(step));
    ::kill(runner, SIGKILL);
    ::waitpid(runner, nullptr, 0);
    CHECK(dies(step));
}
