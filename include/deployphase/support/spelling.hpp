#pragma once
// "Did you mean": the known word nearest to what was typed, for flags, commands and headings.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deployphase {

// Levenshtein distance: insertions, deletions and substitutions of one byte each.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `typed`, when it is close enough to be what was meant: within a third
// of the typed length, and never more than two edits for a short word.
std::optional<std::string> closest_spelling(std::string_view typed,
                                            const std::vector<std::string>& known);

}  // namespace deployphase
