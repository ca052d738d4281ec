#include <deployphase/run/step_environment.hpp>

#include <fmt/format.h>

#include <map>
#include <optional>

#include <deployphase/context/context.hpp>

#include <deployphase/run/subprocess.hpp>
#include <deployphase/support/errors.hpp>
#include "support/text.hpp"
#include "support/utf8.hpp"

namespace deployphase::run {

std::string context_variable_name(std::string_view key) {
    std::string name = "DEPLOYPHASE_CTX_";
    for (char c : key) {
        if (is_lower(c)) c = static_cast<char>(c - 'a' + 'A');
        name += is_upper(c) || is_digit(c) ? c : '_';
    }
    return name;
}

namespace {

// What a context value is in a step's environment: a string as it is, a number or boolean as
// JSON; nothing for null, arrays, objects and strings holding a NUL byte.
std::optional<std::string> variable_value(const nlohmann::json& value) {
    if (value.is_string()) {
        const std::string& text = value.get_ref<const std::string&>();
        if (text.find('\0') != std::string::npos) return std::nullopt;
        return text;
    }
    if (value.is_number() || value.is_boolean()) return value.dump();
    return std::nullopt;
}

// The length of KEY's DEPLOYPHASE_CTX_ entry, NAME=VALUE; 0 for a value left out of the
// environment.
std::size_t environment_entry_size(const std::string& key, const nlohmann::json& value) {
    std::optional<std::string> text = variable_value(value);
    return text ? context_variable_name(key).size() + 1 + text->size() : 0;
}

// `subject` ("its value", or the key) is `size` bytes as KEY's variable.
std::string too_long(std::string_view subject, const std::string& key, std::size_t size) {
    return fmt::format(
        "{} is {} bytes as {}=...; a step's environment holds at most {} bytes in "
        "one variable (Linux's limit): keep large data in a file and put its path "
        "in the context",
        subject, size, context_variable_name(key), max_environment_entry);
}

}  // namespace

void require_environment_fits(const nlohmann::json& context,
                              const std::vector<std::string>& inherited,
                              const phase::Phase& phase) {
    if (!context.is_object()) return;
    for (const auto& [key, value] : context.items()) {
        std::size_t size = environment_entry_size(key, value);
        if (size > max_environment_entry) {
            throw InputError(
                Diagnostic::error({"context key " + key, 0, 0}, too_long("its value", key, size)));
        }
    }
    std::string_view longest;
    for (const phase::Step& step : phase.steps)
        for (const auto* script : {&step.run, &step.check, &step.rollback})
            if (*script && (*script)->source.size() > longest.size()) longest = (*script)->source;
    // The run's id, the step's identity and the state paths add far less than this.
    constexpr std::size_t identity_allowance = 8192;
    std::vector<std::string> environment = step_environment(inherited, {}, context, "", "");
    std::size_t size = exec_size({"bash", "-c"}, environment) + longest.size() + 1 + sizeof(char*) +
                       identity_allowance;
    // Every DEPLOYPHASE_CTX_ entry there comes from the context (inherited ones are dropped),
    // counted as exec_size() counts it.
    std::size_t context_bytes = 0;
    for (const std::string& entry : environment)
        if (entry.starts_with("DEPLOYPHASE_CTX_"))
            context_bytes += entry.size() + 1 + sizeof(char*);
    if (size > exec_limit()) {
        throw InputError(Diagnostic::error(
            {"step environment", 0, 0},
            fmt::format("a step would start with {} bytes (context {}, inherited environment {}, "
                        "longest script {}); Linux starts a program with at most {}: keep large "
                        "data in a file and put its path in the context",
                        size, context_bytes, exec_size({}, inherited), longest.size(),
                        exec_limit())));
    }
}

std::vector<std::string> step_environment(const std::vector<std::string>& inherited,
                                          const StepIdentity& step, const nlohmann::json& context,
                                          const std::filesystem::path& context_file,
                                          const std::filesystem::path& output_file) {
    std::vector<std::string> environment;
    for (const std::string& entry : inherited) {
        if (!entry.starts_with("DEPLOYPHASE_")) environment.push_back(entry);
    }
    environment.push_back("DEPLOYPHASE_RUN_ID=" + step.run_id);
    environment.push_back("DEPLOYPHASE_PHASE=" + step.phase);
    environment.push_back("DEPLOYPHASE_STEP=" + step.id);
    environment.push_back(fmt::format("DEPLOYPHASE_STEP_INDEX={}", step.index));
    environment.push_back(fmt::format("DEPLOYPHASE_ATTEMPT={}", step.attempt));
    environment.push_back("DEPLOYPHASE_ACTION=" + step.action);
    environment.push_back("DEPLOYPHASE_CONTEXT_FILE=" + context_file.string());
    environment.push_back("DEPLOYPHASE_OUTPUT=" + output_file.string());

    std::map<std::string, std::string> variables;  // name -> value; later keys overwrite
    if (context.is_object()) {
        for (const auto& [key, value] : context.items()) {
            if (std::optional<std::string> text = variable_value(value))
                variables[context_variable_name(key)] = std::move(*text);
        }
    }
    for (const auto& [name, value] : variables)
        environment.push_back(name + "=" + value);
    return environment;
}

StepOutput parse_step_output(std::string_view text) {
    StepOutput output;
    std::size_t line_number = 0;
    while (!text.empty()) {
        ++line_number;
        std::size_t newline = text.find('\n');
        std::string_view line = text.substr(0, newline);
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
        if (line.ends_with('\r')) line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        // A NUL cannot reach a later step (environment values end at the first NUL): such a
        // line is a problem, not a value. Invalid UTF-8 cannot be recorded as JSON, and says
        // the output is garbled: nothing of it is used.
        if (line.find('\0') != std::string_view::npos) {
            output.problems.push_back(fmt::format("line {}: a NUL byte; ignored", line_number));
            continue;
        }
        if (auto bad = first_invalid_utf8(line)) {
            output.values = nlohmann::json::object();
            output.unusable = fmt::format(
                "line {} of its output is not valid UTF-8 (byte 0x{:02X} at byte {}); nothing it "
                "output was used",
                line_number, static_cast<unsigned char>(line[*bad]), *bad + 1);
            return output;
        }
        try {
            context::apply_assignment(output.values, line);
        } catch (const InputError& e) {
            output.problems.push_back(
                fmt::format("line {}: {}", line_number, e.diagnostics().front().message));
            continue;
        }
        std::string key(line.substr(0, line.find('=')));
        auto value = output.values.find(key);
        if (value != output.values.end()) {
            std::size_t size = environment_entry_size(key, *value);
            if (size > max_environment_entry) {
                output.problems.push_back(
                    fmt::format("line {}: {}; ignored", line_number, too_long(key, key, size)));
                output.values.erase(value);
            }
        }
    }
    return output;
}

}  // namespace deployphase::run
