// `swaptabctl list`: one row per device, zramctl's columns plus the metadata columns.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cmd/common.h"
#include "nl/types.h"
#include "util/result.h"

namespace swaptab::cmd {

struct ListColumnInfo {
  const char* name;
  const char* help;
  bool default_on;
};

// Every column, in display order when --output-all.
const std::vector<ListColumnInfo>& list_columns();

// Renders devices (already fetched) in the requested format.
Result<std::string> render_list(const std::vector<DeviceInfo>& devs, const OutputOptions& opts);

Status run_list(const OutputOptions& opts, std::ostream& os);

}  // namespace swaptab::cmd
