#pragma once
// A run as JUnit XML, for CI systems that show test reports.

#include <filesystem>
#include <string>

#include <deployphase/phase/model.hpp>
#include <deployphase/state/run_state.hpp>

namespace deployphase::report {

// A testsuite for the phase, a testcase per step (`INDEX ID`); skipped and not-reached steps
// are <skipped/>, failed and interrupted ones <failure/>; the step's log (from `state_dir`)
// in <system-out>.
std::string junit_xml(const phase::Phase& phase, const state::RunState& run,
                      const std::filesystem::path& state_dir);

}  // namespace deployphase::report
