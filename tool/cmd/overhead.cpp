#include "cmd/overhead.h"

#include <sstream>

#include "kernel/system.h"
#include "nl/client.h"
#include "util/size.h"

namespace swaptab::cmd {

namespace {

std::string opt_ratio(const std::optional<double>& v) {
  return v ? format_ratio(*v) : std::string("-");
}

out::Json opt_json(const std::optional<double>& v) {
  return v ? out::Json(*v) : out::Json();
}

out::Json parts_json(const std::vector<kernel::CostPart>& parts) {
  out::Json arr = out::Json::array();
  for (const auto& p : parts) {
    out::Json o = out::Json::object();
    o.set("name", p.name);
    o.set("bytes_per_slot", p.bytes_per_slot);
    o.set("source", p.why);
    arr.push(std::move(o));
  }
  return arr;
}

}  // namespace

Models load_models(const OverheadOptions& opts) {
  Models m;
  auto vmlinux =
      opts.vmlinux_btf ? kernel::Btf::parse_file(*opts.vmlinux_btf) : kernel::Btf::load_vmlinux();
  if (!vmlinux) {
    m.swap_error = vmlinux.error().message;
    m.zram_error = vmlinux.error().message;
    return m;
  }
  auto swap = kernel::model_swap_layer(*vmlinux);
  if (swap) {
    m.swap = std::move(*swap);
  } else {
    m.swap_error = swap.error().message;
  }
  // zram's entry: its module BTF if zram is a loaded module, else vmlinux (built in).
  std::optional<kernel::Btf> zram_btf;
  if (opts.zram_btf) {
    auto b = kernel::Btf::parse_split(*opts.zram_btf, *vmlinux);
    if (!b) {
      m.zram_error = b.error().message;
      return m;
    }
    zram_btf = std::move(*b);
  } else if (!opts.vmlinux_btf && kernel::module_btf_present("zram")) {
    auto b = kernel::Btf::load_module("zram", *vmlinux);
    if (!b) {
      m.zram_error = b.error().message;
      return m;
    }
    zram_btf = std::move(*b);
  }
  auto zram = kernel::model_zram(zram_btf ? *zram_btf : *vmlinux);
  if (zram) {
    m.zram = *zram;
  } else {
    m.zram_error = zram.error().message + " (is the zram module loaded?)";
  }
  return m;
}

OverheadReport gather_overhead(const Models& models) {
  OverheadReport report;
  kernel::OverheadInputs in;
  in.swap_model = models.swap;
  in.swap_model_error = models.swap_error;
  in.zram_model = models.zram;
  in.zram_model_error = models.zram_error;
  if (auto client = nl::Client::connect()) {
    if (auto devs = client->dump()) {
      in.swaptab = std::move(*devs);
    } else {
      report.notes.push_back(devs.error().message);
    }
  } else if (client.error().kind == ErrorKind::kNotLoaded) {
    report.notes.emplace_back("swaptab module not loaded: no swaptab devices");
  } else {
    report.notes.push_back(client.error().message);
  }
  in.zram = kernel::scan_zram();
  if (auto areas = kernel::read_proc_swaps()) {
    in.areas = std::move(*areas);
  } else {
    report.notes.push_back(areas.error().message);
  }
  if (!models.swap) {
    report.notes.push_back("kernel swap layer: " + models.swap_error);
  }
  report.rows = kernel::compute_overhead(in);
  report.swap_model = models.swap;
  report.zram_model = models.zram;
  return report;
}

std::string render_overhead(const OverheadReport& report, const OutputOptions& opts, bool details) {
  std::ostringstream os;
  if (opts.format == Format::kPrometheus) {
    out::Prometheus prom;
    prom.family("swaptab_overhead_slots", "Slots of the device or swap area.", "gauge");
    prom.family("swaptab_overhead_static_bytes", "Metadata paid up front, for every slot.",
                "gauge");
    prom.family("swaptab_overhead_dynamic_bytes", "Metadata that grows with stored pages.",
                "gauge");
    prom.family("swaptab_overhead_static_bytes_per_slot", "Static metadata bytes per slot.",
                "gauge");
    prom.family("swaptab_overhead_dynamic_bytes_per_page",
                "Dynamic metadata bytes per stored page (or used swap slot).", "gauge");
    for (const auto& r : report.rows) {
      const out::Labels l{{"name", r.name}, {"kind", kernel::row_kind_name(r.kind)}};
      prom.sample("swaptab_overhead_slots", l, r.slots);
      prom.sample("swaptab_overhead_static_bytes", l, r.static_bytes);
      prom.sample("swaptab_overhead_dynamic_bytes", l, r.dynamic_bytes);
      if (r.static_per_slot) {
        prom.sample("swaptab_overhead_static_bytes_per_slot", l, *r.static_per_slot);
      }
      if (r.dynamic_per_page) {
        prom.sample("swaptab_overhead_dynamic_bytes_per_page", l, *r.dynamic_per_page);
      }
    }
    prom.write(os);
    return os.str();
  }
  if (opts.format == Format::kJson) {
    out::Json rows = out::Json::array();
    for (const auto& r : report.rows) {
      out::Json o = out::Json::object();
      o.set("name", r.name);
      o.set("kind", kernel::row_kind_name(r.kind));
      o.set("slots", r.slots);
      o.set("stored", r.stored);
      o.set("static_bytes_per_slot", opt_json(r.static_per_slot));
      o.set("dynamic_bytes_per_page", opt_json(r.dynamic_per_page));
      o.set("static_bytes", r.static_bytes);
      o.set("dynamic_bytes", r.dynamic_bytes);
      o.set("total_bytes", r.total_bytes());
      o.set("total_bytes_per_slot", opt_json(r.total_per_slot()));
      o.set("note", r.note);
      rows.push(std::move(o));
    }
    out::Json root = out::Json::object();
    root.set("rows", std::move(rows));
    if (report.swap_model) {
      out::Json s = out::Json::object();
      s.set("design", report.swap_model->swap_table ? "swap_table" : "swap_map");
      s.set("cluster_slots", report.swap_model->cluster_slots);
      s.set("static_bytes_per_slot", report.swap_model->static_per_slot());
      s.set("dynamic_bytes_per_used_slot", report.swap_model->dynamic_per_used_slot());
      s.set("static_parts", parts_json(report.swap_model->static_parts));
      s.set("dynamic_parts", parts_json(report.swap_model->dynamic_parts));
      root.set("swap_layer", std::move(s));
    } else {
      root.set("swap_layer", out::Json());
    }
    if (report.zram_model) {
      out::Json z = out::Json::object();
      z.set("table_entry_size", report.zram_model->entry_size);
      root.set("zram", std::move(z));
    } else {
      root.set("zram", out::Json());
    }
    out::Json notes = out::Json::array();
    for (const auto& n : report.notes) {
      notes.push(n);
    }
    root.set("notes", std::move(notes));
    root.write(os);
    return os.str();
  }

  out::Table t({{"NAME", false},
                {"KIND", false},
                {"SLOTS", true},
                {"STORED", true},
                {"STATIC/SLOT", true},
                {"DYN/PAGE", true},
                {"STATIC", true},
                {"DYNAMIC", true},
                {"TOTAL", true},
                {"TOTAL/SLOT", true}});
  for (const auto& r : report.rows) {
    t.add_row({r.kind == kernel::RowKind::kAreaTotal ? "= " + r.name : r.name,
               kernel::row_kind_name(r.kind), std::to_string(r.slots), std::to_string(r.stored),
               opt_ratio(r.static_per_slot), opt_ratio(r.dynamic_per_page),
               size_cell(r.static_bytes, opts), size_cell(r.dynamic_bytes, opts),
               size_cell(r.total_bytes(), opts), opt_ratio(r.total_per_slot())});
  }
  if (t.rows() != 0) {
    t.render(os, opts.table_style());
  } else if (opts.headings) {
    os << "no swaptab or zram devices and no active swap areas\n";
  }
  if (opts.headings && !opts.raw) {
    if (report.swap_model) {
      const auto& m = *report.swap_model;
      os << "\nkernel swap layer (" << (m.swap_table ? "swap table" : "swap_map")
         << " design, from BTF): " << format_ratio(m.static_per_slot()) << " B/slot at swapon, "
         << format_ratio(m.dynamic_per_used_slot()) << " B per slot of a cluster in use\n";
      if (details) {
        for (const auto& p : m.static_parts) {
          os << "  static  " << p.name << ": " << format_ratio(p.bytes_per_slot) << " B/slot ("
             << p.why << ")\n";
        }
        for (const auto& p : m.dynamic_parts) {
          os << "  dynamic " << p.name << ": " << format_ratio(p.bytes_per_slot) << " B/slot ("
             << p.why << ")\n";
        }
      }
    }
    if (report.zram_model) {
      os << "zram: struct zram_table_entry is " << report.zram_model->entry_size
         << " B per slot (from BTF)\n";
    }
    for (const auto& n : report.notes) {
      os << "note: " << n << '\n';
    }
  }
  return os.str();
}

Status run_overhead(const OverheadOptions& oopts, const OutputOptions& opts, std::ostream& os) {
  const Models models = load_models(oopts);
  OverheadReport report = gather_overhead(models);
  if (!models.zram && !models.zram_error.empty()) {
    bool zram_in_use = false;
    for (const auto& r : report.rows) {
      zram_in_use = zram_in_use || r.kind == kernel::RowKind::kZram;
    }
    if (zram_in_use) {
      report.notes.push_back("zram: " + models.zram_error);
    }
  }
  os << render_overhead(report, opts, oopts.details);
  return ok_status();
}

}  // namespace swaptab::cmd
