// What per-slot metadata costs in the kernel's swap layer and in zram, derived from BTF.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernel/btf.h"
#include "util/result.h"

namespace swaptab::kernel {

// One line of a model's derivation, e.g. {"swap_map", 1.0, "swap_info_struct.swap_map: u8/slot"}.
struct CostPart {
  std::string name;
  double bytes_per_slot = 0;
  std::string why;
};

// The kernel's swap layer, paid per area at swapon (static) or per used cluster (dynamic).
struct SwapLayerModel {
  uint32_t cluster_slots = 512;         // slots per swap cluster
  std::vector<CostPart> static_parts;   // allocated for every slot at swapon
  std::vector<CostPart> dynamic_parts;  // allocated per slot of a cluster in use
  bool swap_table = false;              // the "swap table" design (no swap_map)

  double static_per_slot() const;
  double dynamic_per_used_slot() const;
};

// Reads the swap layer's layout from vmlinux BTF. Fails only if the BTF has no
// swap_info_struct at all (a kernel without CONFIG_SWAP).
Result<SwapLayerModel> model_swap_layer(const Btf& vmlinux);

// zram's static table: sizeof(struct zram_table_entry) per slot.
struct ZramModel {
  uint32_t entry_size = 0;
};

// Looks up struct zram_table_entry in `btf` (zram's module BTF, or vmlinux when zram is
// built in).
Result<ZramModel> model_zram(const Btf& btf);

}  // namespace swaptab::kernel
