#pragma once
// The phase model: what a phase document says, independent of whether it was written
// as Markdown or as JSON. Plain values; reading and writing live elsewhere.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <deployphase/support/diagnostic.hpp>

namespace deployphase::phase {

// `[conditional: if monitoring required]` or `[if monitoring required]`.
struct Guard {
    std::string text;  // between the brackets, as written: "conditional: if monitoring required"
    std::string condition;  // what must hold: "monitoring required"
    SourceLocation where;   // of the first character of `condition`

    bool operator==(const Guard&) const = default;
};

// A script bound to a step by a ```sh step=ID (or rollback=, check=) code block.
struct Script {
    std::string shell;  // "sh" or "bash": run as `sh -c SOURCE` / `bash -c SOURCE`
    std::string source;
    std::optional<std::chrono::milliseconds> timeout;
    SourceLocation where;  // of the code block's opening fence

    bool operator==(const Script&) const = default;
};

struct Step {
    std::size_t index = 0;  // position in the phase, from 1; the step's identity
    std::string id;         // need not be unique; `validate` warns when it repeats
    std::string description;
    std::optional<Guard> guard;
    std::vector<std::string> annotations;  // other bracketed text, e.g. "at phase start"
    SourceLocation where;                  // of the id

    std::optional<Script> run;       // none: a manual step, confirmed by the operator
    std::optional<Script> rollback;  // undoes the step's effect
    std::optional<Script> check;     // exit 0: the effect is already in place
    unsigned retries = 0;            // further attempts after a failed one
    std::chrono::milliseconds retry_delay{0};
    // Declared by its scripts: the context keys they read (needs=), which a plan requires, and
    // the keys its step= script writes to $DEPLOYPHASE_OUTPUT (outputs=), which later guards
    // may read. In order, each once.
    std::vector<std::string> needs;
    std::vector<std::string> outputs;

    // A manual step marked `[four eyes]` (an annotation, so the JSON form carries it as one):
    // whoever confirms it must not be who started the run.
    bool needs_four_eyes() const;

    bool operator==(const Step&) const = default;
};

// The sections deployphase knows by meaning. Any other `##` section is kept as `other`.
enum class SectionKind {
    purpose,
    prerequisites,
    success_criteria,
    skip_conditions,
    expected_duration,
    outputs,
    notes,
    other,
};

// The JSON name of a kind ("success_criteria"), and back.
std::string_view section_kind_name(SectionKind kind);
std::optional<SectionKind> section_kind_from_name(std::string_view name);
// A heading as deployphase matches it: trimmed, lower-cased, without a trailing colon.
std::string heading_key(std::string_view heading);
// The kind a `##` heading names ("Skip When" -> skip_conditions); `other` if none.
SectionKind section_kind_from_heading(std::string_view heading);

struct Section {
    SectionKind kind = SectionKind::other;
    std::string title;               // the heading as written
    std::string text;                // paragraphs as plain text, separated by blank lines
    std::vector<std::string> items;  // list items as plain text, in order
    SourceLocation where;            // of the heading

    bool operator==(const Section&) const = default;
};

// The `## Validation Logic` code block, kept as source for the predicate parser.
// Validation logic is JavaScript-like: its block may say "javascript", "js" (any case) or nothing.
bool is_validation_language(std::string_view language);

struct ValidationLogic {
    std::string language;  // info string as written: "javascript", "js" or ""
    std::string source;
    SourceLocation where;  // of the first character of `source`

    bool operator==(const ValidationLogic&) const = default;
};

struct Phase {
    std::string name;     // "Deployment & Operations"
    std::string title;    // the whole title as written: "Phase • Deployment & Operations"
    std::string summary;  // text between the title and the first section, if any
    std::vector<Step> steps;
    std::optional<ValidationLogic> validation;
    std::vector<Section> sections;  // in document order, steps and validation excluded
    std::string source_path;

    const Section* find_section(SectionKind kind) const;
    std::size_t guarded_step_count() const;
    std::size_t scripted_step_count() const;  // the others are manual

    bool operator==(const Phase&) const = default;
};

// Whether `key` may be declared in needs= or outputs=: a context key or a dotted path of them,
// letters, digits, '_' and '-' between the dots.
bool is_declarable_key(std::string_view key);

// "10m", "5s", "250ms", "2h" -> milliseconds; nothing for anything else.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);
// The shortest exact form: 600000ms -> "10m", 1500ms -> "1500ms".
std::string format_duration(std::chrono::milliseconds duration);

// Step ids may use letters, digits, '.', '_' and '-' only, so they are safe in file
// names, environment values and reports. A problem names the byte offset it is at.
struct StepIdProblem {
    std::size_t offset = 0;
    std::string message;
};
std::optional<StepIdProblem> check_step_id(std::string_view id);

}  // namespace deployphase::phase
