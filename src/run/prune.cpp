#include <deployphase/run/prune.hpp>

#include <ctime>

#include <algorithm>
#include <cstdio>
#include <set>

#include <deployphase/run/runner.hpp>
#include <deployphase/run/step_log.hpp>

namespace deployphase::run {
namespace {

using Clock = std::chrono::system_clock;

// "2026-11-29T10:59:41.522Z", or a run id's "20261129T105941Z": when, to the second.
std::optional<Clock::time_point> parse_time(const std::string& text) {
    std::tm parts{};
    int matched =
        text.size() >= 19 && text[4] == '-'
            ? std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &parts.tm_year, &parts.tm_mon,
                          &parts.tm_mday, &parts.tm_hour, &parts.tm_min, &parts.tm_sec)
            : std::sscanf(text.c_str(), "%4d%2d%2dT%2d%2d%2d", &parts.tm_year, &parts.tm_mon,
                          &parts.tm_mday, &parts.tm_hour, &parts.tm_min, &parts.tm_sec);
    if (matched != 6) return std::nullopt;
    parts.tm_year -= 1900;
    parts.tm_mon -= 1;
    return Clock::from_time_t(::timegm(&parts));
}

std::optional<Clock::time_point> time_of(const state::RunState& run) {
    if (!run.finished_at.empty()) return parse_time(run.finished_at);
    if (!run.started_at.empty()) return parse_time(run.started_at);
    return parse_time(run.run_id);
}

}  // namespace

PrunePlan plan_prune(state::StateStore& store, const PruneRule& rule, Clock::time_point now) {
    std::optional<state::RunState> current = read_run(store);
    PrunePlan plan;
    std::vector<state::RunState> runs = run_history(store, 0);
    for (std::size_t i = 0; i < runs.size(); ++i) {
        state::RunState& run = runs[i];
        bool is_current = current && current->run_id == run.run_id;
        bool old = false;
        if (rule.keep) old = i >= *rule.keep;
        if (rule.older_than) {
            std::optional<Clock::time_point> at = time_of(run);
            old = at && now - *at > *rule.older_than;
        }
        // The live deployment, and a run that never ended, are not history to throw away.
        if (old && !is_current && run.finished) {
            plan.doomed.push_back(std::move(run));
        } else {
            ++plan.kept;
        }
    }
    return plan;
}

void prune(state::StateStore& store, const std::filesystem::path& state_dir,
           const PrunePlan& plan) {
    if (plan.doomed.empty()) return;
    std::unique_ptr<state::StoreLock> lock = store.lock();
    std::set<std::string> gone;
    for (const state::RunState& run : plan.doomed) {
        store.delete_archived(run.run_id);
        gone.insert(run.run_id);
    }
    drop_log_sections(state_dir, gone);
}

}  // namespace deployphase::run
