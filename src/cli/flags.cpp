#include "flags.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <deployphase/support/spelling.hpp>

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

namespace {

// Every name `app` takes as a flag, --long and -s: what a typo is compared with.
std::vector<std::string> flag_names(const CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::Option* option : app.get_options()) {
        for (const std::string& name : option->get_lnames())
            names.push_back("--" + name);
        for (const std::string& name : option->get_snames())
            names.push_back("-" + name);
    }
    return names;
}

// The flag `arg` names in `app` (--long, --long=VALUE, -s, or -sVALUE), as CLI11 reads it;
// sets `value_follows` when its value is the next argument.
const CLI::Option* flag_of(const CLI::App& app, const std::string& arg, bool& value_follows) {
    std::string name = arg.substr(0, arg.find('='));
    bool attached = name != arg;
    if (!arg.starts_with("--") && arg.size() > 2) {  // -sVALUE
        name = arg.substr(0, 2);
        attached = true;
    }
    const CLI::Option* option = app.get_option_no_throw(name);
    value_follows = option && !attached && option->get_items_expected_min() > 0;
    return option;
}

// Where the command's word is: the first argument that is not a global flag or its value.
std::size_t command_word(const CLI::App& program, const std::vector<std::string>& args) {
    std::size_t word = 0;
    while (word < args.size() && args[word].starts_with("-")) {
        bool value_follows = false;
        flag_of(program, args[word], value_follows);
        word += value_follows ? 2 : 1;
    }
    return word;
}

[[noreturn]] void usage_error(const std::string& message) {
    throw CLI::ParseError("deployphase: " + message, CLI::ExitCodes::ExtrasError);
}

// Refuses the first flag after the command's word that neither the command nor the program
// knows, named as typed, with the nearest known one.
void refuse_unknown_flag(const CLI::App& program, const std::vector<std::string>& args,
                         std::size_t word) {
    const CLI::App* command = program.get_subcommand(args[word]);
    for (std::size_t i = word + 1; i < args.size() && args[i] != "--"; ++i) {
        if (!args[i].starts_with("-") || args[i] == "-") continue;
        bool value_follows = false;
        if (flag_of(*command, args[i], value_follows) || flag_of(program, args[i], value_follows)) {
            if (value_follows) ++i;  // its value may start with '-'
            continue;
        }
        std::vector<std::string> known = flag_names(*command);
        std::vector<std::string> global = flag_names(program);
        known.insert(known.end(), global.begin(), global.end());
        std::string name = args[i].substr(0, args[i].find('='));
        std::optional<std::string> meant = closest_spelling(name, known);
        usage_error(fmt::format("{} has no flag '{}'{}; `deployphase {} --help` lists them",
                                args[word], name, meant ? " (did you mean '" + *meant + "'?)" : "",
                                args[word]));
    }
}

}  // namespace

CommandLine::Parsed CommandLine::parse(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        std::size_t word = command_word(*m_app, args);
        std::vector<std::string> commands;
        for (const CLI::App* sub : m_app->get_subcommands({}))
            commands.push_back(sub->get_name());
        if (word < args.size() && args[word] == "help") {
            // `deployphase help [COMMAND]` is `deployphase [COMMAND] --help`.
            args.erase(args.begin() + static_cast<std::ptrdiff_t>(word));
            if (word < args.size() && !args[word].starts_with("-")) ++word;
            args.insert(args.begin() + static_cast<std::ptrdiff_t>(word), "--help");
        } else if (word < args.size()) {
            if (std::find(commands.begin(), commands.end(), args[word]) == commands.end()) {
                std::optional<std::string> meant = closest_spelling(args[word], commands);
                usage_error(fmt::format("unknown command '{}'{}; `deployphase --help` lists them",
                                        args[word],
                                        meant ? " (did you mean '" + *meant + "'?)" : ""));
            }
            refuse_unknown_flag(*m_app, args, word);
        }
        std::reverse(args.begin(), args.end());  // CLI11 takes them last first
        m_app->parse(args);
    } catch (const CLI::ParseError& e) {
        int code = m_app->exit(e);  // prints help, the version, or the usage error
        return {{}, code != 0};
    }
    return {m_chosen, false};
}

}  // namespace deployphase::cli
