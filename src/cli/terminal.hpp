#pragma once
// Colour on terminals only: never with NO_COLOR, TERM=dumb or --color=never.

#include <cstdio>

#include <deployphase/report/style.hpp>

namespace deployphase::cli {

enum class ColorMode { automatic, always, never };

// The style for text written to `stream`: coloured when `mode` says so, or when it is
// automatic and the stream is a terminal that wants colour.
report::Style style_for(ColorMode mode, std::FILE* stream);

}  // namespace deployphase::cli
