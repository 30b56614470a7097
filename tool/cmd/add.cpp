#include "cmd/device.h"
#include "cmd/swapctl.h"
#include "nl/client.h"
#include "util/size.h"

namespace swaptab::cmd {

Result<AddRequest> make_add_request(const AddOptions& opts) {
  AddRequest req;
  auto size = parse_size(opts.size);
  if (!size) {
    return size.take_error();
  }
  if (*size == 0) {
    return make_error(ErrorKind::kUsage, "invalid size '" + opts.size + "': must not be zero");
  }
  // The device works in 4 KiB slots: round up as zramctl users would expect.
  req.size = (*size + 4095) / 4096 * 4096;
  req.algorithm = opts.algorithm;
  if (opts.level) {
    req.level = *opts.level;
  }
  if (opts.mem_limit) {
    auto limit = parse_size(*opts.mem_limit);
    if (!limit) {
      return limit.take_error();
    }
    req.mem_limit = *limit;
  }
  if (opts.layout == "table") {
    req.layout = static_cast<uint32_t>(Layout::kTable);
  } else if (opts.layout == "flat") {
    req.layout = static_cast<uint32_t>(Layout::kFlat);
  } else {
    return make_error(ErrorKind::kUsage,
                      "invalid layout '" + opts.layout + "' (expected table or flat)");
  }
  if (opts.priority && !opts.swapon) {
    return make_error(ErrorKind::kUsage, "--priority needs --swapon");
  }
  return req;
}

Status run_add(const AddOptions& opts, std::ostream& os) {
  auto req = make_add_request(opts);
  if (!req) {
    return req.take_error();
  }
  auto client = nl::Client::connect();
  if (!client) {
    return client.take_error();
  }
  auto dev = client->add(*req);
  if (!dev) {
    return dev.take_error();
  }
  const std::string path = "/dev/" + dev->name;
  if (opts.swapon) {
    Status st = wait_for_node(path);
    if (st) {
      st = run_mkswap(path);
    }
    if (st) {
      st = do_swapon(path, opts.priority);
    }
    if (!st) {
      // Leave nothing half-made behind.
      (void)client->del(dev->index);
      return st;
    }
  }
  os << path << '\n';
  return ok_status();
}

}  // namespace swaptab::cmd
