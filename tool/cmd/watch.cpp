#include "cmd/watch.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <ctime>
#include <optional>
#include <sstream>

#include "cmd/live.h"
#include "kernel/overhead.h"
#include "nl/client.h"
#include "util/size.h"

namespace swaptab::cmd {

namespace {

std::string rate(uint64_t now, uint64_t before, double dt) {
  if (dt <= 0 || now < before) {
    return "-";
  }
  const double r = static_cast<double>(now - before) / dt;
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.0f", r);
  return buf;
}

std::string clock_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
  return buf;
}

}  // namespace

std::string render_watch_frame(const std::vector<DeviceInfo>& devs,
                               const std::map<uint32_t, DeviceStats>& prev, double dt,
                               const OverheadReport& overhead, const OutputOptions& opts) {
  std::ostringstream os;
  out::Table t({{"NAME", false},
                {"DISKSIZE", true},
                {"PAGES", true},
                {"DATA", true},
                {"COMPR", true},
                {"RATIO", true},
                {"POOL", true},
                {"META", true},
                {"B/SLOT", true},
                {"READS/s", true},
                {"WRITES/s", true},
                {"FREES/s", true}});
  for (const auto& d : devs) {
    const DeviceStats& s = d.stats;
    const auto it = prev.find(d.index);
    const DeviceStats before = it != prev.end() ? it->second : s;
    const double ratio =
        s.compr_bytes != 0 ? static_cast<double>(s.orig_bytes) / static_cast<double>(s.compr_bytes)
                           : 0.0;
    const auto row = kernel::swaptab_row(d, 4096);
    t.add_row({d.name, size_cell(d.size, opts), std::to_string(s.stored_pages),
               size_cell(s.orig_bytes, opts), size_cell(s.compr_bytes, opts),
               s.compr_bytes != 0 ? format_ratio(ratio) : "-", size_cell(s.pool_bytes, opts),
               size_cell(s.meta_static_bytes + s.meta_dynamic_bytes, opts),
               row.total_per_slot() ? format_ratio(*row.total_per_slot()) : "-",
               it != prev.end() ? rate(s.reads, before.reads, dt) : "-",
               it != prev.end() ? rate(s.writes, before.writes, dt) : "-",
               it != prev.end()
                   ? rate(s.notify_free + s.discards, before.notify_free + before.discards, dt)
                   : "-"});
  }
  if (t.rows() != 0) {
    t.render(os, opts.table_style());
  } else {
    os << "no swaptab devices\n";
  }
  os << '\n';
  os << render_overhead(overhead, opts, false);
  return os.str();
}

Status run_watch(const WatchOptions& wopts, const OutputOptions& opts, std::ostream& os) {
  if (!(wopts.interval > 0) || wopts.interval > 3600) {
    return make_error(ErrorKind::kUsage, "--interval must be between 0 and 3600 seconds");
  }
  auto sig = SignalFd::create();
  if (!sig) {
    return sig.take_error();
  }
  const Models models = load_models(wopts.overhead);
  const TerminalGuard term(STDIN_FILENO, STDOUT_FILENO);
  std::optional<nl::Client> client;
  std::map<uint32_t, DeviceStats> prev;
  auto prev_time = std::chrono::steady_clock::now();
  for (int iter = 0; wopts.iterations == 0 || iter < wopts.iterations; ++iter) {
    std::vector<DeviceInfo> devs;
    std::string problem;
    if (!client) {
      if (auto c = nl::Client::connect()) {
        client.emplace(std::move(*c));
      } else {
        problem = c.error().message;
      }
    }
    if (client) {
      if (auto d = client->dump()) {
        devs = std::move(*d);
      } else {
        problem = d.error().message;
        client.reset();
      }
    }
    const auto now = std::chrono::steady_clock::now();
    const double dt = std::chrono::duration<double>(now - prev_time).count();
    OverheadReport report = gather_overhead(models);
    std::ostringstream frame;
    frame << "swaptabctl watch - every " << wopts.interval << "s - " << clock_now()
          << (term.active() ? " - q to quit" : "") << "\n\n";
    if (!problem.empty()) {
      frame << problem << "\n\n";
    }
    frame << render_watch_frame(devs, prev, dt, report, opts);
    if (term.active()) {
      os << "\033[H\033[2J" << frame.str() << std::flush;
    } else {
      os << frame.str() << "\n" << std::flush;
    }
    prev.clear();
    for (const auto& d : devs) {
      prev[d.index] = d.stats;
    }
    prev_time = now;
    if (wopts.iterations != 0 && iter + 1 >= wopts.iterations) {
      break;
    }
    // Sleep until the next tick, a key, or a signal.
    const auto deadline =
        now + std::chrono::milliseconds(static_cast<int64_t>(wopts.interval * 1000));
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            deadline - std::chrono::steady_clock::now())
                            .count();
      if (left <= 0) {
        break;
      }
      pollfd fds[2] = {{sig->fd(), POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
      const nfds_t nfds = term.active() ? 2 : 1;
      const int n = poll(fds, nfds, static_cast<int>(left));
      if (n < 0 && errno != EINTR) {
        return error_from_errno(errno, "poll");
      }
      if (n <= 0) {
        continue;
      }
      if ((fds[0].revents & POLLIN) != 0) {
        return ok_status();  // Ctrl-C, SIGTERM or SIGHUP: the guards restore everything
      }
      if (nfds == 2 && (fds[1].revents & POLLIN) != 0) {
        char c = 0;
        if (::read(STDIN_FILENO, &c, 1) == 1 && (c == 'q' || c == 'Q')) {
          return ok_status();
        }
      }
    }
  }
  return ok_status();
}

}  // namespace swaptab::cmd
