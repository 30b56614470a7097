#include "cmd/device.h"

namespace swaptab::cmd {

Result<Target> connect_to(const std::string& device) {
  auto index = nl::parse_device_name(device);
  if (!index) {
    return index.take_error();
  }
  auto client = nl::Client::connect();
  if (!client) {
    return client.take_error();
  }
  return Target{std::move(*client), *index};
}

}  // namespace swaptab::cmd
