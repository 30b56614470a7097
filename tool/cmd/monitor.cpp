#include "cmd/monitor.h"

#include <poll.h>

#include <cerrno>
#include <chrono>
#include <iostream>

#include "cmd/live.h"
#include "nl/client.h"
#include "out/json.h"
#include "util/size.h"

namespace swaptab::cmd {

std::string format_event(const Event& e, bool json) {
  const char* what = e.type == Event::Type::kAdd ? "add" : "del";
  if (json) {
    out::Json o = out::Json::object();
    o.set("event", what);
    o.set("index", e.index);
    o.set("name", e.name);
    if (e.size) {
      o.set("disksize", *e.size);
    }
    return o.dump(false) + "\n";
  }
  std::string line = std::string(what) + " /dev/" + e.name;
  if (e.size) {
    line += " disksize " + human_size(*e.size);
  }
  return line + "\n";
}

Status run_monitor(const MonitorOptions& opts, std::ostream& os) {
  auto sig = SignalFd::create();
  if (!sig) {
    return sig.take_error();
  }
  auto client = nl::Client::connect();
  if (!client) {
    return client.take_error();
  }
  if (Status st = client->subscribe_events(); !st) {
    return st;
  }
  // On stderr, so scripts can wait for it before making the changes they want to see.
  std::cerr << "swaptabctl: listening for swaptab add/del events\n" << std::flush;
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(opts.timeout * 1000));
  int seen = 0;
  for (;;) {
    int wait_ms = -1;
    if (opts.timeout > 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        return ok_status();
      }
      wait_ms = static_cast<int>(left.count());
    }
    pollfd fds[2] = {{sig->fd(), POLLIN, 0}, {client->fd(), POLLIN, 0}};
    const int n = poll(fds, 2, wait_ms);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return error_from_errno(errno, "poll");
    }
    if ((fds[0].revents & POLLIN) != 0) {
      return ok_status();
    }
    if ((fds[1].revents & POLLIN) == 0) {
      continue;
    }
    auto events = client->read_events();
    if (!events) {
      if (events.error().err == ENOBUFS) {
        // The socket overran: some events are lost, the stream goes on.
        std::cerr << "swaptabctl: monitor: events lost (receive buffer overrun)\n";
        continue;
      }
      return events.take_error();
    }
    for (const Event& e : *events) {
      os << format_event(e, opts.json) << std::flush;
      if (opts.count != 0 && ++seen >= opts.count) {
        return ok_status();
      }
    }
  }
}

}  // namespace swaptab::cmd
