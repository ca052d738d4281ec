#include <deployphase/state/journal_file.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include <deployphase/state/journal.hpp>
#include <deployphase/support/crash_point.hpp>
#include <deployphase/support/crc32.hpp>
#include <deployphase/support/errors.hpp>
#include <deployphase/support/fd.hpp>

#include "support/defer.hpp"
#include "support/file_io.hpp"

namespace deployphase::state {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view magic = "deployphase-journal ";

std::string header_line() {
    return fmt::format("{}{}\n", magic, journal_format_version);
}

[[noreturn]] void refuse(const fs::path& path, std::string message) {
    throw StateError(path, std::move(message));
}

void write_or_fail(int fd, std::string_view bytes, const fs::path& path, std::string_view what) {
    if (auto failure = write_all(fd, bytes)) throw_storage_error(path, what, failure->error);
}

void sync_directory(const fs::path& file) {
    if (auto failure = sync_parent_directory(file)) {
        throw_storage_error(file.parent_path(),
                            fmt::format("{} of the state directory", failure->operation),
                            failure->error);
    }
}

// A link or FIFO in its place is refused by read_state_file, as every state file is.
std::string read_journal(const fs::path& path) {
    std::string content;
    if (auto failure = read_state_file(path, content)) {
        throw_storage_error(path, "cannot read the journal", failure->error);
    }
    return content;
}

// A record frame at `offset`: `R <length> <crc32 hex> <payload>\n`. Returns the payload and
// sets `end` when the frame is complete and its checksum matches.
std::optional<std::string_view> read_frame(std::string_view content, std::size_t offset,
                                           std::size_t& end) {
    std::string_view rest = content.substr(offset);
    if (!rest.starts_with("R ")) return std::nullopt;
    std::size_t pos = 2;
    std::size_t length = 0;
    std::size_t digits = 0;
    while (pos < rest.size() && rest[pos] >= '0' && rest[pos] <= '9' && digits < 10) {
        length = length * 10 + static_cast<std::size_t>(rest[pos] - '0');
        ++pos;
        ++digits;
    }
    if (digits == 0 || pos + 10 > rest.size() || rest[pos] != ' ' || rest[pos + 9] != ' ') {
        return std::nullopt;
    }
    std::uint32_t expected = 0;
    for (std::size_t i = pos + 1; i < pos + 9; ++i) {
        char c = rest[i];
        int value = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (value < 0) return std::nullopt;
        expected = (expected << 4) | static_cast<std::uint32_t>(value);
    }
    std::size_t payload_start = pos + 10;
    if (payload_start + length + 1 > rest.size() || rest[payload_start + length] != '\n') {
        return std::nullopt;
    }
    std::string_view payload = rest.substr(payload_start, length);
    if (crc32(payload) != expected) return std::nullopt;
    end = offset + payload_start + length + 1;
    return payload;
}

// Whether any complete, intact record starts after `offset`: then the damage at `offset` is
// not a torn tail but a hole in the middle.
bool intact_record_after(std::string_view content, std::size_t offset) {
    for (std::size_t at = content.find("\nR ", offset); at != std::string_view::npos;
         at = content.find("\nR ", at + 1)) {
        std::size_t end = 0;
        if (read_frame(content, at + 1, end)) return true;
    }
    return false;
}

Fd open_for_append(const fs::path& path) {
    Fd fd = open_state_file(path, O_WRONLY | O_APPEND);
    if (!fd) throw_storage_error(path, "cannot open the journal for writing", errno);
    return fd;
}

// Keeps the torn bytes for inspection, then cuts them off the journal, both durably.
TornTail cut_torn_tail(const fs::path& path, std::string_view content, std::size_t offset) {
    fs::path copy;
    Fd fd;
    // A new file each time (an earlier tear at the same offset keeps its copy).
    for (int attempt = 1; !fd; ++attempt) {
        copy = path;
        copy += attempt == 1 ? fmt::format(".torn-{}", offset)
                             : fmt::format(".torn-{}.{}", offset, attempt);
        fd.reset(::open(copy.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
        if (!fd && (errno != EEXIST || attempt >= 1000)) {
            throw_storage_error(copy, "cannot keep the torn journal tail", errno);
        }
    }
    write_or_fail(fd.get(), content.substr(offset), copy, "cannot keep the torn journal tail");
    if (::fsync(fd.get()) != 0) throw_storage_error(copy, "fsync of the torn journal tail", errno);
    fd.reset();
    crash_point();
    if (::truncate(path.c_str(), static_cast<off_t>(offset)) != 0) {
        throw_storage_error(path, "cannot cut the torn tail off the journal", errno);
    }
    Fd journal = open_state_file(path, O_WRONLY);
    if (!journal || ::fsync(journal.get()) != 0)
        throw_storage_error(path, "fsync of the journal", errno);
    journal.reset();
    sync_directory(path);
    return TornTail{offset, content.size() - offset, copy.string()};
}

// Creates the journal with its header, durably.
void create_journal(const fs::path& path) {
    const std::string header = header_line();
    Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd) throw_storage_error(path, "cannot create the journal", errno);
    crash_point();
    crash_point([&] { (void)!::write(fd.get(), header.data(), header.size() / 2); });
    write_or_fail(fd.get(), header, path, "cannot write the journal header");
    if (::fsync(fd.get()) != 0) throw_storage_error(path, "fsync of the journal", errno);
    fd.reset();
    sync_directory(path);
}

}  // namespace

std::string frame_record(const std::string& payload) {
    return fmt::format("R {} {:08x} {}\n", payload.size(), crc32(payload), payload);
}

JournalScan scan_journal(std::string_view content, const fs::path& path,
                         const std::function<void(nlohmann::json&&, std::size_t)>& take) {
    JournalScan scan;
    // A header cut short, by this version or an older one: nothing was ever recorded.
    for (int v = oldest_journal_format_version; v <= journal_format_version; ++v) {
        const std::string header = fmt::format("{}{}\n", magic, v);
        if (content.size() < header.size() && std::string_view(header).starts_with(content)) {
            scan.header_torn = true;
            return scan;
        }
    }
    if (!content.starts_with(magic)) {
        refuse(path, "byte 0: not a deployphase journal (no \"deployphase-journal\" header)");
    }
    std::size_t newline = content.find('\n');
    std::string_view version = content.substr(magic.size(), newline - magic.size());
    bool known = false;
    for (int v = oldest_journal_format_version; v <= journal_format_version; ++v)
        known = known || version == std::to_string(v);
    if (newline == std::string_view::npos || !known) {
        refuse(path,
               fmt::format("byte 0: journal format version \"{}\" is not one this deployphase "
                           "reads (versions {} to {}); use the deployphase that wrote it",
                           version, oldest_journal_format_version, journal_format_version));
    }

    std::size_t offset = newline + 1;
    while (offset < content.size()) {
        std::size_t end = 0;
        auto payload = read_frame(content, offset, end);
        nlohmann::json record;
        if (payload && json_nests_deeper_than(*payload, max_record_depth)) {
            refuse(path, fmt::format("record {} at byte {}: nested more than {} levels deep; "
                                     "deployphase never writes such a record",
                                     scan.offsets.size() + 1, offset, max_record_depth));
        }
        if (payload) {
            record = nlohmann::json::parse(*payload, nullptr, false);
            if (record.is_discarded() || !record.is_object()) payload.reset();
        }
        if (!payload) {
            if (intact_record_after(content, offset)) {
                refuse(path, fmt::format("damaged record at byte {} with intact records after it; "
                                         "refusing to guess (the file is left as it is)",
                                         offset));
            }
            scan.torn_at = offset;
            break;
        }
        std::size_t expected = scan.offsets.size() + 1;
        if (!record.contains("seq") || record["seq"] != expected) {
            refuse(path,
                   fmt::format("record at byte {} has sequence {}, expected {}", offset,
                               record.contains("seq") ? record["seq"].dump() : "none", expected));
        }
        scan.offsets.push_back(offset);
        if (take) {
            take(std::move(record), offset);
        } else {
            scan.records.push_back(std::move(record));
        }
        offset = end;
    }
    return scan;
}

JournalFile::JournalFile(fs::path path, Fd fd)
    : m_path(std::move(path)), m_name(m_path.string()), m_fd(std::move(fd)) {}

JournalFile::~JournalFile() = default;

OpenedLog JournalFile::open(const fs::path& path, bool create, const RecordSink& take) {
    OpenedLog opened;
    auto writable = [&] {
        return std::unique_ptr<RecordLog>(new JournalFile(path, open_for_append(path)));
    };
    if (!fs::exists(fs::symlink_status(path))) {
        if (!create) refuse(path, "no journal here");
        create_journal(path);
        opened.log = writable();
        return opened;
    }

    std::string content = read_journal(path);
    JournalScan scan = scan_journal(content, path, [&](nlohmann::json&& record, std::size_t at) {
        take(std::move(record), fmt::format("byte {}", at));
    });
    if (scan.header_torn) {
        // A crash while the header was being written: nothing was ever recorded.
        if (!create) return opened;
        if (!content.empty()) opened.torn = cut_torn_tail(path, content, 0);
        opened.log = writable();
        const std::string header = header_line();
        auto& file = static_cast<JournalFile&>(*opened.log);
        write_or_fail(file.m_fd.get(), header, path, "cannot write the journal header");
        if (::fsync(file.m_fd.get()) != 0) throw_storage_error(path, "fsync of the journal", errno);
        return opened;
    }
    opened.records = scan.offsets.size();
    if (!create) return opened;
    if (scan.torn_at) opened.torn = cut_torn_tail(path, content, *scan.torn_at);
    opened.log = writable();
    return opened;
}

void JournalFile::append(const std::vector<std::string>& payloads, std::size_t) {
    std::string frames;
    for (const std::string& payload : payloads)
        frames += frame_record(payload);
    if (!m_size) {  // once: later appends know where they start
        struct stat now {};
        if (::fstat(m_fd.get(), &now) != 0)
            throw_storage_error(m_path, "cannot append to the journal", errno);
        m_size = static_cast<std::size_t>(now.st_size);
    }
    const std::size_t before = *m_size;
    // Whether the records reached the disk is unknown until fdatasync returns, so on a failure
    // they must not count as written: they are cut off again (best effort; if this fails too,
    // the next open drops a torn tail unless the records were complete). The caller stops
    // either way.
    Defer cut_back([&] { (void)!::ftruncate(m_fd.get(), static_cast<off_t>(before)); });
    crash_point();
    crash_point([&] { (void)!::write(m_fd.get(), frames.data(), frames.size() / 2); });
    write_or_fail(m_fd.get(), frames, m_path, "cannot append to the journal");
    crash_point();
    if (::fdatasync(m_fd.get()) != 0)
        throw_storage_error(m_path, "fdatasync of the journal", errno);
    cut_back.cancel();
    m_size = before + frames.size();
    crash_point();
}

}  // namespace deployphase::state
