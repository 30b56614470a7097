// The per-slot overhead table: swaptab devices (from their counters), zram devices and the
// kernel's swap areas (from the BTF models). Pure: inputs in, rows out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernel/model.h"
#include "kernel/system.h"
#include "nl/types.h"

namespace swaptab::kernel {

enum class RowKind { kSwaptab, kZram, kSwapLayer, kAreaTotal };

const char* row_kind_name(RowKind kind);

struct OverheadRow {
  std::string name;  // swaptab0, zram0, or the swap area's file name
  RowKind kind = RowKind::kSwaptab;
  uint64_t slots = 0;
  uint64_t stored = 0;                     // pages stored (devices) or slots used (swap layer)
  std::optional<double> static_per_slot;   // bytes per slot, paid up front
  std::optional<double> dynamic_per_page;  // bytes per stored page / used slot
  uint64_t static_bytes = 0;
  uint64_t dynamic_bytes = 0;
  uint64_t total_bytes() const { return static_bytes + dynamic_bytes; }
  std::optional<double> total_per_slot() const;
  std::string note;  // where the figures come from, or why they are missing
};

struct OverheadInputs {
  uint64_t page_size = 4096;
  std::vector<DeviceInfo> swaptab;
  std::vector<ZramDevice> zram;
  std::vector<SwapArea> areas;
  std::optional<ZramModel> zram_model;
  std::string zram_model_error;
  std::optional<SwapLayerModel> swap_model;
  std::string swap_model_error;
};

OverheadRow swaptab_row(const DeviceInfo& dev, uint64_t page_size);

// Device rows, then for each swap area its swap-layer row and a total row that adds the
// backing device's row when the area is a swaptab or zram device.
std::vector<OverheadRow> compute_overhead(const OverheadInputs& in);

}  // namespace swaptab::kernel
