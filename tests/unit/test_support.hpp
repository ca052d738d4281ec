#pragma once
// What the unit tests share: a fresh directory per test, reading and writing whole files, and
// the words the runner's tests compare.

#include <filesystem>
#include <string>

#include <deployphase/run/subprocess.hpp>

namespace deployphase::state {
struct RunState;
}

namespace deployphase::test {

inline const run::InterruptFlag no_interrupt{0};

// A fresh directory for one test, removed with everything in it when the test ends.
struct TempDir {
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::filesystem::path path;  // unique: made with mkdtemp
};

// The file's bytes exactly; "" when it cannot be read.
std::string read_file(const std::filesystem::path& path);

// Replaces the file with exactly these bytes.
void write_file(const std::filesystem::path& path, const std::string& bytes);

// "failed: succeeded failed pending": the run's status, then each step's.
std::string statuses(const state::RunState& state);

}  // namespace deployphase::test
