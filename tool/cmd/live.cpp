#include "cmd/live.h"

#include <sys/signalfd.h>
#include <unistd.h>
#include <csignal>

#include <cerrno>
#include <cstring>

namespace swaptab::cmd {

Result<SignalFd> SignalFd::create() {
  SignalFd s;
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGHUP);
  if (sigprocmask(SIG_BLOCK, &mask, &s.old_) != 0) {
    return error_from_errno(errno, "cannot block signals");
  }
  s.active_ = true;
  s.fd_ = UniqueFd(signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!s.fd_.valid()) {
    return error_from_errno(errno, "cannot create a signalfd");
  }
  return s;
}

SignalFd::SignalFd(SignalFd&& o) noexcept
    : fd_(std::move(o.fd_)), old_(o.old_), active_(std::exchange(o.active_, false)) {}

SignalFd::~SignalFd() {
  if (active_) {
    sigprocmask(SIG_SETMASK, &old_, nullptr);
  }
}

namespace {
constexpr char kEnterScreen[] = "\033[?1049h\033[?25l";
constexpr char kLeaveScreen[] = "\033[?25h\033[?1049l";

void write_all(int fd, const char* s) {
  size_t len = std::strlen(s);
  while (len > 0) {
    const ssize_t n = ::write(fd, s, len);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) {
        continue;
      }
      return;
    }
    s += n;
    len -= static_cast<size_t>(n);
  }
}
}  // namespace

TerminalGuard::TerminalGuard(int in_fd, int out_fd) : in_fd_(in_fd), out_fd_(out_fd) {
  if (isatty(in_fd_) != 1 || isatty(out_fd_) != 1 || tcgetattr(in_fd_, &saved_) != 0) {
    return;
  }
  termios raw = saved_;
  raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
  raw.c_cc[VMIN] = 0;
  raw.c_cc[VTIME] = 0;
  if (tcsetattr(in_fd_, TCSANOW, &raw) != 0) {
    return;
  }
  active_ = true;
  write_all(out_fd_, kEnterScreen);
}

TerminalGuard::~TerminalGuard() {
  if (active_) {
    write_all(out_fd_, kLeaveScreen);
    tcsetattr(in_fd_, TCSANOW, &saved_);
  }
}

}  // namespace swaptab::cmd
