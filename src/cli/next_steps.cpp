#include "next_steps.hpp"

#include <cstdlib>

#include <fmt/format.h>

#include <deployphase/run/step_log.hpp>
#include <deployphase/state/postgres_store.hpp>
#include <deployphase/support/shell_words.hpp>

namespace deployphase::cli {
namespace {

using state::RunStatus;
using state::StepStatus;

// Whether `value` came from `variable` rather than the command line.
bool from_environment(const char* variable, const std::string& value) {
    const char* set = std::getenv(variable);
    return set != nullptr && value == set;
}

const state::StepState* first_with(const state::RunState& run, StepStatus status) {
    for (const state::StepState& step : run.steps)
        if (step.status == status) return &step;
    return nullptr;
}

}  // namespace

std::string state_arguments(const StateFlags& state) {
    std::string out;
    if (state.dir != ".deployphase") out += " --state-dir " + shell_word(state.dir);
    if (!state.url.empty() && !from_environment("DEPLOYPHASE_STATE_URL", state.url))
        out += " --state-url " + shell_word(state::mask_url_password(state.url));
    if (!state.key.empty() && !from_environment("DEPLOYPHASE_STATE_KEY", state.key))
        out += " --state-key " + shell_word(state.key);
    if (!state.schema.empty() && !from_environment("DEPLOYPHASE_STATE_SCHEMA", state.schema))
        out += " --state-schema " + shell_word(state.schema);
    return out;
}

std::string next_steps(const state::RunState& run, const phase::Phase& phase,
                       const StateFlags& state) {
    const std::string where = state_arguments(state);
    switch (run.status) {
        case RunStatus::failed: {
            std::string out;
            if (const state::StepState* failed = first_with(run, StepStatus::failed)) {
                std::string kind = run.rollback_begun ? "rollback" : "step";
                out += fmt::format(
                    "The log of {}: {}\n", failed->id,
                    run::step_log_file(state.dir, failed->index, failed->id, kind).string());
            }
            if (run.rollback_begun) {
                return out + fmt::format(
                                 "Next: fix what the rollback needs, then `deployphase "
                                 "rollback{}` goes on where it stopped.\n",
                                 where);
            }
            return out + fmt::format(
                             "Next: fix the cause, then `deployphase resume{}`; or undo "
                             "what ran with `deployphase rollback{}`.\n",
                             where, where);
        }
        case RunStatus::interrupted:
            return fmt::format("Next: `deployphase {}{}` continues{}.\n",
                               run.rollback_begun ? "rollback" : "resume", where,
                               run.rollback_begun
                                   ? " the rollback"
                                   : " (a step cut off runs again; --interrupted=done or =fail "
                                     "says otherwise)");
        case RunStatus::awaiting_confirmation: {
            const state::StepState* waiting = first_with(run, StepStatus::awaiting_confirmation);
            if (!waiting) return "";
            const phase::Step& step = phase.steps[waiting->index - 1];
            if (waiting->four_eyes) {
                std::string starter =
                    run.started_by.is_object() ? run.started_by.value("user", "") : "";
                return fmt::format(
                    "Next: step {} ({}) needs four eyes: once it is done, a user other than {} "
                    "confirms it with `deployphase confirm {}{}`, then `deployphase resume{}`.\n",
                    step.index, step.id, starter.empty() ? "the one who started the run" : starter,
                    shell_word(step.id), where, where);
            }
            return fmt::format(
                "Next: once step {} ({}) is done, `deployphase confirm {}{}`, then "
                "`deployphase resume{}`; or both at once: `deployphase resume "
                "--yes{}`.\n",
                step.index, step.id, shell_word(step.id), where, where, where);
        }
        default:
            return "";
    }
}

}  // namespace deployphase::cli
