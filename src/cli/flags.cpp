#include "flags.hpp"

#include <CLI/CLI.hpp>

namespace deployphase::cli {

Flag& Flag::required() {
    m_option->required();
    return *this;
}

Flag& Flag::one_of(const std::vector<std::string>& values) {
    m_option->check(CLI::IsMember(values));
    return *this;
}

Flag& Flag::show_default() {
    m_option->capture_default_str();
    return *this;
}

Flag& Flag::env(const std::string& variable) {
    m_option->envname(variable);
    return *this;
}

Flag& Flag::value_text(const std::string& text) {
    m_option->option_text(text);
    return *this;
}

Flag& Flag::one_value_each() {
    m_option->allow_extra_args(false);
    return *this;
}

Flag& Flag::needs(const Flag& other) {
    m_option->needs(other.m_option);
    return *this;
}

Flag& Flag::excludes(const Flag& other) {
    m_option->excludes(other.m_option);
    return *this;
}

Flag Command::option(const std::string& names, std::string& into, const std::string& help) {
    return Flag(m_app->add_option(names, into, help));
}

Flag Command::option(const std::string& names, std::vector<std::string>& into,
                     const std::string& help) {
    return Flag(m_app->add_option(names, into, help));
}

Flag Command::option_each(const std::string& names, std::function<void(const std::string&)> take,
                          const std::string& help) {
    return Flag(m_app->add_option_function<std::string>(names, std::move(take), help)
                    ->trigger_on_parse()
                    ->allow_extra_args(false));
}

Flag Command::flag(const std::string& names, bool& into, const std::string& help) {
    return Flag(m_app->add_flag(names, into, help));
}

Command Command::subcommand(const std::string& name, const std::string& help) {
    return Command(m_app->add_subcommand(name, help), m_chosen);
}

void Command::action(Action body) {
    m_app->callback([chosen = m_chosen, body = std::move(body)] { *chosen = body; });
}

CommandLine::CommandLine(const std::string& description, const std::string& name)
    : m_app(std::make_unique<CLI::App>(description, name)), m_program(m_app.get(), &m_chosen) {
    m_app->require_subcommand(1);
}

CommandLine::~CommandLine() = default;

void CommandLine::version(const std::string& text) {
    m_app->set_version_flag("--version", text);
}

void CommandLine::footer(const std::string& text) {
    m_app->footer(text);
}

CommandLine::Parsed CommandLine::parse(int argc, char** argv) {
    try {
        m_app->parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = m_app->exit(e);  // prints help, the version, or the usage error
        return {{}, code != 0};
    }
    return {m_chosen, false};
}

}  // namespace deployphase::cli
