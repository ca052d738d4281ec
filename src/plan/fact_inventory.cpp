#include <deployphase/plan/plan.hpp>

#include <fmt/format.h>

#include <functional>
#include <map>

#include <deployphase/predicate/fact_naming.hpp>

namespace deployphase::plan {
namespace {

class Inventory {
  public:
    explicit Inventory(const predicate::Program& program) : m_program(program) {}

    void add_expression(const predicate::Expr& expr, const std::string& in) {
        predicate::for_each_call(expr, [&](const predicate::Expr& call) { add_call(call, in); });
    }

    void add(std::string key, std::string kind, std::string exact_key, FactUse use) {
        auto [it, inserted] = m_index.emplace(key, m_entries.size());
        if (inserted)
            m_entries.push_back({std::move(key), std::move(kind), std::move(exact_key), {}});
        m_entries[it->second].uses.push_back(std::move(use));
    }

    std::vector<FactEntry> take() { return std::move(m_entries); }

  private:
    void add_call(const predicate::Expr& call, const std::string& in) {
        if (call.argument) {
            add(*call.argument, "hasContext", "",
                {call.where, in, fmt::format("hasContext('{}')", *call.argument)});
        } else if (!m_program.find(call.name)) {
            add(predicate::derived_fact_key(call.name), "fact", call.name,
                {call.where, in, call.name + "()"});
        }
    }

    const predicate::Program& m_program;
    std::vector<FactEntry> m_entries;
    std::map<std::string, std::size_t> m_index;
};

}  // namespace

std::vector<FactEntry> fact_inventory(const phase::Phase& phase, const phase::PhaseLogic& logic) {
    Inventory inventory(logic.program);
    for (const predicate::Function& function : logic.program.functions) {
        inventory.add_expression(*function.body, function.name + "()");
    }
    for (std::size_t i = 0; i < logic.guards.size(); ++i) {
        if (!logic.guards[i]) continue;
        const phase::CompiledGuard& guard = *logic.guards[i];
        std::string in = fmt::format("step {} {}", phase.steps[i].index, phase.steps[i].id);
        if (guard.is_expression()) {
            inventory.add_expression(*guard.expression, in);
        } else {
            inventory.add(guard.fact_key, "guard", "", {guard.where, in, guard.condition});
        }
    }
    // What the scripts declare they read (needs=) and write (outputs=).
    for (const phase::Step& step : phase.steps) {
        std::string in = fmt::format("step {} {}", step.index, step.id);
        SourceLocation where = step.run ? step.run->where : step.where;
        for (const std::string& key : step.needs)
            inventory.add(key, "needs", "", {where, in, "needs=" + key});
        for (const std::string& key : step.outputs)
            inventory.add(key, "output", "", {where, in, "outputs=" + key});
    }
    return inventory.take();
}

}  // namespace deployphase::plan
