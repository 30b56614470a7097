#include "cmd/device.h"

namespace swaptab::cmd {

Status run_reset(const std::string& device) {
  auto target = connect_to(device);
  if (!target) {
    return target.take_error();
  }
  return target->client.reset(target->index);
}

}  // namespace swaptab::cmd
