#pragma once
// An owned file descriptor, closed when it goes out of scope whichever way the scope ends (a
// return, an exception): the one way the core holds a descriptor.

#include <unistd.h>

#include <utility>

namespace deployphase {

class Fd {
  public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(Fd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    Fd& operator=(Fd&& other) noexcept {
        reset(std::exchange(other.m_fd, -1));
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }

    int get() const { return m_fd; }
    explicit operator bool() const { return m_fd >= 0; }

    // Closes it now, with close()'s result: after writes that must have worked (a file about to
    // be renamed into place), a failed close is a failed write.
    int close() { return m_fd >= 0 ? ::close(std::exchange(m_fd, -1)) : 0; }
    void reset(int fd = -1) {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = fd;
    }

  private:
    int m_fd = -1;
};

}  // namespace deployphase
