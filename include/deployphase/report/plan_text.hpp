#pragma once

#include <string>

#include <deployphase/plan/plan.hpp>
#include <deployphase/report/style.hpp>

namespace deployphase::report {

// The plan for a person: the decision, the calls that produced it, then one line per step.
std::string render_plan_text(const plan::Plan& plan, const Style& style);

}  // namespace deployphase::report
