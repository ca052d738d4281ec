#include "app.hpp"

#include <csignal>
#include <exception>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include <deployphase/support/errors.hpp>

#include "closed_output.hpp"
#include "commands.hpp"
#include "deployphase_version.hpp"
#include "exit_codes.hpp"
#include "logging.hpp"
#include "output.hpp"

namespace deployphase::cli {
namespace {

// Prints the error the command stopped with, as every error is printed, and logs it.
int stop(const Error& error, std::string_view kind, int code) {
    log(LogLevel::debug, fmt::format("{}: {}", kind, error.what()));
    print_diagnostics(error.diagnostics());
    return code;
}

// Anything else that escaped a command: a bug, reported in one line, never std::terminate.
int internal_error(std::string_view what) {
    return stop(Error("deployphase", fmt::format("internal error: {}; this is a bug in "
                                                 "deployphase, please report it",
                                                 what)),
                "internal error", exit_code::internal_error);
}

// The one map from what a command threw to how the process exits (docs/cli.md).
int exit_code_of(const std::exception_ptr& thrown) {
    try {
        std::rethrow_exception(thrown);
    } catch (const InputError& e) {
        return stop(e, "input error", exit_code::input_error);
    } catch (const LockHeld& e) {
        return stop(e, "lock held", exit_code::locked);
    } catch (const StateError& e) {
        return stop(e, "state error", exit_code::input_error);
    } catch (const StorageError& e) {
        return stop(e, "storage error", exit_code::storage_failed);
    } catch (const std::filesystem::filesystem_error& e) {
        // The standard library's file calls: a storage failure by another name.
        return stop(StorageError(e.path1(), e.code().message()), "storage error",
                    exit_code::storage_failed);
    } catch (const std::system_error& e) {
        return stop(StorageError("deployphase", e.what()), "storage error",
                    exit_code::storage_failed);
    } catch (const std::exception& e) {
        return internal_error(e.what());
    } catch (...) {
        return internal_error("an exception of unknown type");
    }
}

}  // namespace

ColorMode GlobalOptions::color_mode() const {
    return color == "always"  ? ColorMode::always
           : color == "never" ? ColorMode::never
                              : ColorMode::automatic;
}

int run(int argc, char** argv) {
    keep_running_when_output_closes();
    // Past a file-size limit (`ulimit -f`) a write must fail with EFBIG and be reported like
    // any full disk, not kill the runner between two records. Steps get the default back.
    std::signal(SIGXFSZ, SIG_IGN);
    CommandLine command_line(
        "deployphase: runs the steps of a phase document, durably and resumably.", "deployphase");
    command_line.version(fmt::format("deployphase {}", DEPLOYPHASE_VERSION));
    command_line.footer(
        "Exit codes: 0 ok or skipped, 1 a step failed, 2 usage or input error, 3 blocked,\n"
        "4 awaiting confirmation, 5 locked by another run, 6 a file could not be written\n"
        "(disk full, I/O error), 130/143 interrupted by SIGINT/SIGTERM, 70 a bug in\n"
        "deployphase. See docs/cli.md.");

    Command& program = command_line.program();
    GlobalOptions globals;
    program
        .option("--color", globals.color,
                "Colour output: auto (terminals only, not with NO_COLOR), always, never")
        .one_of({"auto", "always", "never"})
        .value_text("auto|always|never");
    std::string log_level = "warn";
    std::string log_file;
    program
        .option("--log-level", log_level,
                "deployphase's own diagnostics: trace, debug, info, warn, error or off")
        .one_of({"trace", "debug", "info", "warn", "error", "off"})
        .show_default();
    program.option("--log-file", log_file, "Append those diagnostics to FILE instead of stderr");

    add_validate_command(program, globals);
    add_show_command(program, globals);
    add_plan_command(program, globals);
    add_facts_command(program, globals);
    add_run_command(program, globals);
    add_resume_command(program, globals);
    add_status_command(program, globals);
    add_history_command(program, globals);
    add_logs_command(program, globals);
    add_prune_command(program, globals);
    add_confirm_command(program, globals);
    add_rollback_command(program, globals);
    add_report_command(program, globals);
    add_unlock_command(program, globals);

    CommandLine::Parsed parsed = command_line.parse(argc, argv);
    if (!parsed.action) return parsed.usage_error ? exit_code::input_error : exit_code::ok;
    try {
        setup_logging(log_level, log_file);
        if (logs(LogLevel::debug)) {
            log(LogLevel::debug,
                fmt::format("deployphase {}: {}", DEPLOYPHASE_VERSION,
                            loggable_command_line(std::vector<std::string>(argv, argv + argc))));
        }
        return parsed.action();
    } catch (...) {
        return exit_code_of(std::current_exception());
    }
}

}  // namespace deployphase::cli
