#include "cmd/list.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <sstream>
#include <variant>

#include "kernel/overhead.h"
#include "nl/client.h"
#include "util/size.h"

namespace swaptab::cmd {

namespace {

// A cell's value before formatting: a size in bytes, a plain number, a ratio or text.
struct Size {
  uint64_t bytes;
};
using Value = std::variant<Size, uint64_t, int64_t, double, std::string>;

struct ColumnImpl {
  ListColumnInfo info;
  bool right;
  std::function<Value(const DeviceInfo&)> get;
};

uint64_t page_size() {
  return 4096;
}

const std::vector<ColumnImpl>& columns() {
  static const std::vector<ColumnImpl> kColumns = {
      {{"NAME", "device name", true},
       false,
       [](const DeviceInfo& d) -> Value { return "/dev/" + d.name; }},
      {{"DISKSIZE", "disk size", true},
       true,
       [](const DeviceInfo& d) -> Value { return Size{d.size}; }},
      {{"DATA", "uncompressed size of stored data", true},
       true,
       [](const DeviceInfo& d) -> Value { return Size{d.stats.orig_bytes}; }},
      {{"COMPR", "compressed size of stored data", true},
       true,
       [](const DeviceInfo& d) -> Value { return Size{d.stats.compr_bytes}; }},
      {{"ALGORITHM", "compression algorithm", true},
       false,
       [](const DeviceInfo& d) -> Value { return d.algorithm; }},
      {{"TOTAL", "all memory used: pool, metadata and the device's fixed part", true},
       true,
       [](const DeviceInfo& d) -> Value {
         return Size{d.stats.pool_bytes + d.stats.meta_static_bytes + d.stats.meta_dynamic_bytes +
                     d.stats.fixed_bytes};
       }},
      {{"MEM-LIMIT", "pool memory limit (0 = none)", true},
       true,
       [](const DeviceInfo& d) -> Value { return Size{d.mem_limit}; }},
      {{"META-STATIC", "metadata allocated at creation", true},
       true,
       [](const DeviceInfo& d) -> Value { return Size{d.stats.meta_static_bytes}; }},
      {{"META-DYN", "metadata that grows with use", true},
       true,
       [](const DeviceInfo& d) -> Value { return Size{d.stats.meta_dynamic_bytes}; }},
      {{"B/SLOT", "metadata bytes per slot", true},
       true,
       [](const DeviceInfo& d) -> Value {
         const auto row = kernel::swaptab_row(d, page_size());
         return row.total_per_slot().value_or(0.0);
       }},
      {{"LEVEL", "compression level (0 = default)", false},
       true,
       [](const DeviceInfo& d) -> Value { return int64_t{d.level}; }},
      {{"LAYOUT", "metadata layout: table or flat", false},
       false,
       [](const DeviceInfo& d) -> Value { return std::string(layout_name(d.layout)); }},
      {{"OPENERS", "how many times the device is open", false},
       true,
       [](const DeviceInfo& d) -> Value { return uint64_t{d.openers}; }},
      {{"PAGES", "pages stored", false},
       true,
       [](const DeviceInfo& d) -> Value { return d.stats.stored_pages; }},
      {{"SAME-PAGES", "same-filled pages kept in the slot", false},
       true,
       [](const DeviceInfo& d) -> Value { return d.stats.same_pages; }},
      {{"HUGE-PAGES", "incompressible pages stored raw", false},
       true,
       [](const DeviceInfo& d) -> Value { return d.stats.huge_pages; }},
      {{"MEM-USED", "pool memory used now", false},
       true,
       [](const DeviceInfo& d) -> Value { return Size{d.stats.pool_bytes}; }},
      {{"MEM-PEAK", "peak pool memory", false},
       true,
       [](const DeviceInfo& d) -> Value { return Size{d.stats.pool_peak_bytes}; }},
      {{"CLUSTERS", "clusters with a table", false},
       true,
       [](const DeviceInfo& d) -> Value { return d.stats.clusters_used; }},
  };
  return kColumns;
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

Result<std::vector<const ColumnImpl*>> select_columns(const OutputOptions& opts) {
  std::vector<const ColumnImpl*> sel;
  const auto& all = columns();
  bool append = false;
  if (opts.all_columns) {
    for (const auto& c : all) {
      sel.push_back(&c);
    }
    return sel;
  }
  if (!opts.columns.empty() && !opts.columns.front().empty() && opts.columns.front()[0] == '+') {
    append = true;  // -o +COL adds to the defaults, as in util-linux
  }
  if (opts.columns.empty() || append) {
    for (const auto& c : all) {
      if (c.info.default_on) {
        sel.push_back(&c);
      }
    }
  }
  for (size_t i = 0; i < opts.columns.size(); ++i) {
    std::string name = opts.columns[i];
    if (i == 0 && append) {
      name.erase(0, 1);
    }
    name = upper(name);
    const auto it = std::find_if(all.begin(), all.end(),
                                 [&](const ColumnImpl& c) { return name == c.info.name; });
    if (it == all.end()) {
      return make_error(ErrorKind::kUsage,
                        "unknown column: " + opts.columns[i] + " (see swaptabctl list --help)");
    }
    sel.push_back(&*it);
  }
  return sel;
}

std::string text_of(const Value& v, const OutputOptions& opts) {
  if (const auto* s = std::get_if<Size>(&v)) {
    return size_cell(s->bytes, opts);
  }
  if (const auto* u = std::get_if<uint64_t>(&v)) {
    return std::to_string(*u);
  }
  if (const auto* i = std::get_if<int64_t>(&v)) {
    return std::to_string(*i);
  }
  if (const auto* d = std::get_if<double>(&v)) {
    return format_ratio(*d);
  }
  return std::get<std::string>(v);
}

out::Json json_of(const Value& v) {
  if (const auto* s = std::get_if<Size>(&v)) {
    return s->bytes;
  }
  if (const auto* u = std::get_if<uint64_t>(&v)) {
    return *u;
  }
  if (const auto* i = std::get_if<int64_t>(&v)) {
    return *i;
  }
  if (const auto* d = std::get_if<double>(&v)) {
    return *d;
  }
  return std::get<std::string>(v);
}

}  // namespace

const std::vector<ListColumnInfo>& list_columns() {
  static const std::vector<ListColumnInfo> kInfo = [] {
    std::vector<ListColumnInfo> v;
    for (const auto& c : columns()) {
      v.push_back(c.info);
    }
    return v;
  }();
  return kInfo;
}

Result<std::string> render_list(const std::vector<DeviceInfo>& devs, const OutputOptions& opts) {
  std::ostringstream os;
  if (opts.format == Format::kPrometheus) {
    return device_metrics(devs);
  }
  auto sel = select_columns(opts);
  if (!sel) {
    return sel.take_error();
  }
  if (opts.format == Format::kJson) {
    out::Json arr = out::Json::array();
    for (const auto& d : devs) {
      out::Json obj = out::Json::object();
      for (const ColumnImpl* c : *sel) {
        obj.set(lower(c->info.name), json_of(c->get(d)));
      }
      arr.push(std::move(obj));
    }
    out::Json root = out::Json::object();
    root.set("devices", std::move(arr));
    root.write(os);
    return os.str();
  }
  std::vector<out::Column> cols;
  for (const ColumnImpl* c : *sel) {
    cols.push_back(out::Column{c->info.name, c->right});
  }
  out::Table table(std::move(cols));
  for (const auto& d : devs) {
    std::vector<std::string> cells;
    for (const ColumnImpl* c : *sel) {
      cells.push_back(text_of(c->get(d), opts));
    }
    table.add_row(std::move(cells));
  }
  // Like zramctl: an empty list prints nothing at all, not even headings.
  if (table.rows() != 0) {
    table.render(os, opts.table_style());
  }
  return os.str();
}

Status run_list(const OutputOptions& opts, std::ostream& os) {
  auto client = nl::Client::connect();
  if (!client) {
    return client.take_error();
  }
  auto devs = client->dump();
  if (!devs) {
    return devs.take_error();
  }
  auto text = render_list(*devs, opts);
  if (!text) {
    return text.take_error();
  }
  os << *text;
  return ok_status();
}

}  // namespace swaptab::cmd
