#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <deployphase/support/atomic_file.hpp>
#include <deployphase/support/errors.hpp>

#include "test_support.hpp"

using namespace deployphase;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir))
        names.push_back(entry.path().filename());
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

TEST_CASE("atomic file: creates, then replaces, leaving nothing else behind", "[atomic]") {
    deployphase::test::TempDir temp;
    const fs::path& dir = temp.path;
    fs::path target = dir / "plan.json";
    write_file_atomically(target.string(), "first\n");
    CHECK(test::read_file(target) == "first\n");
    write_file_atomically(target.string(), "second\n");
    CHECK(test::read_file(target) == "second\n");
    CHECK(entries(dir) == std::vector<std::string>{"plan.json"});
}

TEST_CASE("atomic file: a failure names the path and the reason", "[atomic]") {
    fs::path target = fs::temp_directory_path() / "deployphase-no-such-dir" / "plan.json";
    try {
        write_file_atomically(target.string(), "x");
        FAIL("expected StorageError");
    } catch (const StorageError& e) {
        CHECK(std::string(e.what()) ==
              target.string() +
                  ": error: cannot write the file: creating a temporary file: No such "
                  "file or directory");
    }
}
