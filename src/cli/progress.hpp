#pragma once
// What the operator (or a CI log) sees while a run goes: one line per step as it ends, with
// its reason; failed steps with the end of their log; step logs folded into groups on GitHub
// Actions. Fed by the journal's observer, so it shows only what has been recorded.

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include <deployphase/phase/model.hpp>

#include "terminal.hpp"

namespace deployphase::cli {

enum class Verbosity { quiet, normal, verbose };

struct ProgressOptions {
    Verbosity verbosity = Verbosity::normal;
    bool github = false;  // GITHUB_ACTIONS=true: ::group:: folds and ::error:: annotations
    std::filesystem::path state_dir;
    std::FILE* stream = stdout;
    ColorMode color = ColorMode::automatic;
};

class Progress {
  public:
    Progress(const phase::Phase& phase, ProgressOptions options);

    void operator()(const nlohmann::json& event);

    // On a terminal (and not --verbose, --quiet or GitHub), redraws "[3/8] id ... 4.2s" for
    // the running step; called while its script runs.
    void tick();

    // What an interrupt is doing to the running step, so a waiting operator knows: "stopping
    // ID: SIGTERM sent; Ctrl-C again to kill it now, else killed in 10s", then "killing ID now".
    void stopping(const phase::Step& step, bool killing, std::chrono::milliseconds kill_after);

  private:
    void clear_live_line();
    void line(std::size_t index, const std::string& text, const std::string& detail = "");
    void step_finished(std::size_t index, const nlohmann::json& event);
    void rollback_script_finished(std::size_t index, const nlohmann::json& event);
    void show_log(std::size_t index, std::string_view kind, bool whole);
    std::string label(std::size_t index) const;

    const phase::Phase& m_phase;
    ProgressOptions m_options;
    report::Style m_style;
    std::map<std::size_t, std::int64_t> m_duration_ms;  // of each step's last attempt
    std::map<std::size_t, std::string> m_reason;        // how its last attempt failed
    std::map<std::size_t, unsigned> m_attempt;          // its current attempt
    bool m_live = false;                                // the stream is a terminal
    std::size_t m_running = 0;                          // the step a timer is shown for
    std::chrono::steady_clock::time_point m_started;    // when it started
    std::chrono::steady_clock::time_point m_drawn;      // when the timer was last drawn
    bool m_live_shown = false;
    bool m_phase_not_run = false;  // the phase was skipped or blocked
};

// "%", "\r" and "\n" escaped as GitHub's workflow commands require.
std::string github_escape(std::string_view text);

}  // namespace deployphase::cli
