#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <deployphase/state/lock.hpp>
#include <deployphase/support/errors.hpp>

#include "test_support.hpp"

using namespace deployphase;
using namespace deployphase::state;
namespace fs = std::filesystem;

namespace {

// A state directory that does not exist yet, inside a fresh temporary directory.
struct FreshStateDir {
    deployphase::test::TempDir temp;
    fs::path path = temp.path / "state";
};

}  // namespace

TEST_CASE("lock: creates the state directory 0700 and is exclusive", "[lock]") {
    FreshStateDir fresh;
    const fs::path& dir = fresh.path;
    {
        StateLock lock = StateLock::acquire(dir);
        struct stat info {};
        REQUIRE(::stat(dir.c_str(), &info) == 0);
        CHECK((info.st_mode & 0777) == 0700);
        try {
            StateLock::acquire(dir);
            FAIL("a second lock was granted");
        } catch (const LockHeld& held) {
            CHECK(held.holder().pid == ::getpid());
            CHECK_FALSE(held.holder().since.empty());
            CHECK(std::string(held.what())
                      .starts_with((dir / "lock").string() +
                                   ": error: another run holds the lock (pid " +
                                   std::to_string(::getpid()) + " on "));
        }
    }
    CHECK_NOTHROW(StateLock::acquire(dir));  // released with its holder
}

TEST_CASE("lock: a holder killed with SIGKILL leaves nothing that blocks the next run", "[lock]") {
    FreshStateDir fresh;
    const fs::path& dir = fresh.path;
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    pid_t holder = ::fork();
    REQUIRE(holder >= 0);
    if (holder == 0) {
        StateLock lock = StateLock::acquire(dir);
        (void)!::write(ready[1], "x", 1);
        ::pause();
        ::_exit(0);
    }
    char byte;
    REQUIRE(::read(ready[0], &byte, 1) == 1);
    // While the holder lives, the lock is not taken from it.
    try {
        StateLock::acquire(dir);
        FAIL("the lock was taken from a live holder");
    } catch (const LockHeld& held) {
        CHECK(held.holder().pid == holder);
    }
    ::kill(holder, SIGKILL);
    ::waitpid(holder, nullptr, 0);
    CHECK_NOTHROW(StateLock::acquire(dir));
    ::close(ready[0]);
    ::close(ready[1]);
}

TEST_CASE("lock: a state path that is a file is refused", "[lock]") {
    FreshStateDir fresh;
    const fs::path& dir = fresh.path;
    { std::ofstream(dir.string()) << "x"; }
    try {
        StateLock::acquire(dir);
        FAIL("expected StateError");
    } catch (const StateError& e) {
        CHECK(std::string(e.what()) == dir.string() + ": error: not a directory");
    }
}

TEST_CASE("lock: missing parents of the state directory are created", "[lock]") {
    deployphase::test::TempDir temp;
    fs::path dir = temp.path / "build" / "demo" / "state";
    StateLock lock = StateLock::acquire(dir);
    struct stat info {};
    REQUIRE(::stat(dir.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0700);
}

TEST_CASE("lock: holder() names a live holder, and creates and writes nothing", "[lock]") {
    FreshStateDir fresh;
    const fs::path& dir = fresh.path;
    CHECK_FALSE(StateLock::holder(dir).has_value());
    CHECK_FALSE(fs::exists(dir));  // asking created nothing
    {
        StateLock lock = StateLock::acquire(dir);
        auto before = fs::last_write_time(dir / "lock");
        std::optional<LockHolder> holder = StateLock::holder(dir);
        REQUIRE(holder.has_value());
        CHECK(holder->pid == ::getpid());
        CHECK(fs::last_write_time(dir / "lock") == before);
        CHECK_THROWS_AS(StateLock::acquire(dir), LockHeld);  // asking took nothing away
    }
    CHECK_FALSE(StateLock::holder(dir).has_value());
}

TEST_CASE("lock: a lock file is read for who holds it, anything odd as unknown", "[lock]") {
    LockHolder holder = parse_lock_holder(
        R"({"pid": 41877, "host": "ci-runner-3", "since": "2026-11-26T12:03:44Z"})");
    CHECK(holder.pid == 41877);
    CHECK(holder.host == "ci-runner-3");
    CHECK(holder.since == "2026-11-26T12:03:44Z");
    // Fields of another type, not JSON, not an object: unknown, never an error.
    holder = parse_lock_holder(R"({"pid": "x", "host": 7, "since": null})");
    CHECK(holder.pid == 0);
    CHECK(holder.host.empty());
    CHECK(holder.since.empty());
    CHECK(parse_lock_holder("{\"pid\": 1").pid == 0);
    CHECK(parse_lock_holder("[1, 2]").pid == 0);
    CHECK(parse_lock_holder("").host.empty());
    // The host is shown in the operator's terminal: no escape sequences reach it.
    holder = parse_lock_holder("{\"pid\": 5, \"host\": \"a\\u001b]0;owned\\u0007\"}");
    CHECK(holder.pid == 5);
    CHECK(holder.host.empty());
    CHECK(parse_lock_holder(R"({"host": ")" + std::string(300, 'h') + "\"}").host.empty());
}
