#include "closed_output.hpp"

#include <unistd.h>

#include <cerrno>
#include <csignal>

namespace deployphase::cli {
namespace {

struct Output {
    int fd;
    bool closed = false;  // the reader has gone: what follows is dropped
};

Output standard_output{STDOUT_FILENO};
Output standard_error{STDERR_FILENO};

ssize_t write_or_drop(void* cookie, const char* data, std::size_t size) {
    auto* out = static_cast<Output*>(cookie);
    std::size_t done = 0;
    while (!out->closed && done < size) {
        ssize_t n = ::write(out->fd, data + done, size - done);
        if (n >= 0) {
            done += static_cast<std::size_t>(n);
        } else if (errno == EPIPE) {
            out->closed = true;
        } else if (errno != EINTR) {
            return done > 0 ? static_cast<ssize_t>(done) : -1;
        }
    }
    return static_cast<ssize_t>(size);
}

// The same buffering as the stream it replaces: stderr unbuffered, stdout by line on a
// terminal and by block elsewhere.
std::FILE* guarded(Output& out, int buffering) {
    cookie_io_functions_t functions{};
    functions.write = write_or_drop;
    std::FILE* stream = ::fopencookie(&out, "w", functions);
    if (stream) std::setvbuf(stream, nullptr, buffering, buffering == _IONBF ? 0 : BUFSIZ);
    return stream;
}

}  // namespace

void keep_running_when_output_closes() {
    std::signal(SIGPIPE, SIG_IGN);  // a step gets the default back (run/subprocess.cpp)
    std::fflush(stdout);
    if (std::FILE* out = guarded(standard_output, ::isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF))
        stdout = out;
    if (std::FILE* err = guarded(standard_error, _IONBF)) stderr = err;
}

int descriptor_of(std::FILE* stream) {
    if (stream == stdout) return STDOUT_FILENO;
    if (stream == stderr) return STDERR_FILENO;
    return ::fileno(stream);
}

}  // namespace deployphase::cli
