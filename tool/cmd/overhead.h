// `swaptabctl overhead`: per-slot metadata cost of every swap-capable device on the machine.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cmd/common.h"
#include "kernel/overhead.h"

namespace swaptab::cmd {

struct OverheadOptions {
  std::optional<std::string> vmlinux_btf;  // a captured BTF file instead of the running kernel's
  std::optional<std::string> zram_btf;     // a captured zram module BTF (split on vmlinux_btf)
  bool details = false;                    // print the model's derivation
};

struct OverheadReport {
  std::vector<kernel::OverheadRow> rows;
  std::optional<kernel::SwapLayerModel> swap_model;
  std::optional<kernel::ZramModel> zram_model;
  std::vector<std::string> notes;  // e.g. "swaptab module not loaded"
};

// Reads BTF (the running kernel's unless overridden). Missing pieces become notes, so
// the report still shows what can be known.
struct Models {
  std::optional<kernel::SwapLayerModel> swap;
  std::string swap_error;
  std::optional<kernel::ZramModel> zram;
  std::string zram_error;
};
Models load_models(const OverheadOptions& opts);

// Collects the live inputs (netlink, /sys/block, /proc/swaps) and computes the rows.
OverheadReport gather_overhead(const Models& models);

std::string render_overhead(const OverheadReport& report, const OutputOptions& opts, bool details);

Status run_overhead(const OverheadOptions& oopts, const OutputOptions& opts, std::ostream& os);

}  // namespace swaptab::cmd
