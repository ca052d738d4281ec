#pragma once
// Runs an action when the scope ends, however it ends, unless cancelled first: the undo of a
// step that must not outlive a failure (a temporary file, records not known to be written).

#include <utility>

namespace deployphase {

template <typename Action>
class Defer {
  public:
    explicit Defer(Action action) : m_action(std::move(action)) {}
    Defer(const Defer&) = delete;
    Defer& operator=(const Defer&) = delete;
    ~Defer() {
        if (m_armed) m_action();
    }

    // The scope succeeded: nothing to undo.
    void cancel() { m_armed = false; }

  private:
    Action m_action;
    bool m_armed = true;
};

}  // namespace deployphase
