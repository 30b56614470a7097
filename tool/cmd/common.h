// Options shared by the reporting commands, and helpers every command uses.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "nl/types.h"
#include "out/json.h"
#include "out/prometheus.h"
#include "out/table.h"
#include "util/result.h"

namespace swaptab::cmd {

enum class Format { kTable, kJson, kPrometheus };

Result<Format> parse_format(const std::string& name);

struct OutputOptions {
  Format format = Format::kTable;
  bool headings = true;              // -n clears it
  bool raw = false;                  // --raw
  bool bytes = false;                // -b: sizes in bytes, not 4G
  bool colour = false;               // only ever set for a tty
  std::vector<std::string> columns;  // -o, already split at commas
  bool all_columns = false;          // --output-all

  out::TableStyle table_style() const { return out::TableStyle{headings, raw, colour}; }
};

// A size cell: "4G" or "4294967296" with -b.
std::string size_cell(uint64_t bytes, const OutputOptions& opts);

// The Prometheus text for one or more devices' configuration and counters.
std::string device_metrics(const std::vector<DeviceInfo>& devs);

// Every counter of a device as a JSON object keyed by stat_fields()[i].key.
out::Json stats_json(const DeviceStats& s);

}  // namespace swaptab::cmd
