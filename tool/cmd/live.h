// Helpers of the live commands (watch, monitor): signals as an fd, a raw terminal.
#pragma once

#include <termios.h>

#include "util/fd.h"
#include "util/result.h"

namespace swaptab::cmd {

// Blocks SIGINT/SIGTERM/SIGHUP and delivers them through a signalfd; restores the mask on
// destruction.
class SignalFd {
 public:
  static Result<SignalFd> create();
  SignalFd(SignalFd&& o) noexcept;
  SignalFd& operator=(SignalFd&&) = delete;
  SignalFd(const SignalFd&) = delete;
  SignalFd& operator=(const SignalFd&) = delete;
  ~SignalFd();
  int fd() const { return fd_.get(); }

 private:
  SignalFd() = default;
  UniqueFd fd_;
  sigset_t old_{};
  bool active_ = false;
};

// Puts a tty into non-canonical, no-echo mode on the alternate screen; restores it all on
// destruction (also after errors), so `q` and Ctrl-C leave a clean terminal.
class TerminalGuard {
 public:
  explicit TerminalGuard(int in_fd, int out_fd);
  TerminalGuard(const TerminalGuard&) = delete;
  TerminalGuard& operator=(const TerminalGuard&) = delete;
  TerminalGuard(TerminalGuard&&) = delete;
  TerminalGuard& operator=(TerminalGuard&&) = delete;
  ~TerminalGuard();
  bool active() const { return active_; }

 private:
  int in_fd_;
  int out_fd_;
  termios saved_{};
  bool active_ = false;
};

}  // namespace swaptab::cmd
