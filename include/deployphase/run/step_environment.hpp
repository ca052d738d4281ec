#pragma once
// What a step script sees: the environment it runs with, and how the key=value lines it
// writes to $DEPLOYPHASE_OUTPUT become context for later steps. Context values reach a
// script only through these variables and files, never through its text.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <deployphase/phase/model.hpp>

namespace deployphase::run {

struct StepIdentity {
    std::string run_id;
    std::string phase;
    std::size_t index = 0;
    std::string id;
    unsigned attempt = 1;
    std::string action = "step";  // "step", "check" or "rollback": which of its scripts runs
};

// DEPLOYPHASE_CTX_<KEY>: KEY upper-cased, every character outside [A-Z0-9] replaced by '_'.
std::string context_variable_name(std::string_view key);

// The most one environment entry (NAME=VALUE) may hold on Linux: MAX_ARG_STRLEN, 32 pages of
// 4 KiB, less its NUL. A longer one makes the step's exec fail (E2BIG).
inline constexpr std::size_t max_environment_entry = 32 * 4096 - 1;

// Throws InputError naming the first top-level context key whose DEPLOYPHASE_CTX_ entry would
// be longer than max_environment_entry, or giving the sizes when the step environment
// (`inherited` and the context) with the longest of the phase's scripts would be more than
// exec_limit(): checked before a run or a resume records anything, so such input is refused
// with its size, never a step that cannot start.
void require_environment_fits(const nlohmann::json& context,
                              const std::vector<std::string>& inherited, const phase::Phase& phase);

// The inherited environment without any DEPLOYPHASE_* entries, then DEPLOYPHASE_RUN_ID,
// _PHASE, _STEP, _STEP_INDEX, _ATTEMPT, _ACTION, _CONTEXT_FILE, _OUTPUT and one
// DEPLOYPHASE_CTX_<KEY> per top-level scalar context value (strings as they are, numbers and
// booleans as JSON; null, arrays, objects and strings holding a NUL byte are left out). Keys that
// map to the same name: the last in sorted key order wins.
std::vector<std::string> step_environment(const std::vector<std::string>& inherited,
                                          const StepIdentity& step, const nlohmann::json& context,
                                          const std::filesystem::path& context_file,
                                          const std::filesystem::path& output_file);

struct StepOutput {
    nlohmann::json values = nlohmann::json::object();  // merged over the context afterwards
    std::vector<std::string> problems;                 // "line 3: expected KEY=VALUE", in order
    // Why none of it can be used (a line that is not UTF-8: what else is garbled?); then
    // `values` is empty and the step fails with this.
    std::optional<std::string> unusable;
};

// Reads what a step appended to $DEPLOYPHASE_OUTPUT: one KEY=VALUE per line, with the rules
// of --set (VALUE is JSON when it parses, else a string; KEY may be dotted). Blank lines are
// skipped; a malformed line, a line with a NUL byte and a value too long for a later step's
// environment are reported and skipped; a line that is not valid UTF-8 makes the whole
// output unusable.
StepOutput parse_step_output(std::string_view text);

}  // namespace deployphase::run
