#include "kernel/model.h"

namespace swaptab::kernel {

namespace {

constexpr const char* kSwapInfo = "swap_info_struct";
constexpr const char* kCluster = "swap_cluster_info";
// One bit per slot.
constexpr double kBitmapPerSlot = 1.0 / 8.0;
// A memcg id is an unsigned short (mem_cgroup_id()).
constexpr uint32_t kMemcgIdSize = 2;
// Slots per swap address space / zswap tree (SWAP_ADDRESS_SPACE_PAGES = 1 << 14).
constexpr double kSlotsPerAddressSpace = 16384.0;

double sum(const std::vector<CostPart>& parts) {
  double total = 0;
  for (const auto& p : parts) {
    total += p.bytes_per_slot;
  }
  return total;
}

}  // namespace

double SwapLayerModel::static_per_slot() const {
  return sum(static_parts);
}

double SwapLayerModel::dynamic_per_used_slot() const {
  return sum(dynamic_parts);
}

Result<SwapLayerModel> model_swap_layer(const Btf& vmlinux) {
  if (!vmlinux.struct_size(kSwapInfo)) {
    return make_error(ErrorKind::kParse, "no struct swap_info_struct in the kernel's BTF");
  }
  SwapLayerModel m;

  // Slots per cluster: the per-cluster memcg table has one id per slot; otherwise the
  // cluster is a PMD's worth of pages (SWAPFILE_CLUSTER = HPAGE_PMD_NR = 512 on x86-64).
  if (auto n = vmlinux.member_array_len("swap_memcg_table", "id")) {
    m.cluster_slots = *n;
  }
  const double per_cluster = 1.0 / m.cluster_slots;

  // The per-slot count map (one byte per slot, vzalloc'd at swapon), gone with swap tables.
  if (auto sz = vmlinux.member_pointee_size(kSwapInfo, "swap_map")) {
    m.static_parts.push_back({"swap_map", static_cast<double>(*sz),
                              "swap_info_struct.swap_map: " + std::to_string(*sz) + " B per slot"});
  } else {
    m.swap_table = true;
  }
  if (vmlinux.has_member(kSwapInfo, "zeromap")) {
    m.static_parts.push_back(
        {"zeromap", kBitmapPerSlot, "swap_info_struct.zeromap: 1 bit per slot"});
  }
  if (vmlinux.has_member(kSwapInfo, "frontswap_map")) {
    m.static_parts.push_back(
        {"frontswap_map", kBitmapPerSlot, "swap_info_struct.frontswap_map: 1 bit per slot"});
  }
  if (auto sz = vmlinux.struct_size(kCluster)) {
    m.static_parts.push_back({"cluster_info", *sz * per_cluster,
                              "sizeof(struct swap_cluster_info) = " + std::to_string(*sz) +
                                  " B per " + std::to_string(m.cluster_slots) + " slots"});
  }

  // Per 64 MiB of swap: a swap cache address_space (until swap tables replaced them) and a
  // zswap xarray, each allocated at swapon when the kernel has the function that does it.
  if (vmlinux.has_function("init_swap_address_space")) {
    if (auto sz = vmlinux.struct_size("address_space")) {
      m.static_parts.push_back({"swap_address_space", *sz / kSlotsPerAddressSpace,
                                "init_swap_address_space(): sizeof(struct address_space) = " +
                                    std::to_string(*sz) + " B per 16384 slots"});
    }
  }
  if (vmlinux.has_function("zswap_swapon")) {
    if (auto sz = vmlinux.struct_size("xarray")) {
      m.static_parts.push_back({"zswap_trees", *sz / kSlotsPerAddressSpace,
                                "zswap_swapon(): sizeof(struct xarray) = " + std::to_string(*sz) +
                                    " B per 16384 slots"});
    }
  }

  // Where the memcg owner of each slot lives.
  if (vmlinux.has_member(kCluster, "memcg_table")) {
    const uint32_t table =
        vmlinux.struct_size("swap_memcg_table").value_or(m.cluster_slots * kMemcgIdSize);
    m.dynamic_parts.push_back(
        {"memcg_table", static_cast<double>(table) * per_cluster,
         "swap_cluster_info.memcg_table: " + std::to_string(table) + " B per cluster in use"});
  } else if (auto sc = vmlinux.struct_size("swap_cgroup")) {
    // Either one id per entry, or several ids packed into an atomic_t ("ids").
    double per_slot = *sc;
    std::string why = "sizeof(struct swap_cgroup) = " + std::to_string(*sc) + " B per slot";
    if (auto ids = vmlinux.member_size("swap_cgroup", "ids")) {
      const uint32_t packed = *ids / kMemcgIdSize;
      if (packed > 1) {
        per_slot = static_cast<double>(*sc) / packed;
        why = "struct swap_cgroup packs " + std::to_string(packed) + " ids in " +
              std::to_string(*sc) + " B";
      }
    }
    m.static_parts.push_back({"swap_cgroup", per_slot, why});
  } else if (!m.swap_table) {
    // swap_cgroup.c's struct is missing from this BTF: the array is still allocated.
    m.static_parts.push_back({"swap_cgroup", static_cast<double>(kMemcgIdSize),
                              "struct swap_cgroup not in BTF: one memcg id per slot assumed"});
  }

  // The swap table proper: one word per slot of a cluster in use.
  if (auto sz = vmlinux.member_pointee_size(kCluster, "table")) {
    m.dynamic_parts.push_back(
        {"table", static_cast<double>(*sz),
         "swap_cluster_info.table: " + std::to_string(*sz) + " B per slot of a cluster in use"});
  }
  return m;
}

Result<ZramModel> model_zram(const Btf& btf) {
  auto sz = btf.struct_size("zram_table_entry");
  if (!sz) {
    return make_error(ErrorKind::kParse, "no struct zram_table_entry in zram's BTF");
  }
  return ZramModel{*sz};
}

}  // namespace swaptab::kernel
