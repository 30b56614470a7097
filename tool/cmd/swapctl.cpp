#include "cmd/swapctl.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <unistd.h>  // environ

#include <cerrno>
#include <chrono>
#include <thread>
#include <vector>

#include "kernel/system.h"

namespace swaptab::cmd {

Status wait_for_node(const std::string& path, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    struct stat st {};
    if (stat(path.c_str(), &st) == 0 && S_ISBLK(st.st_mode)) {
      return ok_status();
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return make_error(ErrorKind::kSystem, path + " did not appear (is udev running?)", ENOENT);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Status run_mkswap(const std::string& path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  std::string prog = "mkswap";
  std::string arg = path;
  std::vector<char*> argv{prog.data(), arg.data(), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, "mkswap", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return error_from_errno(rc, "cannot run mkswap");
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return error_from_errno(errno, "waiting for mkswap");
    }
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return make_error(ErrorKind::kSystem, "mkswap " + path + " failed");
  }
  return ok_status();
}

Status do_swapon(const std::string& path, std::optional<int> priority) {
  int flags = 0;
  if (priority && *priority >= 0) {
    flags = SWAP_FLAG_PREFER | ((*priority << SWAP_FLAG_PRIO_SHIFT) & SWAP_FLAG_PRIO_MASK);
  }
  if (swapon(path.c_str(), flags) != 0) {
    return error_from_errno(errno, "swapon " + path);
  }
  return ok_status();
}

Status swapoff_if_active(const std::string& path) {
  auto areas = kernel::read_proc_swaps();
  if (!areas) {
    return areas.take_error();
  }
  for (const auto& a : *areas) {
    if (a.filename == path) {
      if (swapoff(path.c_str()) != 0) {
        return error_from_errno(errno, "swapoff " + path);
      }
      return ok_status();
    }
  }
  return ok_status();
}

}  // namespace swaptab::cmd
