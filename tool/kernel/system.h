// Readers of /proc and /sys: swap areas, zram devices, MemFree. Each parser takes the text so
// tests can feed recorded files; the scanners take a root so tests can point at a fake tree.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace swaptab::kernel {

Result<std::string> read_text_file(const std::string& path);

// One line of /proc/swaps.
struct SwapArea {
  std::string filename;  // unescaped (\040 -> space)
  std::string type;      // partition or file
  uint64_t size_kib = 0;
  uint64_t used_kib = 0;
  int priority = 0;
};

Result<std::vector<SwapArea>> parse_proc_swaps(std::string_view text);
Result<std::vector<SwapArea>> read_proc_swaps(const std::string& path = "/proc/swaps");

// An in-kernel zram device as sysfs shows it.
struct ZramDevice {
  std::string name;       // zram0
  uint64_t disksize = 0;  // bytes; 0 = not initialised
  uint64_t orig_bytes = 0;
  uint64_t compr_bytes = 0;
  uint64_t mem_used = 0;
  uint64_t same_pages = 0;
  uint64_t huge_pages = 0;
  std::string algorithm;
};

// mm_stat: orig_data_size compr_data_size mem_used_total mem_limit mem_used_max same_pages
// pages_compacted huge_pages [huge_pages_since].
void parse_zram_mm_stat(std::string_view text, ZramDevice* dev);
// The algorithm in brackets of comp_algorithm ("lzo [lz4] zstd").
std::string parse_selected_algorithm(std::string_view text);

// Every zram* under `sys_block` (normally /sys/block), sorted by name.
std::vector<ZramDevice> scan_zram(const std::string& sys_block = "/sys/block");

// Whether /sys/kernel/btf/<module> exists.
bool module_btf_present(const std::string& module, const std::string& root = "/sys/kernel/btf");

}  // namespace swaptab::kernel
