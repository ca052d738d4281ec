#include <deployphase/report/report.hpp>
#include <deployphase/report/run_text.hpp>

#include <fmt/format.h>

namespace deployphase::report {
namespace {

using nlohmann::ordered_json;

std::vector<std::string> criteria(const phase::Phase& phase) {
    const phase::Section* section = phase.find_section(phase::SectionKind::success_criteria);
    return section ? section->items : std::vector<std::string>{};
}

std::int64_t total_ms(const state::RunState& run) {
    std::int64_t total = 0;
    for (const state::StepState& step : run.steps)
        total += step.duration_ms;
    return total;
}

std::string description(const phase::Phase& phase, std::size_t index) {
    return index <= phase.steps.size() ? phase.steps[index - 1].description : "";
}

// Markdown table cells: no line breaks, pipes escaped.
std::string cell(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '|') {
            out += "\\|";
        } else if (c == '\n' || c == '\r') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

ordered_json report_json(const phase::Phase& phase, const std::string& phase_sha256,
                         const state::RunState& run) {
    ordered_json steps = ordered_json::array();
    for (const state::StepState& step : run.steps) {
        steps.push_back(
            {{"index", step.index},
             {"id", step.id},
             {"description", description(phase, step.index)},
             {"status", state::step_status_name(step.status)},
             {"attempts", step.attempts},
             {"exit_code", step.exit_code ? ordered_json(*step.exit_code) : ordered_json()},
             {"duration_ms", step.duration_ms},
             {"reason", step.reason},
             {"started_at", recorded_time(step.started_at)},
             {"finished_at", recorded_time(step.finished_at)},
             {"confirmed_by", step.confirmed_by},
             {"outputs", step.outputs}});
    }
    ordered_json checklist = ordered_json::array();
    for (const std::string& criterion : criteria(phase))
        checklist.push_back({{"criterion", criterion}, {"checked", false}});
    return {{"run_id", run.run_id},
            {"phase", run.phase},
            {"state", state::run_status_name(run.status)},
            {"reason", run.reason},
            {"finished", run.finished},
            {"phase_file", run.phase_file},
            {"phase_sha256", run.phase_sha256},
            {"phase_changed", run.phase_sha256 != phase_sha256},
            {"started_at", recorded_time(run.started_at)},
            {"finished_at", recorded_time(run.finished_at)},
            {"started_by", run.started_by},
            {"rollback_by", run.rollback_by},
            {"duration_ms", total_ms(run)},
            {"steps", std::move(steps)},
            {"success_criteria", std::move(checklist)},
            {"outputs", run.outputs}};
}

std::string report_markdown(const phase::Phase& phase, const std::string& phase_sha256,
                            const state::RunState& run) {
    std::string out = fmt::format("# Post-deployment report: {}\n\n", run.phase);
    out += fmt::format("- Run: `{}`\n- State: **{}**{}\n", run.run_id,
                       state::run_status_name(run.status),
                       run.reason.empty() ? "" : " (" + run.reason + ")");
    if (!run.started_at.empty()) {
        std::string who = describe_who(run.started_by);
        out += fmt::format("- Started: {}{}{}\n", run.started_at, who.empty() ? "" : " by " + who,
                           run.finished_at.empty() ? "" : ", ended " + run.finished_at);
    }
    if (std::string who = describe_who(run.rollback_by); !who.empty())
        out += fmt::format("- Rollback asked for by: {}\n", who);
    out += fmt::format("- Phase file: `{}` (SHA-256 `{}`)\n", run.phase_file, run.phase_sha256);
    if (run.phase_sha256 != phase_sha256) {
        out +=
            "- Note: the phase file changed since this run began; the criteria below are "
            "from its current version\n";
    }
    out += fmt::format("- Time in steps: {:.1f}s\n\n", static_cast<double>(total_ms(run)) / 1000);

    out +=
        "## Steps\n\n| # | step | status | attempts | duration | exit | reason |\n"
        "|---|---|---|---|---|---|---|\n";
    for (const state::StepState& step : run.steps) {
        out +=
            fmt::format("| {} | {} | {} | {} | {:.1f}s | {} | {} |\n", step.index, cell(step.id),
                        state::step_status_name(step.status), step.attempts,
                        static_cast<double>(step.duration_ms) / 1000,
                        step.exit_code ? std::to_string(*step.exit_code) : "", cell(step.reason));
    }
    std::string outputs;
    for (const state::StepState& step : run.steps) {
        if (!step.outputs.is_object() || step.outputs.empty()) continue;
        outputs += fmt::format("- **{}**:", step.id);
        for (const auto& [key, value] : step.outputs.items())
            outputs += fmt::format(" `{}={}`", key,
                                   value.is_string() ? value.get<std::string>() : value.dump());
        outputs += "\n";
    }
    if (!outputs.empty()) out += "\n## Outputs\n\n" + outputs;

    std::vector<std::string> items = criteria(phase);
    out += "\n## Success criteria\n\n";
    if (items.empty()) {
        out += "The phase lists no success criteria.\n";
    } else {
        out += "For the operator to confirm against the steps above:\n\n";
        for (const std::string& item : items)
            out += "- [ ] " + item + "\n";
    }
    return out;
}

}  // namespace deployphase::report
