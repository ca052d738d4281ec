#pragma once
// Text as a shell reads it back: for messages that give the exact command to type next.

#include <string>
#include <string_view>

namespace deployphase {

// In single quotes, whatever it holds ('it'\''s').
std::string shell_quoted(std::string_view text);

// As it is when a shell would read it so (letters, digits and _./:@%+=,-), else shell_quoted.
std::string shell_word(std::string_view text);

}  // namespace deployphase
