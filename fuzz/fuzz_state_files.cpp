// libFuzzer target: the state a store reads back besides the journal (fuzz_journal has that).
// The first byte chooses: a lock file's content, or PostgreSQL rows as the server returns them
// as text, one "SEQ<TAB>RECORD" per line, checked row by row and folded into a run's state.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/report/run_text.hpp>
#include <deployphase/state/lock.hpp>
#include <deployphase/state/postgres_store.hpp>
#include <deployphase/state/run_state.hpp>
#include <deployphase/support/errors.hpp>

namespace {

void read_rows(std::string_view rows) {
    using namespace deployphase::state;
    std::vector<nlohmann::json> records;
    for (std::string_view rest = rows; !rest.empty();) {
        std::size_t newline = rest.find('\n');
        std::string_view line = rest.substr(0, newline);
        rest.remove_prefix(newline == std::string_view::npos ? rest.size() : newline + 1);
        std::size_t tab = line.find('\t');
        if (tab == std::string_view::npos) return;
        records.push_back(parse_record_row(line.substr(0, tab), line.substr(tab + 1),
                                           records.size() + 1, 1, "pg"));
    }
    if (records.empty()) return;
    RunState state = fold(records);
    (void)deployphase::report::status_json(state);
    (void)state.unfinished_steps();
    (void)state.pending_rollbacks();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace deployphase;
    if (size == 0) return 0;
    std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        if (data[0] % 2 == 0) {
            LockHolder holder = state::parse_lock_holder(rest);
            (void)LockHeld("lock", holder, "that process ends").what();
        } else {
            read_rows(rest);
        }
    } catch (const StateError&) {
    }
    return 0;
}
