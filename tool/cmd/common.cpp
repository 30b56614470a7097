#include "cmd/common.h"

#include <sstream>

#include "util/size.h"

namespace swaptab::cmd {

Result<Format> parse_format(const std::string& name) {
  if (name == "table" || name == "text") {
    return Format::kTable;
  }
  if (name == "json") {
    return Format::kJson;
  }
  if (name == "prometheus" || name == "prom") {
    return Format::kPrometheus;
  }
  return make_error(ErrorKind::kUsage,
                    "unknown format '" + name + "' (expected table, json or prometheus)");
}

std::string size_cell(uint64_t bytes, const OutputOptions& opts) {
  return opts.bytes ? std::to_string(bytes) : human_size(bytes);
}

std::string device_metrics(const std::vector<DeviceInfo>& devs) {
  out::Prometheus prom;
  prom.family("swaptab_device_info", "Configuration of a swaptab device (value is always 1).",
              "gauge");
  prom.family("swaptab_disksize_bytes", "Disk size of the device.", "gauge");
  prom.family("swaptab_mem_limit_bytes", "Pool memory limit, 0 for none.", "gauge");
  prom.family("swaptab_openers", "How many times the block device is open.", "gauge");
  for (const StatField& f : stat_fields()) {
    const std::string name = std::string("swaptab_") + f.key + (f.monotonic ? "_total" : "");
    prom.family(name, f.help, f.monotonic ? "counter" : "gauge");
  }
  for (const DeviceInfo& d : devs) {
    const out::Labels dev{{"device", d.name}};
    prom.sample("swaptab_device_info",
                {{"device", d.name},
                 {"algorithm", d.algorithm},
                 {"level", std::to_string(d.level)},
                 {"layout", layout_name(d.layout)}},
                uint64_t{1});
    prom.sample("swaptab_disksize_bytes", dev, d.size);
    prom.sample("swaptab_mem_limit_bytes", dev, d.mem_limit);
    prom.sample("swaptab_openers", dev, uint64_t{d.openers});
    if (!d.has_stats) {
      continue;
    }
    for (const StatField& f : stat_fields()) {
      const std::string name = std::string("swaptab_") + f.key + (f.monotonic ? "_total" : "");
      prom.sample(name, dev, d.stats.*f.field);
    }
  }
  std::ostringstream os;
  prom.write(os);
  return os.str();
}

out::Json stats_json(const DeviceStats& s) {
  out::Json obj = out::Json::object();
  for (const StatField& f : stat_fields()) {
    obj.set(f.key, s.*f.field);
  }
  return obj;
}

}  // namespace swaptab::cmd
