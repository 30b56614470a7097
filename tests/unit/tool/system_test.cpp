#include "kernel/system.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cstdlib>

#include <fstream>

namespace swaptab::kernel {
namespace {

TEST(ProcSwaps, Parses) {
  const char* text =
      "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
      "/dev/zram0                              partition\t4194300\t\t1024\t\t100\n"
      "/swap\\040file                           file\t\t1048572\t\t0\t\t-2\n";
  auto areas = parse_proc_swaps(text);
  ASSERT_TRUE(areas.ok());
  ASSERT_EQ(areas->size(), 2U);
  EXPECT_EQ((*areas)[0].filename, "/dev/zram0");
  EXPECT_EQ((*areas)[0].type, "partition");
  EXPECT_EQ((*areas)[0].size_kib, 4194300U);
  EXPECT_EQ((*areas)[0].used_kib, 1024U);
  EXPECT_EQ((*areas)[0].priority, 100);
  EXPECT_EQ((*areas)[1].filename, "/swap file");
  EXPECT_EQ((*areas)[1].priority, -2);
}

TEST(ProcSwaps, HeaderOnlyIsEmpty) {
  auto areas = parse_proc_swaps("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
  ASSERT_TRUE(areas.ok());
  EXPECT_TRUE(areas->empty());
}

TEST(ProcSwaps, GarbageIsAnError) {
  auto areas = parse_proc_swaps("Filename Type Size Used Priority\n/dev/x partition lots\n");
  EXPECT_FALSE(areas.ok());
}

TEST(Zram, MmStatAndAlgorithm) {
  ZramDevice d;
  parse_zram_mm_stat(
      "  4096000   1024000  1200000        0  1300000       10        0        3        0\n", &d);
  EXPECT_EQ(d.orig_bytes, 4096000U);
  EXPECT_EQ(d.compr_bytes, 1024000U);
  EXPECT_EQ(d.mem_used, 1200000U);
  EXPECT_EQ(d.same_pages, 10U);
  EXPECT_EQ(d.huge_pages, 3U);
  EXPECT_EQ(parse_selected_algorithm("lzo [lz4] zstd\n"), "lz4");
  EXPECT_EQ(parse_selected_algorithm("[lzo-rle] lzo lz4 \n"), "lzo-rle");
}

TEST(Zram, ScanFakeSysfs) {
  char tmpl[] = "/tmp/swaptab-sysXXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string root = tmpl;
  for (const char* dev : {"zram1", "zram0", "zram10", "loop0"}) {
    ASSERT_EQ(mkdir((root + "/" + dev).c_str(), 0755), 0);
  }
  std::ofstream(root + "/zram0/disksize") << "1073741824\n";
  std::ofstream(root + "/zram0/comp_algorithm") << "lzo [lz4]\n";
  std::ofstream(root + "/zram0/mm_stat") << "8192 100 12288 0 12288 1 0 0 0\n";
  std::ofstream(root + "/zram1/disksize") << "0\n";
  auto devs = scan_zram(root);
  ASSERT_EQ(devs.size(), 3U);
  EXPECT_EQ(devs[0].name, "zram0");
  EXPECT_EQ(devs[1].name, "zram1");
  EXPECT_EQ(devs[2].name, "zram10");
  EXPECT_EQ(devs[0].disksize, 1ULL << 30);
  EXPECT_EQ(devs[0].algorithm, "lz4");
  EXPECT_EQ(devs[0].orig_bytes, 8192U);
  EXPECT_EQ(devs[1].disksize, 0U);
  EXPECT_EQ(system(("rm -rf " + root).c_str()), 0);
}

}  // namespace
}  // namespace swaptab::kernel
