// Replies recorded from the real module in the matrix guests (tests/data/netlink/<suite>/,
// written by tests/vm/scenarios/tool-cli.sh through SWAPTABCTL_CAPTURE) parse cleanly.
#include <dirent.h>
#include <gtest/gtest.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/swaptab.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "nl/message.h"
#include "nl/transport.h"

namespace swaptab::nl {
namespace {

std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (const dirent* e = readdir(d)) {
      const std::string n = e->d_name;
      if (n != "." && n != "..") {
        names.push_back(n);
      }
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

Bytes read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// What one recorded exchange (all datagrams of one PREFIX) contained.
struct Exchange {
  uint16_t family = 0;
  std::vector<DeviceInfo> devices;
  std::vector<AckError> acks;
  int dones = 0;
};

Exchange replay(const std::string& dir, const std::vector<std::string>& files) {
  Exchange ex;
  for (const auto& f : files) {
    std::string path = dir;
    path.append("/").append(f);
    const Bytes buf = read_bytes(path);
    const auto* msg = reinterpret_cast<const nlmsghdr*>(buf.data());
    int left = static_cast<int>(buf.size());
    while (mnl_nlmsg_ok(msg, left)) {
      if (msg->nlmsg_type == GENL_ID_CTRL) {
        auto fam = parse_family(msg);
        EXPECT_TRUE(fam.ok()) << f;
        if (fam) {
          ex.family = fam->id;
          EXPECT_EQ(fam->groups.count(SWAPTAB_MCGRP_EVENTS), 1U) << f;
        }
      } else if (msg->nlmsg_type == NLMSG_ERROR) {
        ex.acks.push_back(parse_ack(msg));
      } else if (msg->nlmsg_type == NLMSG_DONE) {
        ++ex.dones;
        EXPECT_EQ(parse_ack(msg).error, 0) << f;
      } else {
        EXPECT_EQ(msg->nlmsg_type, ex.family) << f;
        auto dev = parse_device(msg);
        EXPECT_TRUE(dev.ok()) << f << ": " << (dev ? "" : dev.error().message);
        if (dev) {
          ex.devices.push_back(std::move(*dev));
        }
      }
      msg = mnl_nlmsg_next(msg, &left);
    }
    EXPECT_EQ(left, 0) << f << " has trailing bytes";
  }
  return ex;
}

class Captures : public ::testing::TestWithParam<const char*> {};

TEST_P(Captures, ParseCleanly) {
  const std::string dir = std::string(SWAPTAB_TEST_DATA) + "/netlink/" + GetParam();
  const auto files = list_dir(dir);
  if (files.empty()) {
    GTEST_SKIP() << dir << " not recorded yet";
  }
  std::map<std::string, std::vector<std::string>> groups;  // prefix -> datagram files
  for (const auto& f : files) {
    const size_t dash = f.rfind('-');
    if (dash != std::string::npos && f.size() > 4 && f.substr(f.size() - 4) == ".bin") {
      groups[f.substr(0, dash)].push_back(f);
    }
  }
  ASSERT_FALSE(groups.empty());
  for (const auto& [prefix, group] : groups) {
    SCOPED_TRACE(prefix);
    const Exchange ex = replay(dir, group);
    EXPECT_NE(ex.family, 0) << "no nlctrl reply recorded";
    if (prefix == "nl-add") {
      ASSERT_EQ(ex.devices.size(), 1U);
      EXPECT_EQ(ex.devices[0].name, "swaptab0");
    } else if (prefix == "nl-dump") {
      EXPECT_EQ(ex.dones, 1);
      ASSERT_FALSE(ex.devices.empty());
      EXPECT_EQ(ex.devices[0].size, 1ULL << 30);
      EXPECT_EQ(ex.devices[0].algorithm, "lz4");
      EXPECT_TRUE(ex.devices[0].has_stats);
    } else if (prefix == "nl-get") {
      ASSERT_EQ(ex.devices.size(), 1U);
      EXPECT_TRUE(ex.devices[0].has_stats);
      EXPECT_GT(ex.devices[0].stats.writes, 0U);
      EXPECT_GT(ex.devices[0].stats.stored_pages, 0U);
    } else if (prefix == "nl-err") {
      ASSERT_FALSE(ex.acks.empty());
      const AckError& last = ex.acks.back();
      EXPECT_LT(last.error, 0);
      EXPECT_NE(last.message.find("unknown algorithm"), std::string::npos) << last.message;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Matrix, Captures, ::testing::Values("bookworm", "trixie", "sid"));

}  // namespace
}  // namespace swaptab::nl
