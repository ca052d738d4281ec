#pragma once

#include <string>

#include <deployphase/plan/plan.hpp>

#include "cli/terminal.hpp"

namespace deployphase::cli {

// The plan for a person: the decision, the calls that produced it, then one line per step.
std::string render_plan_text(const plan::Plan& plan, const Style& style);

}  // namespace deployphase::cli
