#pragma once
// The version of deployphase, as a run records it.

#include <string_view>

namespace deployphase {

std::string_view deployphase_version();

}  // namespace deployphase
