#include "util/size.h"

#include <gtest/gtest.h>

namespace swaptab {
namespace {

TEST(ParseSize, PlainBytes) {
  EXPECT_EQ(*parse_size("4096"), 4096U);
  EXPECT_EQ(*parse_size("0"), 0U);
  EXPECT_EQ(*parse_size("100B"), 100U);
}

TEST(ParseSize, BinarySuffixes) {
  EXPECT_EQ(*parse_size("4K"), 4096U);
  EXPECT_EQ(*parse_size("512M"), 512ULL << 20);
  EXPECT_EQ(*parse_size("4G"), 4ULL << 30);
  EXPECT_EQ(*parse_size("1T"), 1ULL << 40);
  EXPECT_EQ(*parse_size("1P"), 1ULL << 50);
  EXPECT_EQ(*parse_size("2g"), 2ULL << 30);
  EXPECT_EQ(*parse_size("2GiB"), 2ULL << 30);
  EXPECT_EQ(*parse_size("2GB"), 2ULL << 30);
}

TEST(ParseSize, Fractions) {
  EXPECT_EQ(*parse_size("1.5G"), 3ULL << 29);
  EXPECT_EQ(*parse_size("0.5K"), 512U);
}

TEST(ParseSize, Rejects) {
  for (const char* bad : {"", "G", "-1G", "4X", "4GX", "1.5", "abc", "4 G", "99999999999999999999",
                          "16385P", "17E"}) {
    auto r = parse_size(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::kUsage) << bad;
    EXPECT_NE(r.error().message.find("invalid size"), std::string::npos) << bad;
  }
}

TEST(HumanSize, LikeZramctl) {
  EXPECT_EQ(human_size(0), "0B");
  EXPECT_EQ(human_size(1023), "1023B");
  EXPECT_EQ(human_size(1024), "1K");
  EXPECT_EQ(human_size(1536), "1.5K");
  EXPECT_EQ(human_size(4ULL << 30), "4G");
  EXPECT_EQ(human_size(1ULL << 40), "1T");
  EXPECT_EQ(human_size((1ULL << 20) + (1ULL << 20) / 10 * 2), "1.2M");
  // Rounds to the next unit rather than printing 1024.0M-ish values.
  EXPECT_EQ(human_size((1ULL << 30) - 1), "1G");
}

TEST(FormatRatio, Precision) {
  EXPECT_EQ(format_ratio(0.09375), "0.094");
  EXPECT_EQ(format_ratio(3.140625), "3.14");
  EXPECT_EQ(format_ratio(24.0), "24.00");
  EXPECT_EQ(format_ratio(0.0), "0");
  EXPECT_EQ(format_ratio(1234.5), "1234.5");
  EXPECT_EQ(format_ratio(8.0 / 262144), "0.00003052");
  EXPECT_EQ(format_ratio(0.0005), "0.0005");
}

}  // namespace
}  // namespace swaptab
