// libFuzzer target: the state loader. The input is a journal's bytes: scanned (frames,
// checksums, JSON, sequence numbers, torn tails) and, when intact, folded into a run's state
// as status, resume and report do.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <deployphase/report/run_text.hpp>
#include <deployphase/state/journal.hpp>
#include <deployphase/state/journal_file.hpp>
#include <deployphase/state/run_state.hpp>
#include <deployphase/support/errors.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace deployphase::state;
    try {
        JournalScan scan =
            scan_journal(std::string_view(reinterpret_cast<const char*>(data), size), "journal");
        if (scan.records.empty()) return 0;
        RunState state = fold(scan.records);
        (void)deployphase::report::status_json(state);
        (void)state.unfinished_steps();
        (void)state.pending_rollbacks();
    } catch (const deployphase::StateError&) {
    }
    return 0;
}
