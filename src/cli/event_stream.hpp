#pragma once
// --events FILE: one compact JSON object per line, flushed as each event is recorded.

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

namespace deployphase::cli {

// A failed write is reported once and ends the stream; the run's state is not affected.
class EventStream {
  public:
    explicit EventStream(const std::string& path);  // throws InputError when it cannot open
    EventStream(const EventStream&) = delete;
    EventStream& operator=(const EventStream&) = delete;
    ~EventStream();

    void operator()(const nlohmann::json& event);

  private:
    std::string m_path;
    std::FILE* m_file = nullptr;
};

}  // namespace deployphase::cli
