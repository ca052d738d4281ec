#include "fake_scripts.hpp"

#include <deployphase/run/runner.hpp>

namespace deployphase::test {

// The scripts of one run, answering from the test's FakeScripts.
class FakeRun final : public run::Scripts {
  public:
    FakeRun(FakeScripts& book, const run::ScriptSetup& setup)
        : m_book(book), m_interrupt(setup.interrupt) {}

    run::ProcessResult run(const phase::Step& step, run::ScriptKind kind, unsigned attempt,
                           const nlohmann::json& context) override {
        m_book.m_calls.push_back({step.index, step.id, kind, attempt, context});
        FakeEnding ending;
        auto planned = m_book.m_endings.find({step.id, kind});
        if (planned != m_book.m_endings.end() && !planned->second.empty()) {
            ending = std::move(planned->second.front());
            planned->second.erase(planned->second.begin());
        }
        if (kind == run::ScriptKind::step) m_book.m_output = ending.output;
        if (ending.meanwhile) ending.meanwhile();
        run::ProcessResult result;
        result.ending = ending.ending;
        result.exit_code = ending.exit_code;
        result.duration = std::chrono::milliseconds(1);
        if (m_interrupt.load() != 0) {
            result.ending = run::ProcessResult::Ending::interrupted;
            result.exit_code = 143;
        }
        return result;
    }

    std::string read_output() override { return m_book.m_output; }
    void clear_output() override { m_book.m_output.clear(); }
    void mask_logs() override { m_book.m_log_maskings.push_back(m_book.ran()); }

  private:
    FakeScripts& m_book;
    const run::InterruptFlag& m_interrupt;
};

void FakeScripts::will(const std::string& id, std::vector<FakeEnding> endings,
                       run::ScriptKind kind) {
    auto& planned = m_endings[{id, kind}];
    for (FakeEnding& ending : endings)
        planned.push_back(std::move(ending));
}

run::ScriptsFactory FakeScripts::factory() {
    return [this](const run::ScriptSetup& setup) -> std::unique_ptr<run::Scripts> {
        return std::make_unique<FakeRun>(*this, setup);
    };
}

std::string FakeScripts::ran() const {
    std::string out;
    for (const Call& call : m_calls) {
        if (!out.empty()) out += ' ';
        if (call.kind != run::ScriptKind::step)
            out += std::string(run::script_kind_name(call.kind)) + ":";
        out += call.id;
    }
    return out;
}

std::size_t FakeScripts::count(const std::string& id, run::ScriptKind kind) const {
    std::size_t n = 0;
    for (const Call& call : m_calls)
        n += call.id == id && call.kind == kind;
    return n;
}

}  // namespace deployphase::test
