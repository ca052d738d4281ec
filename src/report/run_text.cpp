#include <deployphase/report/run_text.hpp>

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace deployphase::report {

using nlohmann::ordered_json;
using state::RunState;
using state::StepState;

std::string render_run_line(const RunState& run) {
    return fmt::format("Run {} of \"{}\": {}{}\n", run.run_id, run.phase,
                       state::run_status_name(run.status),
                       run.reason.empty() ? "" : " (" + run.reason + ")");
}

std::string describe_who(const nlohmann::json& who) {
    if (!who.is_object()) return "";
    std::string user = who.value("user", "");
    std::string host = who.value("host", "");
    return host.empty() ? user : user + "@" + host;
}

std::string render_started_line(const RunState& run) {
    if (run.started_at.empty()) return "";  // a journal of format 1 kept no times
    std::string out = fmt::format("  started {}", run.started_at);
    if (std::string who = describe_who(run.started_by); !who.empty()) out += " by " + who;
    if (!run.deployphase_version.empty()) out += ", deployphase " + run.deployphase_version;
    if (!run.finished_at.empty()) out += "; ended " + run.finished_at;
    if (std::string who = describe_who(run.rollback_by); !who.empty())
        out += "; rollback asked for by " + who;
    return out + "\n";
}

std::string render_run_state(const RunState& run) {
    std::string out = render_run_line(run) + render_started_line(run);
    if (run.status == state::RunStatus::skipped || run.status == state::RunStatus::blocked) {
        out += fmt::format("  no step ran: all {} were skipped with the phase\n", run.steps.size());
        return out;
    }
    std::size_t width = 0;
    for (const StepState& step : run.steps)
        width = std::max(width, step.id.size());
    for (const StepState& step : run.steps) {
        std::string detail;
        if (step.attempts > 0) {
            detail =
                fmt::format("{} attempt{}  {:.1f}s", step.attempts, step.attempts == 1 ? "" : "s",
                            static_cast<double>(step.duration_ms) / 1000.0);
        }
        // "interrupted" says nothing the status does not.
        std::string_view status = state::step_status_name(step.status);
        if (!step.reason.empty() && step.reason != status)
            detail += (detail.empty() ? "" : "  ") + step.reason;
        if (std::string who = describe_who(step.confirmed_by); !who.empty()) {
            detail += (detail.empty() ? "" : "  ") + fmt::format("confirmed by {}", who);
            if (!step.confirm_reason.empty()) detail += ": " + step.confirm_reason;
        }
        std::string line = fmt::format("  {}/{}  {:<{}}  {:<21}  {}", step.index, run.steps.size(),
                                       step.id, width, status, detail);
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out += line + "\n";
    }
    return out;
}

std::string render_rollback_plan(const RunState& run, const phase::Phase& phase,
                                 const run::RollbackPlan& plan) {
    std::string out;
    if (plan.order.empty()) {
        out = fmt::format("Run {} of \"{}\" has no rollback script to run; nothing was changed.\n",
                          run.run_id, run.phase);
    } else {
        out = fmt::format("Rolling back run {} of \"{}\" would run, in this order:\n", run.run_id,
                          run.phase);
    }
    std::size_t width = 0;
    for (const StepState& step : run.steps)
        width = std::max(width, step.id.size());
    for (std::size_t index : plan.order) {
        const StepState& step = run.steps[index - 1];
        out += fmt::format("  {}/{}  {:<{}}  rollback of a step that {}\n", index, run.steps.size(),
                           step.id, width,
                           step.status == state::StepStatus::succeeded
                               ? "succeeded"
                               : fmt::format("is {}", state::step_status_name(step.status)));
    }
    for (std::size_t index : plan.without_script) {
        out += fmt::format("  {}/{}  {:<{}}  succeeded, has no rollback script: left as it is\n",
                           index, run.steps.size(), phase.steps[index - 1].id, width);
    }
    return out;
}

std::string render_context_drift(const plan::ContextDrift& drift) {
    if (drift.changed_keys.empty()) return "Context unchanged.\n";
    std::string out = fmt::format("Context changed: {}\n", fmt::join(drift.changed_keys, ", "));
    if (drift.guard_changes.empty()) return out + "  no pending step's guard decision changed\n";
    for (const plan::GuardChange& change : drift.guard_changes) {
        out += fmt::format("  step {} {}: {} before, {} now ({})\n", change.after.index,
                           change.after.id, change.before.will_run ? "runs" : "skipped",
                           change.after.will_run ? "runs" : "skipped", change.after.reason);
    }
    return out;
}

ordered_json recorded_time(const std::string& at) {
    return at.empty() ? ordered_json() : ordered_json(at);
}

ordered_json status_json(const RunState& run) {
    ordered_json steps = ordered_json::array();
    for (const StepState& s : run.steps) {
        ordered_json step = {
            {"index", s.index},
            {"id", s.id},
            {"status", state::step_status_name(s.status)},
            {"attempts", s.attempts},
            {"exit_code", s.exit_code ? ordered_json(*s.exit_code) : ordered_json()},
            {"duration_ms", s.duration_ms},
            {"reason", s.reason},
            {"started_at", recorded_time(s.started_at)},
            {"finished_at", recorded_time(s.finished_at)}};
        if (!s.confirmed_by.is_null()) {
            step["confirmed_by"] = s.confirmed_by;
            step["confirmed_at"] = recorded_time(s.confirmed_at);
            step["confirm_reason"] = s.confirm_reason;
        }
        steps.push_back(std::move(step));
    }
    return {
        {"run_id", run.run_id},
        {"phase", run.phase},
        {"state", state::run_status_name(run.status)},
        {"reason", run.reason},
        {"started_at", recorded_time(run.started_at)},
        {"finished_at", recorded_time(run.finished_at)},
        {"started_by", run.started_by},
        {"deployphase_version",
         run.deployphase_version.empty() ? ordered_json() : ordered_json(run.deployphase_version)},
        {"phase_file", run.phase_file},
        {"phase_sha256", run.phase_sha256},
        {"context_sha256",
         run.context_sha256.empty() ? ordered_json() : ordered_json(run.context_sha256)},
        {"rollback_by", run.rollback_by},
        {"steps", std::move(steps)}};
}

ordered_json status_document(const RunState& run, const RunState* later) {
    ordered_json out = status_json(run);
    out["finished"] = run.finished;
    if (later) {
        out["later_run"] = {{"run_id", later->run_id},
                            {"state", state::run_status_name(later->status)},
                            {"reason", later->reason}};
    }
    return out;
}

std::string render_later_run(const RunState& later) {
    return fmt::format(
        "Later, run {} was {}{}; it changed nothing, so the run above is still the "
        "last that did.\n",
        later.run_id, state::run_status_name(later.status),
        later.reason.empty() ? "" : " (" + later.reason + ")");
}

}  // namespace deployphase::report
