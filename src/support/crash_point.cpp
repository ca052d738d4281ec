#include <deployphase/support/crash_point.hpp>

namespace deployphase {

// The shipped binary has no crash points: this empty definition is weak, and only the test
// build's deployphase-crashable links the real one (tests/crash/crash_points.cpp), which
// replaces it. An environment variable must not be able to kill a production run.
[[gnu::weak]] void crash_point(const std::function<void()>& /*last_act*/) {}

}  // namespace deployphase
