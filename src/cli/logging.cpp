#include "logging.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <deployphase/context/secrets.hpp>
#include <deployphase/state/postgres_store.hpp>
#include <deployphase/support/errors.hpp>

namespace deployphase::cli {

void setup_logging(const std::string& level, const std::string& file) {
    std::shared_ptr<spdlog::logger> logger;
    if (file.empty()) {
        logger = std::make_shared<spdlog::logger>(
            "deployphase", std::make_shared<spdlog::sinks::stderr_sink_st>());
    } else {
        try {
            logger = std::make_shared<spdlog::logger>(
                "deployphase", std::make_shared<spdlog::sinks::basic_file_sink_st>(file));
        } catch (const spdlog::spdlog_ex& e) {
            throw InputError(Diagnostic::error(
                {file, 0, 0}, fmt::format("cannot open the log file: {}", e.what())));
        }
    }
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l [%P] %v");
    logger->set_level(spdlog::level::from_str(level));
    logger->flush_on(spdlog::level::trace);  // a crash must not eat the last lines
    spdlog::set_default_logger(std::move(logger));
}

namespace {

spdlog::level::level_enum level_of(LogLevel level) {
    switch (level) {
        case LogLevel::trace:
            return spdlog::level::trace;
        case LogLevel::debug:
            return spdlog::level::debug;
        case LogLevel::info:
            return spdlog::level::info;
        case LogLevel::warn:
            return spdlog::level::warn;
        case LogLevel::error:
            return spdlog::level::err;
        case LogLevel::off:
            break;
    }
    return spdlog::level::off;
}

}  // namespace

bool logs(LogLevel level) {
    return spdlog::should_log(level_of(level));
}

void log(LogLevel level, std::string_view message) {
    spdlog::log(level_of(level), "{}", message);
}

std::string loggable_command_line(const std::vector<std::string>& arguments) {
    auto value_of = [&](std::size_t i, std::string_view flag) -> std::optional<std::string> {
        const std::string& arg = arguments[i];
        if (arg == flag && i + 1 < arguments.size()) return arguments[i + 1];
        if (arg.starts_with(std::string(flag) + "=")) return arg.substr(flag.size() + 1);
        return std::nullopt;
    };
    std::vector<std::string> named;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        if (auto key = value_of(i, "--secret")) named.push_back(*key);
    }
    context::Secrets secrets(named);
    std::vector<std::string> shown = arguments;
    // FLAG's value, at i (FLAG=VALUE) or after it, shown as `masked`.
    auto show_value = [&](std::size_t i, std::string_view flag, const std::string& masked) {
        if (arguments[i] == flag) {
            shown[i + 1] = masked;
        } else {
            shown[i] = fmt::format("{}={}", flag, masked);
        }
    };
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        // A state URL may carry the server's password.
        if (auto url = value_of(i, "--state-url")) {
            show_value(i, "--state-url", state::mask_url_password(*url));
            continue;
        }
        std::string_view set = arguments[i] == "-s"                       ? "-s"
                               : arguments[i].starts_with("--set-string") ? "--set-string"
                                                                          : "--set";
        std::optional<std::string> assignment = value_of(i, set);
        if (!assignment) continue;
        std::size_t equals = assignment->find('=');
        if (equals == std::string::npos || !secrets.is_secret(assignment->substr(0, equals)))
            continue;
        show_value(i, set, assignment->substr(0, equals + 1) + std::string(context::masked_value));
    }
    return fmt::format("{}", fmt::join(shown, " "));
}

}  // namespace deployphase::cli
