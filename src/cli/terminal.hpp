#pragma once
// Colour on terminals only: never with NO_COLOR, TERM=dumb or --color=never.

#include <cstdio>
#include <string>
#include <string_view>

namespace deployphase::cli {

enum class ColorMode { automatic, always, never };

class Style {
  public:
    Style(ColorMode mode, std::FILE* stream);

    std::string bold(std::string_view text) const { return wrap("1", text); }
    std::string green(std::string_view text) const { return wrap("32", text); }
    std::string yellow(std::string_view text) const { return wrap("33", text); }
    std::string red(std::string_view text) const { return wrap("31", text); }
    std::string dim(std::string_view text) const { return wrap("2", text); }

  private:
    std::string wrap(std::string_view code, std::string_view text) const;
    bool m_enabled;
};

}  // namespace deployphase::cli
