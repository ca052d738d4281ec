#pragma once
// Who a record names: the operating-system user running this process, on this host.

#include <nlohmann/json.hpp>

namespace deployphase::run {

// {"user", "uid", "host"}, as run_started, step_confirmed and rollback_begun record it.
nlohmann::json who_runs_this();

}  // namespace deployphase::run
