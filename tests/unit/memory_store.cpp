#include "memory_store.hpp"

#include <algorithm>

#include <optional>

#include <fmt/format.h>

#include <deployphase/support/errors.hpp>

namespace deployphase::test {

struct MemoryStore::Data {
    using Payloads = std::vector<std::string>;  // seq 1, 2, ...
    std::optional<Payloads> current;
    std::vector<std::pair<std::string, Payloads>> archived;  // by run id, as filed
    std::size_t archived_before_current = 0;  // how many were filed when the current began
    bool locked = false;
    bool lost = false;
    std::size_t appends = 0;
    std::size_t fail_at = 0;  // the append that fails, counted by `appends`; 0: none
    Kept kept = Kept::none;
};

namespace {

class MemoryLock final : public state::StoreLock {
  public:
    explicit MemoryLock(std::shared_ptr<MemoryStore::Data> data) : m_data(std::move(data)) {
        m_data->locked = true;
    }
    ~MemoryLock() override { m_data->locked = false; }

  private:
    std::shared_ptr<MemoryStore::Data> m_data;
};

// Appends to the current run, or to the run archived at `archived_at`.
class MemoryLog final : public state::RecordLog {
  public:
    MemoryLog(std::shared_ptr<MemoryStore::Data> data, std::optional<std::size_t> archived_at)
        : m_data(std::move(data)), m_archived_at(archived_at) {}

    const std::string& name() const override { return m_name; }

    void append(const std::vector<std::string>& payloads, std::size_t first_seq) override {
        MemoryStore::Data& data = *m_data;
        MemoryStore::Data::Payloads* target = m_archived_at
                                                  ? &data.archived[*m_archived_at].second
                                                  : (data.current ? &*data.current : nullptr);
        if (!target || first_seq != target->size() + 1)
            throw StateError(m_name, fmt::format("record {} is out of order", first_seq));
        bool fails = ++data.appends == data.fail_at;
        if (!fails || data.kept == MemoryStore::Kept::all)
            target->insert(target->end(), payloads.begin(), payloads.end());
        if (fails) {
            throw StorageError(m_name,
                               fmt::format("cannot append record {}: injected failure", first_seq));
        }
    }

  private:
    std::shared_ptr<MemoryStore::Data> m_data;
    std::optional<std::size_t> m_archived_at;
    std::string m_name = "memory#current";
};

// Hands every payload to `take` in order, checking its seq.
std::size_t read_payloads(const MemoryStore::Data::Payloads& payloads, const std::string& name,
                          const state::RecordSink& take) {
    std::size_t seq = 0;
    for (const std::string& payload : payloads) {
        ++seq;
        nlohmann::json record = nlohmann::json::parse(payload);
        if (record.value("seq", std::size_t{0}) != seq)
            throw StateError(name, fmt::format("record {} is out of order", seq));
        take(std::move(record), fmt::format("row {}", seq));
    }
    return seq;
}

}  // namespace

MemoryStore::MemoryStore() : m_data(std::make_shared<Data>()) {}

std::unique_ptr<state::StoreLock> MemoryStore::lock() {
    if (m_data->locked) throw LockHeld(name(), LockHolder{1, "memory", ""}, "the test lets go");
    return std::make_unique<MemoryLock>(m_data);
}

bool MemoryStore::has_current() {
    return m_data->current.has_value();
}

std::optional<state::OpenedLog> MemoryStore::open_current(bool writable,
                                                          const state::RecordSink& take) {
    if (!m_data->current) return std::nullopt;
    state::OpenedLog opened;
    opened.records = read_payloads(*m_data->current, current_name(), take);
    if (writable) opened.log = std::make_unique<MemoryLog>(m_data, std::nullopt);
    return opened;
}

state::OpenedLog MemoryStore::create_current() {
    m_data->current.emplace();
    m_data->archived_before_current = m_data->archived.size();
    state::OpenedLog opened;
    opened.log = std::make_unique<MemoryLog>(m_data, std::nullopt);
    return opened;
}

void MemoryStore::archive_current(const std::string& run_id) {
    m_data->archived.emplace_back(run_id, std::move(*m_data->current));
    m_data->current.reset();
}

state::OpenedLog MemoryStore::create_archived(const std::string& run_id) {
    m_data->archived.emplace_back(run_id, Data::Payloads{});
    state::OpenedLog opened;
    opened.log = std::make_unique<MemoryLog>(m_data, m_data->archived.size() - 1);
    opened.name = "memory#" + run_id;
    return opened;
}

std::optional<state::OpenedLog> MemoryStore::open_archived_since_current(
    const state::RecordSink& take) {
    if (m_data->archived.empty()) return std::nullopt;
    if (m_data->current && m_data->archived.size() == m_data->archived_before_current)
        return std::nullopt;
    const auto& [run_id, payloads] = m_data->archived.back();
    state::OpenedLog opened;
    opened.name = "memory#" + run_id;
    opened.records = read_payloads(payloads, opened.name, take);
    return opened;
}

void MemoryStore::read_runs(std::size_t limit,
                            const std::function<state::RecordSink(const std::string& name)>& each) {
    if (m_data->current) read_payloads(*m_data->current, current_name(), each(current_name()));
    std::size_t read = 0;
    for (auto run = m_data->archived.rbegin(); run != m_data->archived.rend(); ++run) {
        if (limit != 0 && read++ == limit) break;
        std::string name = "memory#" + run->first;
        read_payloads(run->second, name, each(name));
    }
}

void MemoryStore::delete_archived(const std::string& run_id) {
    auto& archived = m_data->archived;
    archived.erase(std::remove_if(archived.begin(), archived.end(),
                                  [&](const auto& run) { return run.first == run_id; }),
                   archived.end());
}

bool MemoryStore::lost() {
    return m_data->lost;
}

std::optional<LockHolder> MemoryStore::lock_holder() {
    if (!m_data->locked) return std::nullopt;
    return LockHolder{1, "memory", ""};
}

bool MemoryStore::break_lock() {
    bool was = m_data->locked;
    m_data->locked = false;
    return was;
}

void MemoryStore::fail_append(std::size_t n, Kept kept) {
    m_data->fail_at = m_data->appends + n;
    m_data->kept = kept;
}

void MemoryStore::lose() {
    m_data->lost = true;
}

std::vector<nlohmann::json> MemoryStore::current_records() const {
    std::vector<nlohmann::json> records;
    if (m_data->current) {
        for (const std::string& payload : *m_data->current)
            records.push_back(nlohmann::json::parse(payload));
    }
    return records;
}

std::size_t MemoryStore::appends() const {
    return m_data->appends;
}

std::vector<std::string> MemoryStore::archived() const {
    std::vector<std::string> ids;
    for (const auto& [run_id, payloads] : m_data->archived)
        ids.push_back(run_id);
    return ids;
}

}  // namespace deployphase::test
