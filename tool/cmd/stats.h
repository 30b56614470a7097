// `swaptabctl stats [DEV]`: every counter of one device or of all.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cmd/common.h"

namespace swaptab::cmd {

std::string render_stats(const std::vector<DeviceInfo>& devs, const OutputOptions& opts);

Status run_stats(const std::optional<std::string>& device, const OutputOptions& opts,
                 std::ostream& os);

// The JSON object of one device: configuration and {"stats": {...}}.
out::Json device_json(const DeviceInfo& d);

}  // namespace swaptab::cmd
