#include <deployphase/state/store.hpp>

#include <fmt/format.h>

#include <deployphase/state/directory_store.hpp>
#include <deployphase/state/postgres_store.hpp>
#include <deployphase/support/errors.hpp>

#include "state/pg_schema.hpp"

namespace deployphase::state {

std::shared_ptr<StateStore> make_store(const StoreOptions& options) {
    if (options.url.empty()) {
        if (!options.key.empty()) {
            throw InputError(Diagnostic::error(
                {"--state-key", 0, 0},
                "a state key names a slot in a shared store; give --state-url too"));
        }
        return std::make_shared<DirectoryStore>(options.state_dir);
    }
    return std::make_shared<PostgresStore>(
        options.url, options.schema.empty() ? default_postgres_schema : options.schema, options.key,
        options.state_dir);
}

}  // namespace deployphase::state
