#include "cli/app.hpp"

#include <csignal>
#include <filesystem>
#include <system_error>
#include <CLI/CLI.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <deployphase/support/diagnostic.hpp>
#include <deployphase/support/storage_error.hpp>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/logging.hpp"
#include "cli/output.hpp"
#include "deployphase_version.hpp"

namespace deployphase::cli {

int run(int argc, char** argv) {
    // Past a file-size limit (`ulimit -f`) a write must fail with EFBIG and be reported like
    // any full disk, not kill the runner between two records. Steps get the default back.
    std::signal(SIGXFSZ, SIG_IGN);
    CLI::App app{"deployphase: runs the steps of a phase document, durably and resumably.",
                 "deployphase"};
    app.set_version_flag("--version", fmt::format("deployphase {}", DEPLOYPHASE_VERSION));
    app.require_subcommand(1);
    app.footer(
        "Exit codes: 0 ok or skipped, 1 a step failed, 2 usage or input error, 3 blocked,\n"
        "4 awaiting confirmation, 5 locked by another run, 6 a file could not be written\n"
        "(disk full, I/O error), 130/143 interrupted by SIGINT/SIGTERM. See docs/cli.md.");

    GlobalOptions globals;
    app.add_option("--color", globals.color,
                   "Colour output: auto (terminals only, not with NO_COLOR), always, never")
        ->transform(
            CLI::CheckedTransformer(std::map<std::string, ColorMode>{{"auto", ColorMode::automatic},
                                                                     {"always", ColorMode::always},
                                                                     {"never", ColorMode::never}}))
        ->default_str("auto")
        ->option_text("auto|always|never");

    std::string log_level = "warn";
    std::string log_file;
    app.add_option("--log-level", log_level,
                   "deployphase's own diagnostics: trace, debug, info, "
                   "warn, error or off")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
        ->capture_default_str();
    app.add_option("--log-file", log_file, "Append those diagnostics to FILE instead of stderr");

    Action action;
    add_validate_command(app, action, globals);
    add_show_command(app, action, globals);
    add_plan_command(app, action, globals);
    add_facts_command(app, action, globals);
    add_run_command(app, action, globals);
    add_resume_command(app, action, globals);
    add_status_command(app, action, globals);
    add_confirm_command(app, action, globals);
    add_rollback_command(app, action, globals);
    add_report_command(app, action, globals);
    add_unlock_command(app, action, globals);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);  // prints help, the version, or the usage error
        return code == 0 ? exit_code::ok : exit_code::input_error;
    }

    try {
        setup_logging(log_level, log_file);
        spdlog::debug("deployphase {}: {}", DEPLOYPHASE_VERSION,
                      loggable_command_line(std::vector<std::string>(argv, argv + argc)));
        return action();
    } catch (const InputError& e) {
        print_diagnostics(e.diagnostics());
        return exit_code::input_error;
    } catch (const StorageError& e) {
        spdlog::debug("storage error: {}", e.what());
        fmt::print(stderr, "{}\n", e.what());
        return exit_code::storage_failed;
    } catch (const std::filesystem::filesystem_error& e) {
        fmt::print(stderr, "{}: error: {}\n", e.path1().string(), e.code().message());
        return exit_code::storage_failed;
    } catch (const std::system_error& e) {
        fmt::print(stderr, "deployphase: error: {}\n", e.what());
        return exit_code::storage_failed;
    }
}

}  // namespace deployphase::cli
