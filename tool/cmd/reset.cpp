#include "cmd/device.h"
#include "nl/client.h"

namespace swaptab::cmd {

Status run_reset(const std::string& device) {
  auto index = nl::parse_device_name(device);
  if (!index) {
    return index.take_error();
  }
  auto client = nl::Client::connect();
  if (!client) {
    return client.take_error();
  }
  return client->reset(*index);
}

}  // namespace swaptab::cmd
