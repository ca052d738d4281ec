#include <deployphase/report/history.hpp>

#include <ctime>

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include <deployphase/report/run_text.hpp>

namespace deployphase::report {
namespace {

using nlohmann::ordered_json;
using state::StepStatus;

// "2026-11-29T10:59:41.522Z" -> milliseconds since the epoch.
std::optional<std::int64_t> epoch_millis(const std::string& at) {
    std::tm parts{};
    int millis = 0;
    char zone = 0;
    if (at.size() != 24 ||
        std::sscanf(at.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &parts.tm_year, &parts.tm_mon,
                    &parts.tm_mday, &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &millis,
                    &zone) != 8 ||
        zone != 'Z')
        return std::nullopt;
    parts.tm_year -= 1900;
    parts.tm_mon -= 1;
    return static_cast<std::int64_t>(::timegm(&parts)) * 1000 + millis;
}

std::string duration_text(std::optional<std::int64_t> ms) {
    if (!ms) return "";
    if (*ms < 60'000) return fmt::format("{:.1f}s", static_cast<double>(*ms) / 1000);
    if (*ms < 3'600'000) return fmt::format("{}m{:02}s", *ms / 60'000, *ms / 1000 % 60);
    return fmt::format("{}h{:02}m", *ms / 3'600'000, *ms / 60'000 % 60);
}

// To the second: a table cell, not a record.
std::string short_time(const std::string& at) {
    return at.size() >= 19 ? at.substr(0, 19) + "Z" : "";
}

}  // namespace

StepCounts count_steps(const state::RunState& run) {
    StepCounts counts;
    for (const state::StepState& step : run.steps) {
        switch (step.status) {
            case StepStatus::succeeded:
            case StepStatus::interrupted:
            case StepStatus::rolled_back:
            case StepStatus::running:
                ++counts.ran;
                break;
            case StepStatus::failed:
                ++counts.ran;
                ++counts.failed;
                break;
            case StepStatus::skipped:
            case StepStatus::satisfied:
                ++counts.skipped;
                break;
            case StepStatus::pending:
            case StepStatus::awaiting_confirmation:
                break;
        }
    }
    return counts;
}

std::optional<std::int64_t> milliseconds_between(const std::string& from, const std::string& to) {
    std::optional<std::int64_t> start = epoch_millis(from);
    std::optional<std::int64_t> end = epoch_millis(to);
    if (!start || !end) return std::nullopt;
    return *end - *start;
}

ordered_json history_json(const std::vector<state::RunState>& runs, const ExitCodeOf& exit_code) {
    ordered_json list = ordered_json::array();
    for (const state::RunState& run : runs) {
        StepCounts counts = count_steps(run);
        std::optional<std::int64_t> duration =
            milliseconds_between(run.started_at, run.finished_at);
        list.push_back(
            {{"run_id", run.run_id},
             {"phase", run.phase},
             {"state", state::run_status_name(run.status)},
             {"reason", run.reason},
             {"started_at", recorded_time(run.started_at)},
             {"finished_at", run.finished ? recorded_time(run.finished_at) : ordered_json()},
             {"duration_ms", duration && run.finished ? ordered_json(*duration) : ordered_json()},
             {"started_by", run.started_by},
             {"exit_code", exit_code(run)},
             {"steps",
              {{"total", run.steps.size()},
               {"ran", counts.ran},
               {"skipped", counts.skipped},
               {"failed", counts.failed}}}});
    }
    return {{"runs", std::move(list)}};
}

std::string render_history_text(const std::vector<state::RunState>& runs,
                                const ExitCodeOf& exit_code) {
    if (runs.empty()) return "No runs recorded here.\n";
    std::vector<std::vector<std::string>> rows;
    rows.push_back(
        {"RUN", "PHASE", "STATE", "STARTED (UTC)", "TOOK", "BY", "EXIT", "RAN/SKIPPED/FAILED"});
    for (const state::RunState& run : runs) {
        StepCounts counts = count_steps(run);
        std::optional<std::int64_t> duration =
            run.finished ? milliseconds_between(run.started_at, run.finished_at) : std::nullopt;
        std::string started = short_time(run.started_at);
        rows.push_back({run.run_id, run.phase, std::string(state::run_status_name(run.status)),
                        started.empty() ? "-" : started, duration ? duration_text(duration) : "-",
                        run.started_by.is_object() ? describe_who(run.started_by) : "-",
                        std::to_string(exit_code(run)),
                        fmt::format("{}/{}/{}", counts.ran, counts.skipped, counts.failed)});
    }
    std::vector<std::size_t> width(rows.front().size(), 0);
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i)
            width[i] = std::max(width[i], row[i].size());
    }
    std::string out;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i)
            line += fmt::format("{:<{}}  ", row[i], width[i]);
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out += line + "\n";
    }
    return out;
}

}  // namespace deployphase::report
