#include "cmd/device.h"
#include "cmd/swapctl.h"

namespace swaptab::cmd {

Status run_remove(const std::string& device, bool swapoff_first) {
  auto target = connect_to(device);
  if (!target) {
    return target.take_error();
  }
  if (swapoff_first) {
    if (Status st = swapoff_if_active("/dev/swaptab" + std::to_string(target->index)); !st) {
      return st;
    }
  }
  return target->client.del(target->index);
}

}  // namespace swaptab::cmd
