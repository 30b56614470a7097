#include "cmd/device.h"
#include "nl/client.h"
#include "util/size.h"

namespace swaptab::cmd {

Result<SetRequest> make_set_request(const SetOptions& opts) {
  auto index = nl::parse_device_name(opts.device);
  if (!index) {
    return index.take_error();
  }
  SetRequest req;
  req.index = *index;
  if (opts.mem_limit) {
    auto limit = parse_size(*opts.mem_limit);
    if (!limit) {
      return limit.take_error();
    }
    req.mem_limit = *limit;
  }
  req.algorithm = opts.algorithm;
  if (opts.level) {
    req.level = *opts.level;
  }
  if (!req.mem_limit && !req.algorithm && !req.level) {
    return make_error(ErrorKind::kUsage,
                      "nothing to set: give --mem-limit, --algorithm or --level");
  }
  return req;
}

Status run_set(const SetOptions& opts) {
  auto req = make_set_request(opts);
  if (!req) {
    return req.take_error();
  }
  auto client = nl::Client::connect();
  if (!client) {
    return client.take_error();
  }
  return client->set(*req);
}

}  // namespace swaptab::cmd
