// The mutating commands: add, remove, reset, set.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "nl/client.h"
#include "nl/types.h"
#include "util/result.h"

namespace swaptab::cmd {

struct AddOptions {
  std::string size;
  std::optional<std::string> algorithm;
  std::optional<int> level;
  std::optional<std::string> mem_limit;
  std::string layout = "table";
  bool swapon = false;
  std::optional<int> priority;
};

// Validates options into a request (sizes parsed, layout mapped); usage errors otherwise.
Result<AddRequest> make_add_request(const AddOptions& opts);
Status run_add(const AddOptions& opts, std::ostream& os);

// The device a command line names, and a client connected to the family.
struct Target {
  nl::Client client;
  uint32_t index;
};
Result<Target> connect_to(const std::string& device);

Status run_remove(const std::string& device, bool swapoff_first);
Status run_reset(const std::string& device);

struct SetOptions {
  std::string device;
  std::optional<std::string> mem_limit;
  std::optional<std::string> algorithm;
  std::optional<int> level;
};

Result<SetRequest> make_set_request(const SetOptions& opts);
Status run_set(const SetOptions& opts);

}  // namespace swaptab::cmd
