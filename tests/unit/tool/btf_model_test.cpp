// The BTF-derived overhead model against BTF captured from the matrix kernels
// (tests/data/btf/<suite>/{vmlinux,zram}) and the host's own kernel.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "kernel/btf.h"
#include "kernel/model.h"

namespace swaptab::kernel {
namespace {

bool exists(const std::string& p) {
  struct stat st {};
  return stat(p.c_str(), &st) == 0;
}

std::string data(const std::string& rel) {
  return std::string(SWAPTAB_TEST_DATA) + "/" + rel;
}

struct Loaded {
  Btf vmlinux;
  std::optional<Btf> zram;
};

std::optional<Loaded> load_suite(const std::string& suite) {
  const std::string v = data("btf/" + suite + "/vmlinux");
  if (!exists(v)) {
    return std::nullopt;
  }
  auto base = Btf::parse_file(v);
  EXPECT_TRUE(base.ok()) << base.error().message;
  if (!base) {
    return std::nullopt;
  }
  Loaded l{std::move(*base), std::nullopt};
  const std::string z = data("btf/" + suite + "/zram");
  if (exists(z)) {
    auto zb = Btf::parse_split(z, l.vmlinux);
    EXPECT_TRUE(zb.ok()) << zb.error().message;
    if (zb) {
      l.zram = std::move(*zb);
    }
  }
  return l;
}

double part(const std::vector<CostPart>& parts, const std::string& name) {
  for (const auto& p : parts) {
    if (p.name == name) {
      return p.bytes_per_slot;
    }
  }
  return -1;
}

TEST(BtfModel, Bookworm61HasSwapMapAndSwapCgroup) {
  auto l = load_suite("bookworm");
  if (!l) {
    GTEST_SKIP() << "tests/data/btf/bookworm not captured yet";
  }
  auto m = model_swap_layer(l->vmlinux);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_FALSE(m->swap_table);
  EXPECT_DOUBLE_EQ(part(m->static_parts, "swap_map"), 1.0);
  EXPECT_DOUBLE_EQ(part(m->static_parts, "swap_cgroup"), 2.0);
  EXPECT_LT(part(m->static_parts, "zeromap"), 0);  // 6.1 has no zeromap
  EXPECT_NEAR(part(m->static_parts, "swap_address_space"), 192.0 / 16384, 1e-9);
  // The ANCHORS figure: about 3 bytes per slot (2.7-3.1 measured).
  EXPECT_GT(m->static_per_slot(), 2.7);
  EXPECT_LT(m->static_per_slot(), 3.3);
  ASSERT_TRUE(l->zram.has_value()) << "tests/data/btf/bookworm/zram missing";
  auto z = model_zram(*l->zram);
  ASSERT_TRUE(z.ok()) << z.error().message;
  EXPECT_EQ(z->entry_size, 24U);  // handle, flags, ac_time (ZRAM_MEMORY_TRACKING)
}

TEST(BtfModel, Trixie612StillHasSwapMap) {
  auto l = load_suite("trixie");
  if (!l) {
    GTEST_SKIP() << "tests/data/btf/trixie not captured yet";
  }
  auto m = model_swap_layer(l->vmlinux);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_FALSE(m->swap_table);
  EXPECT_DOUBLE_EQ(part(m->static_parts, "swap_map"), 1.0);
  EXPECT_DOUBLE_EQ(part(m->static_parts, "zeromap"), 0.125);
  EXPECT_GT(m->static_per_slot(), 2.9);
  EXPECT_LT(m->static_per_slot(), 3.5);
  ASSERT_TRUE(l->zram.has_value());
  auto z = model_zram(*l->zram);
  ASSERT_TRUE(z.ok());
  EXPECT_GE(z->entry_size, 16U);
  EXPECT_LE(z->entry_size, 24U);
}

TEST(BtfModel, SidHasSwapTable) {
  auto l = load_suite("sid");
  if (!l) {
    GTEST_SKIP() << "tests/data/btf/sid not captured yet";
  }
  auto m = model_swap_layer(l->vmlinux);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_TRUE(m->swap_table);
  EXPECT_EQ(m->cluster_slots, 512U);
  // 48-byte swap_cluster_info per 512 slots, and a 16-byte zswap xarray per 16384 slots:
  // the ANCHORS' 0.094.
  EXPECT_NEAR(part(m->static_parts, "cluster_info"), 0.09375, 1e-9);
  EXPECT_NEAR(part(m->static_parts, "zswap_trees"), 16.0 / 16384, 1e-9);
  EXPECT_LT(part(m->static_parts, "swap_address_space"), 0);
  EXPECT_LT(part(m->static_parts, "swap_cgroup"), 0);
  EXPECT_NEAR(m->static_per_slot(), 0.0947, 0.0001);
  // Per slot of a used cluster: an 8-byte table word plus a 2-byte memcg id.
  EXPECT_NEAR(m->dynamic_per_used_slot(), 10.0, 1e-9);
  ASSERT_TRUE(l->zram.has_value());
  auto z = model_zram(*l->zram);
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(z->entry_size, 16U);
}

TEST(BtfModel, HostKernel) {
  if (!exists("/sys/kernel/btf/vmlinux")) {
    GTEST_SKIP() << "no /sys/kernel/btf/vmlinux on this host";
  }
  auto b = Btf::load_vmlinux();
  ASSERT_TRUE(b.ok()) << b.error().message;
  auto m = model_swap_layer(*b);
  ASSERT_TRUE(m.ok()) << m.error().message;
  // Whatever the design, a sane figure: between the swap-table floor and the old design.
  EXPECT_GT(m->static_per_slot(), 0.01);
  EXPECT_LT(m->static_per_slot(), 4.0);
  EXPECT_FALSE(m->static_parts.empty());
}

TEST(BtfModel, MissingFileIsAnError) {
  auto b = Btf::parse_file(data("btf/does-not-exist"));
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.error().message.find("does-not-exist"), std::string::npos);
}

}  // namespace
}  // namespace swaptab::kernel
