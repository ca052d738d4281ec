#pragma once
// A fresh directory for one test, removed with everything in it when the test ends.

#include <filesystem>

namespace deployphase::test {

struct TempDir {
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::filesystem::path path;  // unique: made with mkdtemp
};

}  // namespace deployphase::test
