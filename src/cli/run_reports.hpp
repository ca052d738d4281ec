#pragma once
// The reports a run leaves for CI: --events (a JSON line per event, as it happens), --junit
// (one testcase per step). The GitHub job summary is `report`'s Markdown.

#include <cstdio>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include <deployphase/phase/model.hpp>
#include <deployphase/state/run_state.hpp>

namespace deployphase::cli {

// --events FILE: one compact JSON object per line, flushed as each event is recorded. A
// failed write is reported once and ends the stream; the run's state is not affected.
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

// JUnit XML: a testsuite for the phase, a testcase per step (`INDEX ID`); skipped and
// not-reached steps are <skipped/>, failed and interrupted ones <failure/>; the step's log in
// <system-out>.
std::string junit_xml(const phase::Phase& phase, const state::RunState& run,
                      const std::filesystem::path& state_dir);

}  // namespace deployphase::cli
