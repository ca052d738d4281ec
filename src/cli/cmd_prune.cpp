#include <fmt/format.h>

#include <deployphase/phase/model.hpp>
#include <deployphase/run/prune.hpp>
#include <deployphase/support/errors.hpp>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "run_flags.hpp"

namespace deployphase::cli {
namespace {

struct PruneCommand {
    StateFlags state;
    std::string keep;
    std::string older_than;
    bool dry_run = false;
};

run::PruneRule rule_of(const PruneCommand& options) {
    run::PruneRule rule;
    if (!options.keep.empty()) {
        if (options.keep.size() > 9 ||
            options.keep.find_first_not_of("0123456789") != std::string::npos)
            throw InputError("--keep",
                             fmt::format("\"{}\" is not a whole number of runs", options.keep));
        rule.keep = std::stoul(options.keep);
    }
    if (!options.older_than.empty()) {
        // Days too: retention is counted in them.
        std::string text = options.older_than;
        std::optional<std::chrono::milliseconds> duration;
        if (text.size() > 1 && text.back() == 'd' &&
            text.find_first_not_of("0123456789") == text.size() - 1 && text.size() <= 6) {
            duration = std::chrono::hours(24 * std::stol(text.substr(0, text.size() - 1)));
        } else {
            duration = phase::parse_duration(text);
        }
        if (!duration) {
            throw InputError("--older-than",
                             fmt::format("invalid duration \"{}\"; use a whole number with d, h, "
                                         "m or s, as in 30d",
                                         text));
        }
        rule.older_than = *duration;
    }
    if (rule.keep.has_value() == rule.older_than.has_value())
        throw InputError("prune", "give --keep N or --older-than DURATION, one of them");
    return rule;
}

int run_prune(const PruneCommand& options) {
    run::PruneRule rule = rule_of(options);
    std::shared_ptr<state::StateStore> store = options.state.open();
    run::PrunePlan plan = run::plan_prune(*store, rule, std::chrono::system_clock::now());
    if (!options.dry_run) run::prune(*store, options.state.dir, plan);
    for (const state::RunState& run : plan.doomed) {
        fmt::print("{} {} ({}, {})\n", options.dry_run ? "would delete" : "deleted", run.run_id,
                   run.phase, state::run_status_name(run.status));
    }
    fmt::print(
        "{} {} run{}; {} kept (the last run that changed something and unfinished runs "
        "always are).\n",
        options.dry_run ? "Would delete" : "Deleted", plan.doomed.size(),
        plan.doomed.size() == 1 ? "" : "s", plan.kept);
    return exit_code::ok;
}

}  // namespace

void add_prune_command(Command& program, const GlobalOptions&) {
    auto options = std::make_shared<PruneCommand>();
    Command command = program.subcommand(
        "prune",
        "Delete old runs (journals or rows, their log sections); never an unfinished "
        "run or the last that changed something");
    add_state_flags(command, options->state);
    command.option("--keep", options->keep, "Keep the newest N runs, delete the rest");
    command.option("--older-than", options->older_than,
                   "Delete runs that ended longer ago than DURATION (30d, 12h, 90m)");
    command.flag("--dry-run", options->dry_run, "List what would be deleted; delete nothing");
    command.action([options] { return run_prune(*options); });
}

}  // namespace deployphase::cli
