#include "memory_store.hpp"

#include <optional>

#include <fmt/format.h>

#include <deployphase/support/errors.hpp>

namespace deployphase::test {

struct MemoryStore::Data {
    std::optional<std::vector<std::string>> current;  // payloads, seq 1, 2, ...
    std::vector<std::string> archived;
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

class MemoryLog final : public state::RecordLog {
  public:
    explicit MemoryLog(std::shared_ptr<MemoryStore::Data> data) : m_data(std::move(data)) {}

    const std::string& name() const override { return m_name; }

    void append(const std::vector<std::string>& payloads, std::size_t first_seq) override {
        MemoryStore::Data& data = *m_data;
        if (!data.current || first_seq != data.current->size() + 1)
            throw StateError(m_name, fmt::format("record {} is out of order", first_seq));
        bool fails = ++data.appends == data.fail_at;
        if (!fails || data.kept == MemoryStore::Kept::all)
            data.current->insert(data.current->end(), payloads.begin(), payloads.end());
        if (fails) {
            throw StorageError(m_name,
                               fmt::format("cannot append record {}: injected failure", first_seq));
        }
    }

  private:
    std::shared_ptr<MemoryStore::Data> m_data;
    std::string m_name = "memory#current";
};

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
    std::size_t seq = 0;
    for (const std::string& payload : *m_data->current) {
        ++seq;
        nlohmann::json record = nlohmann::json::parse(payload);
        if (record.value("seq", std::size_t{0}) != seq)
            throw StateError(current_name(), fmt::format("record {} is out of order", seq));
        take(std::move(record), fmt::format("row {}", seq));
    }
    state::OpenedLog opened;
    opened.records = seq;
    if (writable) opened.log = std::make_unique<MemoryLog>(m_data);
    return opened;
}

state::OpenedLog MemoryStore::create_current() {
    m_data->current.emplace();
    state::OpenedLog opened;
    opened.log = std::make_unique<MemoryLog>(m_data);
    return opened;
}

void MemoryStore::archive_current(const std::string& run_id) {
    m_data->archived.push_back(run_id);
    m_data->current.reset();
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
    return m_data->archived;
}

}  // namespace deployphase::test
