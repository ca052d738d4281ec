#include "run/identity.hpp"

#include "support/system.hpp"

namespace deployphase::run {

nlohmann::json who_runs_this() {
    Identity who = current_identity();
    return {{"user", who.user}, {"uid", who.uid}, {"host", who.host}};
}

}  // namespace deployphase::run
