#include <deployphase/state/journal.hpp>

#include <chrono>

#include <fmt/format.h>

#include <deployphase/state/event_masking.hpp>
#include <deployphase/state/journal_file.hpp>
#include <deployphase/state/run_state.hpp>
#include <deployphase/support/errors.hpp>

#include "support/system.hpp"

namespace deployphase::state {

Journal::Journal(Journal&&) noexcept = default;
Journal& Journal::operator=(Journal&&) noexcept = default;
Journal::~Journal() = default;

const std::vector<nlohmann::json>& Journal::records() const {
    if (m_fold) throw std::logic_error("records() of a journal opened with open_run()");
    return m_records;
}

const RunState& Journal::state() const {
    if (!m_fold) throw std::logic_error("state() of a journal opened with open()");
    if (size() == 0) throw StateError(m_name, "the journal records no run");
    return m_fold->state();
}

Journal Journal::from(OpenedLog opened, std::string name, std::unique_ptr<Fold> fold) {
    Journal journal;
    journal.m_name = std::move(name);
    journal.m_log = std::move(opened.log);
    journal.m_size = opened.records;
    journal.m_torn = std::move(opened.torn);
    journal.m_fold = std::move(fold);
    return journal;
}

Journal Journal::open(const std::filesystem::path& path, bool create) {
    std::vector<nlohmann::json> records;
    OpenedLog opened = JournalFile::open(
        path, create,
        [&](nlohmann::json&& record, std::string_view) { records.push_back(std::move(record)); });
    Journal journal = from(std::move(opened), path.string(), nullptr);
    journal.m_records = std::move(records);
    return journal;
}

namespace {

// Folds each record read, naming it in the error when it does not fit a run.
RecordSink folding_into(Fold& fold, const std::string& name) {
    return [&fold, &name](nlohmann::json&& record, std::string_view where) {
        try {
            fold.apply(record);
        } catch (const RecordError& e) {
            throw StateError(name, fmt::format("record {} at {}: {}", e.seq(), where, e.detail()));
        }
    };
}

}  // namespace

std::optional<Journal> Journal::open_run(StateStore& store, bool writable) {
    auto fold = std::make_unique<Fold>();
    std::string name = store.current_name();
    std::optional<OpenedLog> opened = store.open_current(writable, folding_into(*fold, name));
    if (!opened) return std::nullopt;
    return from(std::move(*opened), std::move(name), std::move(fold));
}

Journal Journal::create_run(StateStore& store) {
    return from(store.create_current(), store.current_name(), std::make_unique<Fold>());
}

Journal Journal::create_archived_run(StateStore& store, const std::string& run_id) {
    OpenedLog opened = store.create_archived(run_id);
    std::string name = opened.name;
    return from(std::move(opened), std::move(name), std::make_unique<Fold>());
}

std::optional<Journal> Journal::open_archived_since_current(StateStore& store) {
    auto fold = std::make_unique<Fold>();
    std::string name = store.name() + " (history)";  // until the store names the run
    std::optional<OpenedLog> opened = store.open_archived_since_current(folding_into(*fold, name));
    if (!opened) return std::nullopt;
    name = opened->name;
    return from(std::move(*opened), std::move(name), std::move(fold));
}

// A step's event names it by id as well as by index, so a reader of one event (an event
// stream, a notifier) need not fold the run to know which step it is.
void Journal::name_step(nlohmann::json& event) const {
    if (!m_fold) return;
    auto index = event.find("index");
    if (index == event.end() || !index->is_number_unsigned() || event.contains("id")) return;
    const std::vector<StepState>& steps = m_fold->state().steps;
    std::size_t position = index->get<std::size_t>();
    if (position >= 1 && position <= steps.size()) event["id"] = steps[position - 1].id;
}

void Journal::append(nlohmann::json event) {
    std::vector<nlohmann::json> events;
    events.push_back(std::move(event));
    append_all(std::move(events));
}

void Journal::append_all(std::vector<nlohmann::json> events) {
    if (m_failed) {
        throw StorageError(m_name, "an earlier write failed; nothing more is recorded by this run");
    }
    if (!m_log) throw StateError(m_name, "journal opened read-only");
    std::vector<std::string> payloads;
    payloads.reserve(events.size());
    // One time for what is written at once: the moment it becomes durable, to the millisecond.
    std::string at = utc_millis(std::chrono::system_clock::now());
    for (nlohmann::json& event : events) {
        if (m_secrets) mask_event_in_place(event, *m_secrets);
        event["seq"] = m_size + payloads.size() + 1;
        event["at"] = at;
        name_step(event);
        payloads.push_back(event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    try {
        m_log->append(payloads, m_size + 1);
    } catch (...) {
        m_failed = true;
        throw;
    }
    m_size += events.size();
    for (nlohmann::json& event : events) {
        if (m_fold) m_fold->apply(event);
        if (m_observer) m_observer(event);
        if (!m_fold) m_records.push_back(std::move(event));
    }
}

}  // namespace deployphase::state
