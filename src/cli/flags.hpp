#pragma once
// The command line's flags, declared without CLI11 in sight: commands say which options they
// take through these few types, and only flags.cpp compiles CLI11, whose validators and
// templates cost seconds of compiling in every file that includes it.

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace deployphase::cli {

// One option or flag, for the rules that go with it. Each returns the flag, to chain them.
class Flag {
  public:
    Flag& required();
    // Only these values are accepted; anything else is a usage error naming them.
    Flag& one_of(const std::vector<std::string>& values);
    // --help shows the value the variable held when the flag was declared.
    Flag& show_default();
    // The environment variable gives the value when the flag is absent.
    Flag& env(const std::string& variable);
    // How --help names the value ("auto|always|never"), instead of its type and choices.
    Flag& value_text(const std::string& text);
    // Repeatable, one value each time: `--set A=1 --set B=2`, never `--set A=1 B=2`.
    Flag& one_value_each();
    Flag& needs(const Flag& other);
    Flag& excludes(const Flag& other);

  private:
    friend class Command;
    explicit Flag(CLI::Option* option) : m_option(option) {}
    CLI::Option* m_option;
};

using Action = std::function<int()>;

// The program or one of its subcommands: the flags it takes, and what it does when chosen.
class Command {
  public:
    Flag option(const std::string& names, std::string& into, const std::string& help);
    Flag option(const std::string& names, std::vector<std::string>& into, const std::string& help);
    // A repeatable option whose values reach `take` one at a time, in command-line order even
    // among several such options (--set and --set-string fill one list).
    Flag option_each(const std::string& names, std::function<void(const std::string&)> take,
                     const std::string& help);
    Flag flag(const std::string& names, bool& into, const std::string& help);
    Command subcommand(const std::string& name, const std::string& help);
    // What runs when this subcommand is chosen, once every flag has its value.
    void action(Action body);

  private:
    friend class CommandLine;
    Command(CLI::App* app, Action* chosen) : m_app(app), m_chosen(chosen) {}
    CLI::App* m_app;
    Action* m_chosen;
};

// The whole command line: the program, its subcommands, and reading argv.
class CommandLine {
  public:
    CommandLine(const std::string& description, const std::string& name);
    ~CommandLine();
    CommandLine(const CommandLine&) = delete;
    CommandLine& operator=(const CommandLine&) = delete;

    Command& program() { return m_program; }
    void version(const std::string& text);
    void footer(const std::string& text);

    struct Parsed {
        Action action;             // the chosen subcommand's; none after --help or --version
        bool usage_error = false;  // printed already
    };
    // Reads argv; prints help, the version or a usage error itself.
    Parsed parse(int argc, char** argv);

  private:
    std::unique_ptr<CLI::App> m_app;
    Action m_chosen;
    Command m_program;
};

}  // namespace deployphase::cli
