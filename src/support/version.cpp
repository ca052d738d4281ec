#include <deployphase/support/version.hpp>

#include "deployphase_version.hpp"

namespace deployphase {

std::string_view deployphase_version() {
    return DEPLOYPHASE_VERSION;
}

}  // namespace deployphase
