#include "nl/types.h"

#include <linux/swaptab.h>

namespace swaptab {

const char* layout_name(uint32_t layout) {
  switch (layout) {
    case SWAPTAB_LAYOUT_TABLE:
      return "table";
    case SWAPTAB_LAYOUT_FLAT:
      return "flat";
    default:
      return "unknown";
  }
}

const std::vector<StatField>& stat_fields() {
  using S = DeviceStats;
  static const std::vector<StatField> kFields = {
      {SWAPTAB_A_STATS_READS, "reads", "Pages read.", true, false, &S::reads},
      {SWAPTAB_A_STATS_WRITES, "writes", "Pages written.", true, false, &S::writes},
      {SWAPTAB_A_STATS_FAILED_READS, "failed_reads", "Failed page reads.", true, false,
       &S::failed_reads},
      {SWAPTAB_A_STATS_FAILED_WRITES, "failed_writes", "Failed page writes.", true, false,
       &S::failed_writes},
      {SWAPTAB_A_STATS_NOTIFY_FREE, "notify_free", "Slots freed by swap_slot_free_notify.", true,
       false, &S::notify_free},
      {SWAPTAB_A_STATS_MISSED_FREE, "missed_free", "Free notifications skipped, slot busy.", true,
       false, &S::missed_free},
      {SWAPTAB_A_STATS_DISCARDS, "discards", "Pages freed by discard or write-zeroes.", true, false,
       &S::discards},
      {SWAPTAB_A_STATS_STORED_PAGES, "stored_pages", "Slots holding data now.", false, false,
       &S::stored_pages},
      {SWAPTAB_A_STATS_SAME_PAGES, "same_pages", "Stored pages kept as a repeated word.", false,
       false, &S::same_pages},
      {SWAPTAB_A_STATS_HUGE_PAGES, "huge_pages", "Stored pages kept uncompressed.", false, false,
       &S::huge_pages},
      {SWAPTAB_A_STATS_ORIG_BYTES, "orig_bytes", "Uncompressed size of the stored pages.", false,
       true, &S::orig_bytes},
      {SWAPTAB_A_STATS_COMPR_BYTES, "compr_bytes", "Compressed size of the pages in the pool.",
       false, true, &S::compr_bytes},
      {SWAPTAB_A_STATS_POOL_BYTES, "pool_bytes", "Memory the pool takes now.", false, true,
       &S::pool_bytes},
      {SWAPTAB_A_STATS_POOL_PEAK_BYTES, "pool_peak_bytes", "Peak memory of the pool.", false, true,
       &S::pool_peak_bytes},
      {SWAPTAB_A_STATS_META_STATIC_BYTES, "meta_static_bytes", "Metadata allocated at creation.",
       false, true, &S::meta_static_bytes},
      {SWAPTAB_A_STATS_META_DYNAMIC_BYTES, "meta_dynamic_bytes",
       "Metadata that grows with the stored pages.", false, true, &S::meta_dynamic_bytes},
      {SWAPTAB_A_STATS_CLUSTERS_USED, "clusters_used", "Clusters of 512 slots with a table.", false,
       false, &S::clusters_used},
      {SWAPTAB_A_STATS_MEM_LIMIT_REJECTS, "mem_limit_rejects",
       "Writes failed because the pool reached mem-limit.", true, false, &S::mem_limit_rejects},
      {SWAPTAB_A_STATS_FIXED_BYTES, "fixed_bytes",
       "Memory of the device itself: its state and per-CPU compression streams.", false, true,
       &S::fixed_bytes},
  };
  return kFields;
}

}  // namespace swaptab
