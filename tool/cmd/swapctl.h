// mkswap/swapon/swapoff for --swapon and --swapoff.
#pragma once

#include <optional>
#include <string>

#include "util/result.h"

namespace swaptab::cmd {

// Waits (up to timeout_ms) for udev to create the device node.
Status wait_for_node(const std::string& path, int timeout_ms = 5000);
// Runs mkswap on `path` (its chatter on stdout is discarded, errors stay on stderr).
Status run_mkswap(const std::string& path);
// swapon(2) with an optional priority (-1..32767).
Status do_swapon(const std::string& path, std::optional<int> priority);
// swapoff(2) if `path` is an active swap area; does nothing otherwise.
Status swapoff_if_active(const std::string& path);

}  // namespace swaptab::cmd
