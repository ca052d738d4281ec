#include <deployphase/support/storage_error.hpp>

#include <cstring>

#include <fmt/format.h>

namespace deployphase {

void throw_storage_error(const std::filesystem::path& file, std::string_view what, int error) {
    throw StorageError(fmt::format("{}: error: {}: {}", file.string(), what, std::strerror(error)));
}

}  // namespace deployphase
