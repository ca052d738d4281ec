#include <regex>
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <deployphase/state/journal.hpp>
#include <deployphase/state/journal_file.hpp>
#include <deployphase/support/crc32.hpp>
#include <deployphase/support/errors.hpp>

#include "test_support.hpp"

using namespace deployphase;
using deployphase::StateError;
using deployphase::state::Journal;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using test::TempDir;

// A journal of `count` events, returned as its bytes, with the offset where each record starts.
std::pair<std::string, std::vector<std::size_t>> journal_bytes(const fs::path& dir, int count) {
    fs::path path = dir / "source.journal";
    std::vector<std::size_t> starts;
    {
        Journal journal = Journal::open(path, true);
        for (int i = 0; i < count; ++i) {
            starts.push_back(fs::file_size(path));
            journal.append({{"type", "step_finished"}, {"step", i + 1}, {"note", "é ünïcode"}});
        }
    }
    std::string bytes = test::read_file(path);
    fs::remove(path);
    return {bytes, starts};
}

std::string error_of(const fs::path& path, bool create = true) {
    try {
        Journal::open(path, create);
    } catch (const StateError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("crc32: the standard check value", "[journal]") {
    CHECK(crc32("123456789") == 0xCBF43926u);
    CHECK(crc32("") == 0u);
}

TEST_CASE("journal: records survive reopening, in order, numbered", "[journal]") {
    TempDir dir;
    fs::path path = dir.path / "journal";
    {
        Journal journal = Journal::open(path, true);
        journal.append({{"type", "run_started"}});
        journal.append({{"type", "step_started"}, {"index", 1}});
        journal.append({{"type", "output"}, {"text", "line\nbreak \"quoted\""}});
    }
    Journal again = Journal::open(path, true);
    REQUIRE(again.records().size() == 3);
    // Every record says when it was written: UTC, to the millisecond.
    json first = again.records()[0];
    REQUIRE(first.contains("at"));
    CHECK(std::regex_match(first["at"].get<std::string>(),
                           std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
    first.erase("at");
    CHECK(first == json({{"type", "run_started"}, {"seq", 1}}));
    CHECK(again.records()[2]["text"] == "line\nbreak \"quoted\"");
    CHECK_FALSE(again.torn_tail().has_value());
    // One header line, then one line per record.
    std::string bytes = test::read_file(path);
    CHECK(std::count(bytes.begin(), bytes.end(), '\n') == 4);
    CHECK(bytes.starts_with("deployphase-journal 2\nR "));
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
}

TEST_CASE(
    "journal: cut at every byte of the last record, it drops the torn tail, keeps a "
    "copy, and goes on",
    "[journal]") {
    TempDir dir;
    auto [bytes, starts] = journal_bytes(dir.path, 3);
    std::size_t last = starts.back();
    for (std::size_t cut = last; cut < bytes.size(); ++cut) {
        INFO("cut at byte " << cut);
        fs::path path = dir.path / "journal";
        fs::remove_all(dir.path / "journal");
        for (const auto& entry : fs::directory_iterator(dir.path))
            fs::remove(entry.path());
        test::write_file(path, bytes.substr(0, cut));

        Journal journal = Journal::open(path, true);
        CHECK(journal.records().size() == 2);
        CHECK(fs::file_size(path) == last);
        if (cut == last) {
            CHECK_FALSE(journal.torn_tail().has_value());
        } else {
            REQUIRE(journal.torn_tail().has_value());
            CHECK(journal.torn_tail()->offset == last);
            CHECK(test::read_file(journal.torn_tail()->copy) == bytes.substr(last, cut - last));
        }
        journal.append({{"type", "after"}});
        json after = Journal::open(path, true).records().back();
        after.erase("at");
        CHECK(after == json({{"type", "after"}, {"seq", 3}}));
    }
}

TEST_CASE("journal: a zeroed last block is a torn tail", "[journal]") {
    TempDir dir;
    auto [bytes, starts] = journal_bytes(dir.path, 20);
    REQUIRE(bytes.size() > 1024);
    std::size_t block = (bytes.size() - 1) / 512 * 512;  // the block holding the last byte
    std::string zeroed = bytes;
    std::fill(zeroed.begin() + static_cast<std::ptrdiff_t>(block), zeroed.end(), '\0');
    fs::path path = dir.path / "journal";
    test::write_file(path, zeroed);
    Journal journal = Journal::open(path, true);
    // Every record that ends before the zeroed block survives.
    std::size_t survivors = 0;
    for (std::size_t i = 0; i < starts.size(); ++i) {
        std::size_t end = i + 1 < starts.size() ? starts[i + 1] : bytes.size();
        if (end <= block) ++survivors;
    }
    CHECK(journal.records().size() == survivors);
    CHECK(survivors >= 10);
    REQUIRE(journal.torn_tail().has_value());
    CHECK(journal.torn_tail()->offset == starts[survivors]);
}

TEST_CASE("journal: damage before the last record is refused with its offset", "[journal]") {
    TempDir dir;
    auto [bytes, starts] = journal_bytes(dir.path, 4);
    fs::path path = dir.path / "journal";
    std::string flipped = bytes;
    flipped[starts[1] + 20] ^= 0x04;  // inside the second record's payload
    test::write_file(path, flipped);
    CHECK(error_of(path) == path.string() + ": error: damaged record at byte " +
                                std::to_string(starts[1]) +
                                " with intact records after it; refusing to guess (the file is "
                                "left as it is)");
    CHECK(test::read_file(path) == flipped);

    // The same flip in the last record is a torn tail.
    flipped = bytes;
    flipped[starts[3] + 20] ^= 0x04;
    test::write_file(path, flipped);
    Journal journal = Journal::open(path, true);
    CHECK(journal.records().size() == 3);
}

TEST_CASE("journal: unknown versions, other files and sequence gaps are refused", "[journal]") {
    TempDir dir;
    fs::path path = dir.path / "journal";
    test::write_file(path, "deployphase-journal 3\n");
    CHECK(error_of(path) == path.string() +
                                ": error: byte 0: journal format version \"3\" is not one this "
                                "deployphase reads (versions 1 to 2); use the deployphase "
                                "that wrote it");
    test::write_file(path, "{\"some\": \"json\"}\n");
    CHECK(error_of(path) ==
          path.string() +
              ": error: byte 0: not a deployphase journal (no \"deployphase-journal\" header)");
    test::write_file(path, "deployphase-journal 1\n" + state::frame_record(R"({"seq":1})") +
                               state::frame_record(R"({"seq":3})") +
                               state::frame_record(R"({"seq":4})"));
    std::size_t second =
        std::string("deployphase-journal 1\n").size() + state::frame_record(R"({"seq":1})").size();
    CHECK(error_of(path) == path.string() + ": error: record at byte " + std::to_string(second) +
                                " has sequence 3, expected 2");
    CHECK(error_of(dir.path / "absent", false) ==
          (dir.path / "absent").string() + ": error: no journal here");
}

TEST_CASE("journal: a header cut short by a crash is rewritten", "[journal]") {
    TempDir dir;
    fs::path path = dir.path / "journal";
    test::write_file(path, "deployph");
    Journal journal = Journal::open(path, true);
    CHECK(journal.records().empty());
    journal.append({{"type", "run_started"}});
    CHECK(Journal::open(path, true).records().size() == 1);
}

TEST_CASE("journal: a failed write stops all later appends", "[journal]") {
    TempDir dir;
    fs::path path = dir.path / "journal";
    Journal::open(path, true).append({{"type", "run_started"}});
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // The file may not grow past its current size: the next append fails with EFBIG.
        std::signal(SIGXFSZ, SIG_IGN);
        rlimit limit{static_cast<rlim_t>(fs::file_size(path)),
                     static_cast<rlim_t>(fs::file_size(path))};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        Journal journal = Journal::open(path, true);
        int result = 0;
        try {
            journal.append({{"type", "step_started"}, {"padding", std::string(100, 'x')}});
            result |= 1;
        } catch (const deployphase::StorageError& e) {
            if (std::string(e.what()).find("cannot append to the journal: File too large") ==
                std::string::npos) {
                result |= 2;
            }
        }
        try {
            journal.append({{"type", "tiny"}});
            result |= 4;
        } catch (const deployphase::StorageError& e) {
            if (std::string(e.what()).find("an earlier write failed") == std::string::npos)
                result |= 8;
        }
        ::_exit(result);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(Journal::open(path, true).records().size() == 1);
}
