// `swaptabctl monitor`: add/del events from the family's "events" group as they happen.
#pragma once

#include <ostream>
#include <string>

#include "nl/types.h"
#include "util/result.h"

namespace swaptab::cmd {

struct MonitorOptions {
  bool json = false;   // one JSON object per line
  int count = 0;       // exit after this many events; 0 = until Ctrl-C
  double timeout = 0;  // seconds; exit when they pass, 0 = never
};

std::string format_event(const Event& e, bool json);

Status run_monitor(const MonitorOptions& opts, std::ostream& os);

}  // namespace swaptab::cmd
