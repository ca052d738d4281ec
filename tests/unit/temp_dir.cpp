#include "temp_dir.hpp"

#include <stdlib.h>

#include <stdexcept>
#include <string>

namespace deployphase::test {

TempDir::TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "deployphase-test.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
}

}  // namespace deployphase::test
