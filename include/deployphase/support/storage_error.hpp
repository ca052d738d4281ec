#pragma once

#include <filesystem>
#include <stdexcept>
#include <string_view>

namespace deployphase {

// A file could not be written, synced, renamed or created: the disk is full, the device
// failed, a permission is missing. The message is `FILE: error: WHAT: REASON`. Nothing is
// retried (after a failed fsync what reached the disk is unknown); the command stops and
// exits 6 (docs/cli.md).
class StorageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

[[noreturn]] void throw_storage_error(const std::filesystem::path& file, std::string_view what,
                                      int error);

}  // namespace deployphase
