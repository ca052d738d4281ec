#pragma once
// What the unit tests share: a fresh directory per test, and reading and writing whole files.

#include <filesystem>
#include <string>

namespace deployphase::test {

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

}  // namespace deployphase::test
