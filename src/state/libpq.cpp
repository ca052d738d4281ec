#include "state/libpq.hpp"

#include <dlfcn.h>

#include <fmt/format.h>

#include <deployphase/support/errors.hpp>

namespace deployphase::state {
namespace {

constexpr const char* library = "libpq.so.5";

[[noreturn]] void unavailable(const char* what) {
    throw StorageError(
        library,
        fmt::format("the PostgreSQL store needs libpq ({}; on Debian: apt-get install libpq5)",
                    what ? what : "unknown error"));
}

LibPq load() {
    void* handle = ::dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (!handle) unavailable(::dlerror());
    LibPq api;
#define DEPLOYPHASE_LIBPQ_LOAD(name)                                         \
    api.name = reinterpret_cast<decltype(api.name)>(::dlsym(handle, #name)); \
    if (!api.name) unavailable(::dlerror());
    DEPLOYPHASE_LIBPQ_FUNCTIONS(DEPLOYPHASE_LIBPQ_LOAD)
#undef DEPLOYPHASE_LIBPQ_LOAD
    return api;
}

}  // namespace

const LibPq& libpq() {
    static const LibPq api = load();  // a throw leaves it unset: the next call tries again
    return api;
}

}  // namespace deployphase::state
