#pragma once

#include <cstdint>
#include <string_view>

namespace deployphase {

// CRC-32 (IEEE 802.3, as zlib and PNG compute it): detects torn or damaged journal records.
std::uint32_t crc32(std::string_view bytes);

}  // namespace deployphase
