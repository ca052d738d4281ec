#include "cli/logging.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include <deployphase/support/diagnostic.hpp>

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

}  // namespace deployphase::cli
