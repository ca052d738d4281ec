// Runs fuzz inputs through the fuzz targets without libFuzzer, so that every build, the plain
// and the sanitizer test builds included, replays the corpus kept in fuzz/corpus and every
// input a fuzzer once failed on:
//
//   fuzz_replay TARGET FILE_OR_DIRECTORY...
//
// Each target's LLVMFuzzerTestOneInput is compiled under its own name (fuzz/CMakeLists.txt).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#define DEPLOYPHASE_FUZZ_TARGET(name) \
    extern "C" int name##_one_input(const std::uint8_t* data, std::size_t size);
DEPLOYPHASE_FUZZ_TARGETS
#undef DEPLOYPHASE_FUZZ_TARGET

namespace {

using Entry = int (*)(const std::uint8_t*, std::size_t);

struct Target {
    std::string_view name;
    Entry entry;
};

const Target targets[] = {
#define DEPLOYPHASE_FUZZ_TARGET(name) {#name, name##_one_input},
    DEPLOYPHASE_FUZZ_TARGETS
#undef DEPLOYPHASE_FUZZ_TARGET
};

std::vector<std::filesystem::path> inputs_in(const std::filesystem::path& path) {
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(path)) {
        for (const auto& entry : std::filesystem::recursive_directory_iterator(path))
            if (entry.is_regular_file()) files.push_back(entry.path());
        std::sort(files.begin(), files.end());
    } else {
        files.push_back(path);
    }
    return files;
}

}  // namespace

int main(int argc, char** argv) {
    const Target* target = nullptr;
    for (const Target& candidate : targets)
        if (argc > 1 && candidate.name == argv[1]) target = &candidate;
    if (!target || argc < 3) {
        std::fprintf(stderr, "usage: fuzz_replay TARGET FILE_OR_DIRECTORY...\ntargets:");
        for (const Target& candidate : targets)
            std::fprintf(stderr, " %.*s", static_cast<int>(candidate.name.size()),
                         candidate.name.data());
        std::fprintf(stderr, "\n");
        return 2;
    }
    std::size_t count = 0;
    for (int i = 2; i < argc; ++i) {
        for (const std::filesystem::path& file : inputs_in(argv[i])) {
            std::ifstream in(file, std::ios::binary);
            if (!in) {
                std::fprintf(stderr, "fuzz_replay: cannot read %s\n", file.c_str());
                return 2;
            }
            std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
            // What the crash report names, in case this one ends the process.
            std::fprintf(stderr, "%s\n", file.c_str());
            target->entry(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
            ++count;
        }
    }
    std::printf("%zu inputs replayed through %.*s\n", count, static_cast<int>(target->name.size()),
                target->name.data());
    return count > 0 ? 0 : 1;
}
