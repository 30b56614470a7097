#include "cmd/stats.h"

#include <sstream>

#include "nl/client.h"
#include "util/size.h"

namespace swaptab::cmd {

out::Json device_json(const DeviceInfo& d) {
  out::Json obj = out::Json::object();
  obj.set("index", d.index);
  obj.set("name", d.name);
  obj.set("disksize", d.size);
  obj.set("algorithm", d.algorithm);
  obj.set("level", int64_t{d.level});
  obj.set("mem_limit", d.mem_limit);
  obj.set("layout", layout_name(d.layout));
  obj.set("openers", d.openers);
  obj.set("stats", stats_json(d.stats));
  return obj;
}

std::string render_stats(const std::vector<DeviceInfo>& devs, const OutputOptions& opts) {
  std::ostringstream os;
  if (opts.format == Format::kPrometheus) {
    return device_metrics(devs);
  }
  if (opts.format == Format::kJson) {
    out::Json arr = out::Json::array();
    for (const auto& d : devs) {
      arr.push(device_json(d));
    }
    out::Json root = out::Json::object();
    root.set("devices", std::move(arr));
    root.write(os);
    return os.str();
  }
  bool first = true;
  for (const auto& d : devs) {
    if (!first) {
      os << '\n';
    }
    first = false;
    const std::string title = "/dev/" + d.name;
    if (opts.colour) {
      os << "\033[1m" << title << "\033[0m";
    } else {
      os << title;
    }
    os << ": " << size_cell(d.size, opts) << ", " << (d.algorithm.empty() ? "-" : d.algorithm)
       << " level " << d.level << ", layout " << layout_name(d.layout) << ", mem-limit "
       << (d.mem_limit != 0 ? size_cell(d.mem_limit, opts) : std::string("none")) << ", open "
       << d.openers << "\n";
    out::Table t({{"COUNTER", false}, {"VALUE", true}});
    for (const StatField& f : stat_fields()) {
      const uint64_t v = d.stats.*f.field;
      t.add_row({f.key, f.bytes ? size_cell(v, opts) : std::to_string(v)});
    }
    out::TableStyle style = opts.table_style();
    style.headings = false;
    std::ostringstream body;
    t.render(body, style);
    std::istringstream lines(body.str());
    std::string line;
    while (std::getline(lines, line)) {
      os << "  " << line << '\n';
    }
  }
  return os.str();
}

Status run_stats(const std::optional<std::string>& device, const OutputOptions& opts,
                 std::ostream& os) {
  std::optional<uint32_t> index;
  if (device) {
    auto i = nl::parse_device_name(*device);
    if (!i) {
      return i.take_error();
    }
    index = *i;
  }
  auto client = nl::Client::connect();
  if (!client) {
    return client.take_error();
  }
  std::vector<DeviceInfo> devs;
  if (index) {
    auto d = client->get(*index);
    if (!d) {
      return d.take_error();
    }
    devs.push_back(std::move(*d));
  } else {
    auto all = client->dump();
    if (!all) {
      return all.take_error();
    }
    devs = std::move(*all);
  }
  os << render_stats(devs, opts);
  return ok_status();
}

}  // namespace swaptab::cmd
