#pragma once
// A deployment must not die because whoever read its output went away (`run ... | head -3`, a
// closed terminal, a CI log reader that stopped): the run goes on, recording everything in the
// state directory as always, and exits with the code it earned.

#include <cstdio>

namespace deployphase::cli {

// Ignores SIGPIPE and replaces stdout and stderr with streams that write to the same
// descriptors and, once a reader has gone (EPIPE), drop what follows instead of failing. Any
// other write error still fails as before. Call first, before anything is printed.
void keep_running_when_output_closes();

// The descriptor behind `stream` (stdout or stderr, which are no longer plain files).
int descriptor_of(std::FILE* stream);

}  // namespace deployphase::cli
