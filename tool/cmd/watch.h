// `swaptabctl watch`: counters, rates and overhead refreshed at an interval, like top.
#pragma once

#include <map>
#include <ostream>
#include <vector>

#include "cmd/common.h"
#include "cmd/overhead.h"

namespace swaptab::cmd {

struct WatchOptions {
  double interval = 1.0;  // seconds
  int iterations = 0;     // 0 = until q or Ctrl-C
  OverheadOptions overhead;
};

// One frame: the device table with rates since `prev` (taken `dt` seconds earlier), then the
// overhead table.
std::string render_watch_frame(const std::vector<DeviceInfo>& devs,
                               const std::map<uint32_t, DeviceStats>& prev, double dt,
                               const OverheadReport& overhead, const OutputOptions& opts);

Status run_watch(const WatchOptions& wopts, const OutputOptions& opts, std::ostream& os);

}  // namespace swaptab::cmd
