#include "test_support.hpp"

#include <deployphase/state/run_state.hpp>

#include <stdlib.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

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

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

std::string statuses(const state::RunState& state) {
    std::string out = std::string(state::run_status_name(state.status)) + ":";
    for (const auto& s : state.steps)
        out += " " + std::string(state::step_status_name(s.status));
    return out;
}

}  // namespace deployphase::test
