#include "cmd/device.h"
#include "cmd/swapctl.h"
#include "nl/client.h"

namespace swaptab::cmd {

Status run_remove(const std::string& device, bool swapoff_first) {
  auto index = nl::parse_device_name(device);
  if (!index) {
    return index.take_error();
  }
  auto client = nl::Client::connect();
  if (!client) {
    return client.take_error();
  }
  if (swapoff_first) {
    if (Status st = swapoff_if_active("/dev/swaptab" + std::to_string(*index)); !st) {
      return st;
    }
  }
  return client->del(*index);
}

}  // namespace swaptab::cmd
