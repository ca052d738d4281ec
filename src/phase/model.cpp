#include <deployphase/phase/model.hpp>

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

#include "support/text.hpp"
#include "support/utf8.hpp"

namespace deployphase::phase {
namespace {

struct KindName {
    SectionKind kind;
    std::string_view name;
};

constexpr std::array kind_names{
    KindName{SectionKind::purpose, "purpose"},
    KindName{SectionKind::prerequisites, "prerequisites"},
    KindName{SectionKind::success_criteria, "success_criteria"},
    KindName{SectionKind::skip_conditions, "skip_conditions"},
    KindName{SectionKind::expected_duration, "expected_duration"},
    KindName{SectionKind::outputs, "outputs"},
    KindName{SectionKind::notes, "notes"},
    KindName{SectionKind::other, "other"},
};

// Headings as documents of this family write them, lower-cased.
constexpr std::array<std::pair<std::string_view, SectionKind>, 13> heading_kinds{{
    {"purpose", SectionKind::purpose},
    {"goal", SectionKind::purpose},
    {"phase prerequisites", SectionKind::prerequisites},
    {"context required", SectionKind::prerequisites},
    {"phase success criteria", SectionKind::success_criteria},
    {"success criteria", SectionKind::success_criteria},
    {"skip conditions", SectionKind::skip_conditions},
    {"skip when", SectionKind::skip_conditions},
    {"expected duration", SectionKind::expected_duration},
    {"outputs", SectionKind::outputs},
    {"key outputs", SectionKind::outputs},
    {"notes", SectionKind::notes},
    {"prerequisites", SectionKind::prerequisites},
}};

}  // namespace

std::string_view section_kind_name(SectionKind kind) {
    for (const auto& entry : kind_names) {
        if (entry.kind == kind) return entry.name;
    }
    return "other";
}

std::optional<SectionKind> section_kind_from_name(std::string_view name) {
    for (const auto& entry : kind_names) {
        if (entry.name == name) return entry.kind;
    }
    return std::nullopt;
}

std::string heading_key(std::string_view heading) {
    std::string key = ascii_lower(trim(heading));
    while (!key.empty() && (key.back() == ':' || key.back() == ' '))
        key.pop_back();
    return key;
}

SectionKind section_kind_from_heading(std::string_view heading) {
    std::string key = heading_key(heading);
    for (const auto& [name, kind] : heading_kinds) {
        if (key == name) return kind;
    }
    return SectionKind::other;
}

const Section* Phase::find_section(SectionKind kind) const {
    auto found = std::find_if(sections.begin(), sections.end(),
                              [&](const Section& s) { return s.kind == kind; });
    return found == sections.end() ? nullptr : &*found;
}

bool Step::needs_four_eyes() const {
    return std::any_of(annotations.begin(), annotations.end(), [](const std::string& note) {
        std::string key = heading_key(note);
        return key == "four eyes" || key == "four-eyes";
    });
}

bool is_declarable_key(std::string_view key) {
    if (key.empty() || key.front() == '.' || key.back() == '.' ||
        key.find("..") != std::string_view::npos)
        return false;
    return std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-' || c == '.';
    });
}

std::size_t Phase::scripted_step_count() const {
    return static_cast<std::size_t>(
        std::count_if(steps.begin(), steps.end(), [](const Step& s) { return s.run.has_value(); }));
}

std::size_t Phase::guarded_step_count() const {
    return static_cast<std::size_t>(std::count_if(
        steps.begin(), steps.end(), [](const Step& s) { return s.guard.has_value(); }));
}

namespace {

bool is_step_id_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9')
        ++digits;
    if (digits == 0 || digits > 9) return std::nullopt;
    long long value = std::stoll(std::string(text.substr(0, digits)));
    std::string_view unit = text.substr(digits);
    if (unit == "ms") return std::chrono::milliseconds(value);
    if (unit == "s") return std::chrono::seconds(value);
    if (unit == "m") return std::chrono::minutes(value);
    if (unit == "h") return std::chrono::hours(value);
    return std::nullopt;
}

std::string format_duration(std::chrono::milliseconds duration) {
    long long ms = duration.count();
    if (ms != 0 && ms % 3'600'000 == 0) return fmt::format("{}h", ms / 3'600'000);
    if (ms != 0 && ms % 60'000 == 0) return fmt::format("{}m", ms / 60'000);
    if (ms != 0 && ms % 1'000 == 0) return fmt::format("{}s", ms / 1'000);
    return fmt::format("{}ms", ms);
}

bool is_validation_language(std::string_view language) {
    std::string key = ascii_lower(language);
    return key.empty() || key == "javascript" || key == "js";
}

std::optional<StepIdProblem> check_step_id(std::string_view id) {
    if (id.empty()) return StepIdProblem{0, "step id is empty"};
    for (std::size_t i = 0; i < id.size(); ++i) {
        if (is_step_id_char(id[i])) continue;
        std::size_t length = std::max<std::size_t>(utf8_sequence_length(id, i), 1);
        std::string shown(id.substr(i, length));
        if (shown == "\t") shown = "\\t";
        return StepIdProblem{i, fmt::format("invalid character '{}' in step id \"{}\"; ids may use "
                                            "letters, digits, '.', '_' and '-'",
                                            shown, id)};
    }
    return std::nullopt;
}

}  // namespace deployphase::phase
