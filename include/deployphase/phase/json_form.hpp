#pragma once
// The phase model as JSON: what `show --output json` writes and what a `.json` phase
// file holds. docs/phase-format.md describes the schema.

#include <nlohmann/json.hpp>

#include <deployphase/phase/model.hpp>
#include <deployphase/support/json_source.hpp>

namespace deployphase::phase {

inline constexpr int json_format_version = 1;

// Keys in a fixed, readable order.
nlohmann::ordered_json phase_to_json(const Phase& phase);

// Reads the JSON form strictly: unknown keys, wrong types and missing fields are errors
// at their LINE:COL. The returned phase is only meaningful when `sink` holds no error.
Phase read_json_phase(const JsonSource& source, DiagnosticSink& sink);

}  // namespace deployphase::phase
