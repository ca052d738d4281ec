#include "cli/progress.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include <deployphase/run/runner.hpp>

#include "support/file_io.hpp"

namespace deployphase::cli {
namespace {

using nlohmann::json;

constexpr std::size_t failed_log_lines = 20;

std::string seconds(std::int64_t ms) {
    return fmt::format("{:.1f}s", static_cast<double>(ms) / 1000.0);
}

// The last `count` lines of `text`.
std::string_view tail(std::string_view text, std::size_t count) {
    std::size_t end = text.size();
    if (end > 0 && text[end - 1] == '\n') --end;
    std::size_t start = end;
    for (std::size_t lines = 0; start > 0; --start) {
        if (text[start - 1] == '\n' && ++lines == count) break;
    }
    return text.substr(start);
}

}  // namespace

std::string github_escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '%') {
            out += "%25";
        } else if (c == '\r') {
            out += "%0D";
        } else if (c == '\n') {
            out += "%0A";
        } else {
            out += c;
        }
    }
    return out;
}

Progress::Progress(const phase::Phase& phase, ProgressOptions options)
    : m_phase(phase), m_options(std::move(options)), m_style(m_options.color, m_options.stream) {
    m_live = ::isatty(::fileno(m_options.stream)) == 1 &&
             m_options.verbosity == Verbosity::normal && !m_options.github;
}

void Progress::tick() {
    if (!m_live || m_running == 0) return;
    auto now = std::chrono::steady_clock::now();
    if (m_live_shown && now - m_drawn < std::chrono::milliseconds(100)) return;
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - m_started);
    fmt::print(m_options.stream, "\r\033[K{} ... {}", label(m_running),
               m_style.dim(seconds(elapsed.count())));
    std::fflush(m_options.stream);
    m_drawn = now;
    m_live_shown = true;
}

void Progress::clear_live_line() {
    if (!m_live_shown) return;
    fmt::print(m_options.stream, "\r\033[K");
    m_live_shown = false;
}

std::string Progress::label(std::size_t index) const {
    return fmt::format(
        "[{}/{}] {}", index, m_phase.steps.size(),
        index >= 1 && index <= m_phase.steps.size() ? m_phase.steps[index - 1].id : "?");
}

void Progress::line(std::size_t index, const std::string& text, const std::string& detail) {
    clear_live_line();
    fmt::print(m_options.stream, "{} ... {}{}\n", label(index), text,
               detail.empty() ? "" : " (" + detail + ")");
    std::fflush(m_options.stream);
}

// On GitHub the whole log goes into a fold; elsewhere a failure shows its last lines.
void Progress::show_log(std::size_t index, std::string_view kind, bool whole) {
    const phase::Step& step = m_phase.steps[index - 1];
    std::string text;
    if (read_file(run::step_log_file(m_options.state_dir, index, step.id, kind), text)) return;
    if (text.empty()) return;
    std::string_view shown = whole ? std::string_view(text) : tail(text, failed_log_lines);
    if (m_options.github) {
        fmt::print(m_options.stream, "{}{}", shown, shown.ends_with('\n') ? "" : "\n");
        return;
    }
    std::size_t start = 0;
    while (start < shown.size()) {
        std::size_t end = shown.find('\n', start);
        if (end == std::string_view::npos) end = shown.size();
        fmt::print(m_options.stream, "    {} {}\n", m_style.dim("|"),
                   shown.substr(start, end - start));
        start = end + 1;
    }
}

void Progress::operator()(const json& event) {
    const std::string type = event.value("type", "");
    const std::size_t index = event.value("index", std::size_t{0});
    const bool quiet = m_options.verbosity == Verbosity::quiet;
    const bool verbose = m_options.verbosity == Verbosity::verbose;
    clear_live_line();
    if (type == "step_started") {
        m_running = index;
        m_started = std::chrono::steady_clock::now();
    } else if (type == "step_finished" || type == "step_satisfied" ||
               type == "step_awaiting_confirmation" || type == "step_confirmed" ||
               type == "run_finished") {
        m_running = 0;
    } else if (type == "rollback_script_started") {
        m_running = index;
        m_started = std::chrono::steady_clock::now();
    } else if (type == "rollback_script_finished") {
        m_running = 0;
    }

    if (type == "run_started" && !quiet) {
        fmt::print(m_options.stream, "{} run {} of \"{}\": {} steps\n", m_style.bold("deployphase"),
                   event.value("run_id", ""), event.value("phase", ""), m_phase.steps.size());
    } else if (type == "run_resumed" && !quiet) {
        fmt::print(m_options.stream, "{} resuming the run\n", m_style.bold("deployphase"));
    } else if (type == "step_started" && verbose) {
        line(index, "starting", event.value("reason", ""));
    } else if (type == "step_skipped" && !quiet) {
        line(index, m_style.yellow("skipped"), event.value("reason", ""));
    } else if (type == "check_finished" && verbose) {
        line(index, "check ran",
             event.value("reason", "").empty() ? "exit 0" : event.value("reason", ""));
    } else if (type == "step_satisfied" && !quiet) {
        line(index, m_style.green("satisfied"), "its check passed; not run");
    } else if (type == "attempt_started") {
        m_attempt[index] = event.value("attempt", 1u);
        if (verbose) line(index, fmt::format("attempt {}", m_attempt[index]));
    } else if (type == "attempt_finished") {
        m_duration_ms[index] = event.value("duration_ms", std::int64_t{0});
        m_reason[index] = event.value("reason", "");
        unsigned attempts = m_phase.steps[index - 1].retries + 1;
        if (!m_reason[index].empty() && m_reason[index] != "interrupted" && !quiet &&
            m_attempt[index] < attempts) {
            line(index,
                 m_style.yellow(fmt::format("attempt {} of {} failed", m_attempt[index], attempts)),
                 m_reason[index] + "; retrying");
        }
    } else if (type == "step_awaiting_confirmation") {
        line(index, m_style.yellow("awaiting confirmation"),
             "`deployphase confirm` it, then `deployphase resume`");
    } else if (type == "step_confirmed" && !quiet) {
        line(index, m_style.green("confirmed"));
    } else if (type == "step_finished") {
        const std::string status = event.value("status", "");
        const std::string time = seconds(m_duration_ms[index]);
        const std::string reason = event.value("reason", m_reason[index]);
        if (status == "succeeded") {
            if (m_options.github) {
                fmt::print(m_options.stream, "::group::{} ... ok ({})\n", label(index), time);
                show_log(index, "step", true);
                fmt::print(m_options.stream, "::endgroup::\n");
            } else if (!quiet) {
                line(index, m_style.green("ok"), reason.empty() ? time : time + ", " + reason);
            }
        } else {
            bool failed = status == "failed";
            if (m_options.github) {
                fmt::print(m_options.stream, "::group::{} ... {} ({})\n", label(index), status,
                           reason);
                show_log(index, "step", true);
                fmt::print(m_options.stream, "::endgroup::\n");
                fmt::print(m_options.stream, "::error title=deployphase: step {} {}::{}\n", index,
                           github_escape(m_phase.steps[index - 1].id),
                           github_escape(fmt::format("step {} {} {}: {}", index,
                                                     m_phase.steps[index - 1].id, status, reason)));
            } else {
                line(index, failed ? m_style.red("FAILED") : m_style.yellow(status), reason);
                if (failed && !verbose) show_log(index, "step", false);
            }
        }
    } else if (type == "rollback_begun" && !quiet) {
        fmt::print(m_options.stream, "{} rolling back: {}\n", m_style.bold("deployphase"),
                   event.value("reason", ""));
    } else if (type == "rollback_script_finished") {
        const std::string status = event.value("status", "");
        const std::string time = seconds(event.value("duration_ms", std::int64_t{0}));
        if (status == "rolled-back") {
            if (!quiet) line(index, m_style.green("rolled back"), time);
        } else {
            line(index, m_style.red("ROLLBACK " + status), event.value("reason", ""));
            if (m_options.github) {
                fmt::print(m_options.stream, "::error title=deployphase: rollback of step {}::{}\n",
                           index, github_escape(event.value("reason", "")));
            } else if (!verbose) {
                show_log(index, "rollback", false);
            }
        }
    }
    if (type == "step_finished") {  // what a step's lines needed; a long run must not keep it
        m_duration_ms.erase(index);
        m_reason.erase(index);
        m_attempt.erase(index);
    }
    std::fflush(m_options.stream);
}

}  // namespace deployphase::cli
