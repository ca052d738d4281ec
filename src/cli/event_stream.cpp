#include "event_stream.hpp"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include <deployphase/support/errors.hpp>

namespace deployphase::cli {

EventStream::EventStream(const std::string& path) : m_path(path) {
    m_file = std::fopen(path.c_str(), "w");
    if (!m_file) {
        throw InputError(Diagnostic::error(
            {path, 0, 0}, fmt::format("cannot write the event stream: {}", std::strerror(errno))));
    }
}

EventStream::~EventStream() {
    if (m_file) std::fclose(m_file);
}

void EventStream::operator()(const nlohmann::json& event) {
    if (!m_file) return;
    std::string line = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    if (std::fwrite(line.data(), 1, line.size(), m_file) != line.size() ||
        std::fflush(m_file) != 0) {
        fmt::print(stderr, "{}: warning: cannot write the event stream ({}); it stops here\n",
                   m_path, std::strerror(errno));
        std::fclose(m_file);
        m_file = nullptr;
    }
}

}  // namespace deployphase::cli
