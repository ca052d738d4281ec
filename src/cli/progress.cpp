#include "progress.hpp"

#include "closed_output.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <deployphase/run/step_log.hpp>
#include <deployphase/state/events.hpp>

namespace deployphase::cli {
namespace {

using nlohmann::json;
using state::EventType;
using state::StepStatus;
namespace field = state::field;

// What a failure shows of its log: its last lines, and never more than a screenful of bytes
// (a 10 MB line is not dumped whole).
constexpr std::size_t failed_log_lines = 20;
constexpr std::size_t failed_log_bytes = 4096;

std::string seconds(std::int64_t ms) {
    return fmt::format("{:.1f}s", static_cast<double>(ms) / 1000.0);
}

// The last `count` lines of `text`, cut to its last `max_bytes` bytes (at a character's start)
// when they are longer.
std::string_view tail(std::string_view text, std::size_t count, std::size_t max_bytes) {
    std::size_t end = text.size();
    if (end > 0 && text[end - 1] == '\n') --end;
    std::size_t start = end;
    for (std::size_t lines = 0; start > 0; --start) {
        if (text[start - 1] == '\n' && ++lines == count) break;
    }
    if (end - start > max_bytes) {
        start = end - max_bytes;
        while (start < end && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
            ++start;
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
    : m_phase(phase),
      m_options(std::move(options)),
      m_style(style_for(m_options.color, m_options.stream)) {
    m_live = ::isatty(descriptor_of(m_options.stream)) == 1 &&
             m_options.verbosity == Verbosity::normal && !m_options.github;
}

void Progress::tick() {
    if (!m_live || m_running == 0) return;
    auto now = std::chrono::steady_clock::now();
    if (m_live_shown && now - m_drawn < std::chrono::milliseconds(100)) return;
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - m_started);
    std::string time = seconds(elapsed.count());
    // Cut to the terminal's width: a line that wraps is not erased by \r, and each redraw
    // would leave a copy of it behind. Labels are ASCII (step ids are), so bytes are columns.
    std::string text = fmt::format("{} ... ", label(m_running));
    struct winsize size {};
    if (::ioctl(descriptor_of(m_options.stream), TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
        std::size_t room = size.ws_col - 1;  // the cursor's column after the text
        if (text.size() + time.size() > room) {
            std::size_t keep = room > time.size() + 4 ? room - time.size() - 4 : 0;
            text = text.substr(0, keep) + "... ";
        }
    }
    fmt::print(m_options.stream, "\r\033[K{}{}", text, m_style.dim(time));
    std::fflush(m_options.stream);
    m_drawn = now;
    m_live_shown = true;
}

void Progress::stopping(const phase::Step& step, bool killing,
                        std::chrono::milliseconds kill_after) {
    clear_live_line();
    if (killing) {
        fmt::print(m_options.stream, "killing {} now (SIGKILL to its process group)\n", step.id);
    } else {
        fmt::print(m_options.stream,
                   "stopping {}: SIGTERM sent; Ctrl-C again to kill it now, else killed in {}\n",
                   step.id, phase::format_duration(kill_after));
    }
    std::fflush(m_options.stream);
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
    // The attempt that just ended: the log holds every earlier one too.
    std::string log = run::read_step_log(m_options.state_dir, index, step.id, kind);
    std::string_view text = run::last_log_section(log);
    if (text.empty()) return;
    std::string_view shown =
        whole ? std::string_view(text) : tail(text, failed_log_lines, failed_log_bytes);
    if (!whole && shown.size() < text.size()) {
        fmt::print(m_options.stream, "    {} {}\n", m_style.dim("|"),
                   m_style.dim(fmt::format(
                       "[its last {} lines, at most {} KiB; the whole log: {}]", failed_log_lines,
                       failed_log_bytes / 1024,
                       run::step_log_file(m_options.state_dir, index, step.id, kind).string())));
    }
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

void Progress::step_finished(std::size_t index, const json& event) {
    const bool quiet = m_options.verbosity == Verbosity::quiet;
    const bool verbose = m_options.verbosity == Verbosity::verbose;
    const std::string status = event.value(field::status, "");
    const std::string time = seconds(m_duration_ms[index]);
    std::string reason = event.value(field::reason, m_reason[index]);
    if (reason == status) reason.clear();  // "interrupted (interrupted)" says it twice
    const std::string& id = m_phase.steps[index - 1].id;
    if (status == state::step_status_name(StepStatus::succeeded)) {
        if (m_options.github) {
            fmt::print(m_options.stream, "::group::{} ... ok ({})\n", label(index), time);
            show_log(index, "step", true);
            fmt::print(m_options.stream, "::endgroup::\n");
        } else if (!quiet) {
            line(index, m_style.green("ok"), reason.empty() ? time : time + ", " + reason);
        }
        return;
    }
    bool failed = status == state::step_status_name(StepStatus::failed);
    if (m_options.github) {
        fmt::print(m_options.stream, "::group::{} ... {}{}\n", label(index), status,
                   reason.empty() ? "" : " (" + reason + ")");
        show_log(index, "step", true);
        fmt::print(m_options.stream, "::endgroup::\n");
        fmt::print(m_options.stream, "::error title=deployphase: step {} {}::{}\n", index,
                   github_escape(id),
                   github_escape(fmt::format("step {} {} {}{}", index, id, status,
                                             reason.empty() ? "" : ": " + reason)));
    } else {
        line(index, failed ? m_style.red("FAILED") : m_style.yellow(status), reason);
        if (failed && !verbose) show_log(index, "step", false);
    }
}

void Progress::rollback_script_finished(std::size_t index, const json& event) {
    const bool quiet = m_options.verbosity == Verbosity::quiet;
    const bool verbose = m_options.verbosity == Verbosity::verbose;
    const std::string status = event.value(field::status, "");
    const std::string time = seconds(event.value(field::duration_ms, std::int64_t{0}));
    if (status == state::rollback_outcome_name(state::RollbackOutcome::rolled_back)) {
        if (!quiet) line(index, m_style.green("rolled back"), time);
        return;
    }
    line(index, m_style.red("ROLLBACK " + status), event.value(field::reason, ""));
    if (m_options.github) {
        fmt::print(m_options.stream, "::error title=deployphase: rollback of step {}::{}\n", index,
                   github_escape(event.value(field::reason, "")));
    } else if (!verbose) {
        show_log(index, "rollback", false);
    }
}

void Progress::operator()(const json& event) {
    const std::optional<EventType> type = state::event_type(event);
    if (!type) return;
    const std::size_t index = event.value(field::index, std::size_t{0});
    const bool quiet = m_options.verbosity == Verbosity::quiet;
    const bool verbose = m_options.verbosity == Verbosity::verbose;
    clear_live_line();
    switch (*type) {
        case EventType::run_started:
            // A phase skipped or blocked: its steps are not each worth a line; the end says why.
            m_phase_not_run = event.contains(field::plan) && event[field::plan].is_object() &&
                              event[field::plan].value("decision", "run") != "run";
            if (!quiet) {
                fmt::print(m_options.stream, "{} run {} of \"{}\": {} step{}\n",
                           m_style.bold("deployphase"), event.value(field::run_id, ""),
                           event.value(field::phase, ""), m_phase.steps.size(),
                           m_phase.steps.size() == 1 ? "" : "s");
            }
            break;
        case EventType::run_resumed:
            if (!quiet)
                fmt::print(m_options.stream, "{} resuming the run\n", m_style.bold("deployphase"));
            break;
        case EventType::step_started:
            m_running = index;
            m_started = std::chrono::steady_clock::now();
            if (verbose) line(index, "starting", event.value(field::reason, ""));
            break;
        case EventType::step_skipped:
            if (!quiet && !m_phase_not_run)
                line(index, m_style.yellow("skipped"), event.value(field::reason, ""));
            break;
        case EventType::check_finished:
            if (verbose) {
                std::string reason = event.value(field::reason, "");
                line(index, "check ran", reason.empty() ? "exit 0" : reason);
            }
            break;
        case EventType::step_satisfied:
            m_running = 0;
            if (!quiet) line(index, m_style.green("satisfied"), "its check passed; not run");
            break;
        case EventType::attempt_started:
            m_attempt[index] = event.value(field::attempt, 1u);
            if (verbose) line(index, fmt::format("attempt {}", m_attempt[index]));
            break;
        case EventType::attempt_finished: {
            m_duration_ms[index] = event.value(field::duration_ms, std::int64_t{0});
            m_reason[index] = event.value(field::reason, "");
            unsigned attempts = m_phase.steps[index - 1].retries + 1;
            if (!m_reason[index].empty() && m_reason[index] != "interrupted" && !quiet &&
                m_attempt[index] < attempts) {
                line(index,
                     m_style.yellow(
                         fmt::format("attempt {} of {} failed", m_attempt[index], attempts)),
                     m_reason[index] + "; retrying");
            }
            break;
        }
        case EventType::step_awaiting_confirmation:
            m_running = 0;
            line(index, m_style.yellow("awaiting confirmation"));  // the end says what next
            break;
        case EventType::step_confirmed:
            m_running = 0;
            if (!quiet) line(index, m_style.green("confirmed"));
            break;
        case EventType::step_finished:
            m_running = 0;
            step_finished(index, event);
            // What a step's lines needed; a long run must not keep it.
            m_duration_ms.erase(index);
            m_reason.erase(index);
            m_attempt.erase(index);
            break;
        case EventType::rollback_begun:
            if (!quiet) {
                fmt::print(m_options.stream, "{} rolling back: {}\n", m_style.bold("deployphase"),
                           event.value(field::reason, ""));
            }
            break;
        case EventType::rollback_script_started:
            m_running = index;
            m_started = std::chrono::steady_clock::now();
            break;
        case EventType::rollback_script_finished:
            m_running = 0;
            rollback_script_finished(index, event);
            break;
        case EventType::run_finished:
            m_running = 0;
            break;
        case EventType::output_recorded:
        case EventType::context_changed:
            break;
    }
    std::fflush(m_options.stream);
}

}  // namespace deployphase::cli
