#include "kernel/overhead.h"

#include <cmath>

namespace swaptab::kernel {

namespace {

std::string base_name(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

uint64_t round_bytes(double v) {
  return v <= 0 ? 0 : static_cast<uint64_t>(std::llround(v));
}

}  // namespace

const char* row_kind_name(RowKind kind) {
  switch (kind) {
    case RowKind::kSwaptab:
      return "swaptab";
    case RowKind::kZram:
      return "zram";
    case RowKind::kSwapLayer:
      return "swap";
    case RowKind::kAreaTotal:
      return "total";
  }
  return "?";
}

std::optional<double> OverheadRow::total_per_slot() const {
  if (slots == 0) {
    return std::nullopt;
  }
  return static_cast<double>(total_bytes()) / static_cast<double>(slots);
}

OverheadRow swaptab_row(const DeviceInfo& dev, uint64_t page_size) {
  OverheadRow r;
  r.name = dev.name;
  r.kind = RowKind::kSwaptab;
  r.slots = page_size != 0 ? dev.size / page_size : 0;
  const DeviceStats& s = dev.stats;
  r.stored = s.stored_pages;
  r.static_bytes = s.meta_static_bytes;
  r.dynamic_bytes = s.meta_dynamic_bytes;
  if (r.slots != 0) {
    r.static_per_slot = static_cast<double>(s.meta_static_bytes) / static_cast<double>(r.slots);
  }
  if (s.stored_pages != 0) {
    r.dynamic_per_page = static_cast<double>(r.dynamic_bytes) / static_cast<double>(s.stored_pages);
  }
  r.note = std::string("layout ") + layout_name(dev.layout) + ", from the device's counters";
  if (!dev.has_stats) {
    r.note = "the device reported no counters";
  }
  return r;
}

std::vector<OverheadRow> compute_overhead(const OverheadInputs& in) {
  std::vector<OverheadRow> rows;
  for (const DeviceInfo& dev : in.swaptab) {
    rows.push_back(swaptab_row(dev, in.page_size));
  }
  for (const ZramDevice& z : in.zram) {
    if (z.disksize == 0) {
      continue;  // not initialised: no table yet
    }
    OverheadRow r;
    r.name = z.name;
    r.kind = RowKind::kZram;
    r.slots = z.disksize / in.page_size;
    r.stored = z.orig_bytes / in.page_size;
    if (in.zram_model) {
      r.static_per_slot = in.zram_model->entry_size;
      r.static_bytes = r.slots * in.zram_model->entry_size;
      r.dynamic_per_page = 0.0;
      r.note = "sizeof(struct zram_table_entry) = " + std::to_string(in.zram_model->entry_size) +
               " B from BTF";
    } else {
      r.note = "entry size unknown: " + in.zram_model_error;
    }
    rows.push_back(std::move(r));
  }
  const size_t device_rows = rows.size();
  for (const SwapArea& a : in.areas) {
    OverheadRow layer;
    layer.name = a.filename;
    layer.kind = RowKind::kSwapLayer;
    layer.slots = a.size_kib * 1024 / in.page_size;
    layer.stored = a.used_kib * 1024 / in.page_size;
    if (in.swap_model) {
      const double st = in.swap_model->static_per_slot();
      const double dyn = in.swap_model->dynamic_per_used_slot();
      layer.static_per_slot = st;
      layer.dynamic_per_page = dyn;
      layer.static_bytes = round_bytes(st * static_cast<double>(layer.slots));
      layer.dynamic_bytes = round_bytes(dyn * static_cast<double>(layer.stored));
      layer.note =
          in.swap_model->swap_table ? "swap table design (from BTF)" : "swap_map design (from BTF)";
    } else {
      layer.note = "swap layer unknown: " + in.swap_model_error;
    }
    // The device backing this area, if we know it.
    const std::string dev = base_name(a.filename);
    const OverheadRow* backing = nullptr;
    for (size_t i = 0; i < device_rows; ++i) {
      if (rows[i].name == dev) {
        backing = &rows[i];
      }
    }
    OverheadRow total;
    total.name = a.filename;
    total.kind = RowKind::kAreaTotal;
    total.slots = layer.slots;
    total.stored = layer.stored;
    total.static_bytes = layer.static_bytes;
    total.dynamic_bytes = layer.dynamic_bytes;
    total.note = "swap layer";
    if (backing != nullptr) {
      total.static_bytes += backing->static_bytes;
      total.dynamic_bytes += backing->dynamic_bytes;
      total.note += std::string(" + ") + row_kind_name(backing->kind) + " " + backing->name;
    }
    if (total.slots != 0) {
      total.static_per_slot =
          static_cast<double>(total.static_bytes) / static_cast<double>(total.slots);
    }
    if (total.stored != 0) {
      total.dynamic_per_page =
          static_cast<double>(total.dynamic_bytes) / static_cast<double>(total.stored);
    }
    rows.push_back(std::move(layer));
    rows.push_back(std::move(total));
  }
  return rows;
}

}  // namespace swaptab::kernel
