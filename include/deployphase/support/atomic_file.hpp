#pragma once

#include <string>
#include <string_view>

namespace deployphase {

// Replaces `path` with `content` so that a reader, or a crash, sees the old file or the new
// one and never a part: a temporary file beside it, written and fsynced, renamed over it,
// then the directory fsynced. On any failure the temporary file is removed and StorageError
// names the path and the reason; a failed fsync is reported, never retried. The file gets
// `mode` less the umask (state files pass 0600: they may hold secrets from the context).
void write_file_atomically(const std::string& path, std::string_view content, unsigned mode = 0666);

}  // namespace deployphase
