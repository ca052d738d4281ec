#include <deployphase/report/plan_text.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace deployphase::report {
namespace {

// One line per call, indented by depth, with what each fact read found in a column.
void render_trace(std::string& out, const predicate::Trace& trace, std::size_t indent) {
    std::vector<std::string> calls;
    std::size_t width = 0;
    for (const auto& entry : trace) {
        calls.push_back(fmt::format("{}{} = {}", std::string(indent + 2 * entry.depth, ' '),
                                    entry.call, entry.result ? "true" : "false"));
        width = std::max(width, calls.back().size());
    }
    for (std::size_t i = 0; i < trace.size(); ++i) {
        const auto& entry = trace[i];
        if (!entry.reads_context) {
            out += calls[i] + "\n";
            continue;
        }
        out += fmt::format("{:<{}}    {}: {}\n", calls[i], width, entry.key,
                           entry.missing ? "missing" : plan::short_value(entry.value));
    }
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

}  // namespace

std::string render_plan_text(const plan::Plan& plan, const Style& style) {
    std::string out;
    std::string decision(plan::decision_name(plan.decision));
    std::transform(decision.begin(), decision.end(), decision.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    std::string coloured = plan.decision == plan::Decision::run    ? style.green(decision)
                           : plan.decision == plan::Decision::skip ? style.yellow(decision)
                                                                   : style.red(decision);
    out += fmt::format("Phase:    {}\n", plan.phase);
    out += fmt::format("Decision: {} ({})\n", style.bold(coloured), plan.reason);

    if (!plan.trace.empty()) {
        out += "\nWhy:\n";
        render_trace(out, plan.trace, 2);
    }

    out += "\nSteps:\n";
    std::size_t id_width = 0;
    for (const auto& step : plan.steps)
        id_width = std::max(id_width, step.id.size());
    std::size_t total = plan.steps.size();
    for (const auto& step : plan.steps) {
        std::string counter = fmt::format("{}/{}", step.index, total);
        std::string intent = !step.recorded.empty()    ? "done    "
                             : step.will_run           ? style.green("will run")
                             : step.decided_after != 0 ? style.yellow("later   ")
                                                       : style.yellow("skip    ");
        std::string reason = step.recorded.empty() ? step.reason : "recorded: " + step.recorded;
        if (std::string_view note = plan::action_note(step); !note.empty())
            reason += fmt::format("; {}", note);
        out += fmt::format("  {:>{}}  {:<{}}  {}  {}\n", counter,
                           2 * std::to_string(total).size() + 1, step.id, id_width, intent, reason);
        if (step.guard_kind == "expression") {
            out += fmt::format("        guard: {}\n", step.guard);
            render_trace(out, step.trace, 8);
        }
    }

    if (!plan.predicates.empty()) {
        std::vector<std::string> values;
        for (const auto& p : plan.predicates) {
            values.push_back(fmt::format("{}() = {}", p.name, p.value ? "true" : "false"));
        }
        out += fmt::format("\nPredicates: {}\n", join(values));
    }

    std::vector<std::string> missing_read;
    std::vector<std::string> not_reached;
    std::size_t read = 0;
    for (const auto& fact : plan.facts) {
        if (fact.used) ++read;
        if (fact.used && fact.missing) {
            missing_read.push_back(fact.output_of == 0 ? fact.name
                                                       : fmt::format("{} (output of step {})",
                                                                     fact.name, fact.output_of));
        }
        if (!fact.used) not_reached.push_back(fact.name);
    }
    out += fmt::format("Facts: {} known to the phase, {} read", plan.facts.size(), read);
    if (!missing_read.empty()) out += fmt::format("; missing: {}", join(missing_read));
    if (!not_reached.empty()) out += fmt::format("; not read: {}", join(not_reached));
    out += "\n";
    return out;
}

}  // namespace deployphase::report
