// Plain structs for what the swaptab family carries: no netlink types leak past nl/.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace swaptab {

enum class Layout : uint32_t { kTable = 0, kFlat = 1 };

const char* layout_name(uint32_t layout);

// Counters of one device (SWAPTAB_A_STATS_*), all since creation or the last reset.
struct DeviceStats {
  uint64_t reads = 0;
  uint64_t writes = 0;
  uint64_t failed_reads = 0;
  uint64_t failed_writes = 0;
  uint64_t notify_free = 0;
  uint64_t missed_free = 0;
  uint64_t discards = 0;
  uint64_t stored_pages = 0;
  uint64_t same_pages = 0;
  uint64_t huge_pages = 0;
  uint64_t orig_bytes = 0;
  uint64_t compr_bytes = 0;
  uint64_t pool_bytes = 0;
  uint64_t pool_peak_bytes = 0;
  uint64_t meta_static_bytes = 0;
  uint64_t meta_dynamic_bytes = 0;
  uint64_t clusters_used = 0;
  uint64_t mem_limit_rejects = 0;
  uint64_t fixed_bytes = 0;
};

// One row of the counter table: the attribute, its stable key (JSON key and the stem of the
// Prometheus metric name) and whether it counts events (monotonic) or measures a level.
struct StatField {
  uint16_t attr;
  const char* key;
  const char* help;
  bool monotonic;
  bool bytes;
  uint64_t DeviceStats::*field;
};

// Every counter, in attribute order.
const std::vector<StatField>& stat_fields();

struct DeviceInfo {
  uint32_t index = 0;
  std::string name;
  uint64_t size = 0;  // bytes
  std::string algorithm;
  int32_t level = 0;
  uint64_t mem_limit = 0;  // bytes, 0 = none
  uint32_t layout = 0;
  uint32_t openers = 0;
  bool has_stats = false;
  DeviceStats stats;
};

struct AddRequest {
  uint64_t size = 0;
  std::optional<std::string> algorithm;
  std::optional<int32_t> level;
  std::optional<uint64_t> mem_limit;
  std::optional<uint32_t> layout;
};

struct SetRequest {
  uint32_t index = 0;
  std::optional<std::string> algorithm;
  std::optional<int32_t> level;
  std::optional<uint64_t> mem_limit;
};

struct Event {
  enum class Type { kAdd, kDel };
  Type type = Type::kAdd;
  uint32_t index = 0;
  std::string name;
  std::optional<uint64_t> size;
};

struct FamilyInfo {
  uint16_t id = 0;
  uint32_t version = 0;
  std::map<std::string, uint32_t> groups;  // multicast group name -> id
};

}  // namespace swaptab
