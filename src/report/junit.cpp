#include <deployphase/report/junit.hpp>
#include <deployphase/report/run_text.hpp>

#include <fmt/format.h>

#include <deployphase/run/step_log.hpp>

#include "support/utf8.hpp"

namespace deployphase::report {
namespace {

using state::StepStatus;

// Text as XML character data or attribute value: escaped, valid UTF-8, and without the
// control characters XML 1.0 forbids.
std::string xml_text(std::string_view raw) {
    std::string text = replace_invalid_utf8(raw);
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                    out += "\xEF\xBF\xBD";  // U+FFFD
                } else {
                    out += c;
                }
        }
    }
    return out;
}

std::string seconds(std::int64_t ms) {
    return fmt::format("{:.3f}", static_cast<double>(ms) / 1000.0);
}

}  // namespace

std::string junit_xml(const phase::Phase& phase, const state::RunState& run,
                      const std::filesystem::path& state_dir) {
    std::size_t failures = 0, skipped = 0;
    std::int64_t total_ms = 0;
    std::string cases;
    for (const state::StepState& step : run.steps) {
        total_ms += step.duration_ms;
        std::string body;
        bool failed = step.status == StepStatus::failed || step.status == StepStatus::interrupted ||
                      step.status == StepStatus::running ||
                      (step.status == StepStatus::rolled_back && !step.reason.empty());
        if (failed) {
            ++failures;
            body += fmt::format("      <failure message=\"{}\" type=\"{}\"/>\n",
                                xml_text(step.reason.empty() ? "failed" : step.reason),
                                state::step_status_name(step.status));
        } else if (step.status == StepStatus::skipped || step.status == StepStatus::pending ||
                   step.status == StepStatus::awaiting_confirmation) {
            ++skipped;
            std::string why = step.status == StepStatus::skipped ? step.reason
                              : step.status == StepStatus::pending
                                  ? "not reached"
                                  : "awaiting a manual confirmation";
            body += fmt::format("      <skipped message=\"{}\"/>\n", xml_text(why));
        }
        // What this run's last attempt printed: a log holds every attempt of every run.
        std::string log;
        if (step.index <= phase.steps.size()) {
            log = std::string(run::last_log_section(
                run::read_step_log(state_dir, step.index, step.id), run.run_id));
        }
        std::string note = fmt::format("status: {}{}\n", state::step_status_name(step.status),
                                       step.reason.empty() ? "" : " (" + step.reason + ")");
        body += fmt::format("      <system-out>{}{}</system-out>\n", xml_text(note), xml_text(log));
        cases += fmt::format(
            "    <testcase name=\"{}\" classname=\"{}\" time=\"{}\">\n{}    </testcase>\n",
            xml_text(fmt::format("{} {}", step.index, step.id)), xml_text(run.phase),
            seconds(step.duration_ms), body);
    }
    // JUnit's timestamp has no zone and no fraction; the run's start is UTC.
    std::string timestamp =
        run.started_at.size() >= 19
            ? fmt::format(
                  " timestamp=\"{}\" hostname=\"{}\"", run.started_at.substr(0, 19),
                  xml_text(run.started_by.is_object() ? run.started_by.value("host", "") : ""))
            : "";
    std::string properties;
    if (run.started_by.is_object()) {
        properties = fmt::format(
            "    <properties>\n      <property name=\"started_by\" value=\"{}\"/>\n"
            "      <property name=\"started_at\" value=\"{}\"/>\n    </properties>\n",
            xml_text(describe_who(run.started_by)), xml_text(run.started_at));
    }
    return fmt::format(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"deployphase\" tests=\"{0}\" failures=\"{1}\" skipped=\"{2}\" "
        "time=\"{3}\">\n"
        "  <testsuite name=\"{4}\" tests=\"{0}\" failures=\"{1}\" skipped=\"{2}\" time=\"{3}\" "
        "id=\"{5}\"{7}>\n"
        "{8}"
        "{6}"
        "  </testsuite>\n"
        "</testsuites>\n",
        run.steps.size(), failures, skipped, seconds(total_ms), xml_text(run.phase),
        xml_text(run.run_id), cases, timestamp, properties);
}

}  // namespace deployphase::report
