#pragma once

#include <string>
#include <string_view>

namespace deployphase {

// SHA-256 as 64 lower-case hex digits, the form `sha256sum` prints.
std::string sha256_hex(std::string_view bytes);

}  // namespace deployphase
