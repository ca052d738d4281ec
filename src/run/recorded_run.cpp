#include <deployphase/run/recorded_run.hpp>
#include <deployphase/support/errors.hpp>

#include <fmt/format.h>

namespace deployphase::run {

std::optional<RecordedRun> open_recorded_run_if_any(state::StateStore& store) {
    if (!store.has_current()) return std::nullopt;
    std::unique_ptr<state::StoreLock> lock = store.lock();
    // Archived meanwhile, or empty: a crash before the first record.
    std::optional<state::Journal> journal = state::Journal::open_run(store, true);
    if (!journal || journal->size() == 0) return std::nullopt;
    state::RunState state = journal->state();
    return RecordedRun{std::move(lock), std::move(*journal), std::move(state)};
}

std::optional<RecordedRun> peek_recorded_run(state::StateStore& store) {
    if (std::optional<LockHolder> holder = store.lock_holder())
        throw LockHeld(store.name(), *holder, "that runner ends");
    std::optional<state::Journal> journal = state::Journal::open_run(store, false);
    if (!journal || journal->size() == 0) return std::nullopt;
    state::RunState state = journal->state();
    return RecordedRun{nullptr, std::move(*journal), std::move(state)};
}

RecordedRun open_recorded_run(state::StateStore& store, std::string_view purpose) {
    std::optional<RecordedRun> run = open_recorded_run_if_any(store);
    if (!run) throw StateError(store.name(), fmt::format("no run to {}", purpose));
    return std::move(*run);
}

void require_same_phase(const phase::LoadedPhase& phase, const state::RunState& run,
                        bool allow_changed) {
    if (run.phase_sha256 == phase.sha256()) return;
    if (!allow_changed) {
        throw StateError(
            phase.phase.source_path,
            fmt::format("the phase file changed since run {} began; pass --allow-changed to "
                        "continue with the new version",
                        run.run_id));
    }
    const auto& steps = phase.phase.steps;
    for (std::size_t i = 0; i < std::max(steps.size(), run.steps.size()); ++i) {
        if (i < steps.size() && i < run.steps.size() && steps[i].id == run.steps[i].id) continue;
        throw StateError(
            phase.phase.source_path,
            fmt::format(
                "the phase's steps changed since run {} began (step {} was {}, is now "
                "{}); --allow-changed accepts edited scripts and guards, not a different list of "
                "steps",
                run.run_id, i + 1, i < run.steps.size() ? "\"" + run.steps[i].id + "\"" : "absent",
                i < steps.size() ? "\"" + steps[i].id + "\"" : "absent"));
    }
}

std::vector<std::string> secret_names(const state::RunState& run,
                                      const std::vector<std::string>& given) {
    std::vector<std::string> names = run.secret_keys;
    names.insert(names.end(), given.begin(), given.end());
    return names;
}

}  // namespace deployphase::run
