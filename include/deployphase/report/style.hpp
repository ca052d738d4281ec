#pragma once
// Emphasis and colour in text meant for a terminal, or none at all: the command line decides
// which (a terminal, NO_COLOR, --color), renderers only ask for it.

#include <string>
#include <string_view>

namespace deployphase::report {

class Style {
  public:
    explicit Style(bool enabled) : m_enabled(enabled) {}

    std::string bold(std::string_view text) const { return wrap("1", text); }
    std::string green(std::string_view text) const { return wrap("32", text); }
    std::string yellow(std::string_view text) const { return wrap("33", text); }
    std::string red(std::string_view text) const { return wrap("31", text); }
    std::string dim(std::string_view text) const { return wrap("2", text); }

  private:
    std::string wrap(std::string_view code, std::string_view text) const;
    bool m_enabled;
};

}  // namespace deployphase::report
