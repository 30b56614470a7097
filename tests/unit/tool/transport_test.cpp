// The ack/done/extack handling of the request loop, fed datagrams built byte by byte.
#include "nl/transport.h"

#include <gtest/gtest.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace swaptab::nl {
namespace {

void put32(Bytes& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    b.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
}
void put16(Bytes& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v));
  b.push_back(static_cast<uint8_t>(v >> 8));
}

// NLMSG_ERROR as a kernel with NETLINK_CAP_ACK + NETLINK_EXT_ACK sends it.
Bytes error_msg(uint32_t seq, int32_t error, const std::string& extack) {
  Bytes b;
  const size_t attr_len = extack.empty() ? 0 : 4 + extack.size() + 1;
  const size_t padded = (attr_len + 3) & ~size_t{3};
  put32(b, static_cast<uint32_t>(16 + 4 + 16 + padded));
  put16(b, NLMSG_ERROR);
  put16(b, extack.empty() ? NLM_F_CAPPED : NLM_F_CAPPED | NLM_F_ACK_TLVS);
  put32(b, seq);
  put32(b, 4242);
  put32(b, static_cast<uint32_t>(error));
  // The original request's header only (capped).
  put32(b, 28);
  put16(b, 0x1a);
  put16(b, NLM_F_REQUEST | NLM_F_ACK);
  put32(b, seq);
  put32(b, 0);
  if (!extack.empty()) {
    put16(b, static_cast<uint16_t>(attr_len));
    put16(b, NLMSGERR_ATTR_MSG);
    b.insert(b.end(), extack.begin(), extack.end());
    b.push_back(0);
    while (b.size() % 4 != 0) {
      b.push_back(0);
    }
  }
  return b;
}

Bytes done_msg(uint32_t seq, int32_t error) {
  Bytes b;
  put32(b, 20);
  put16(b, NLMSG_DONE);
  put16(b, NLM_F_MULTI);
  put32(b, seq);
  put32(b, 4242);
  put32(b, static_cast<uint32_t>(error));
  return b;
}

Bytes data_msg(uint32_t seq, uint16_t type) {
  Bytes b;
  put32(b, 20);
  put16(b, type);
  put16(b, NLM_F_MULTI);
  put32(b, seq);
  put32(b, 4242);
  put32(b, 0x00000103);  // genl header
  return b;
}

Result<Progress> run(const Bytes& d, uint32_t seq, int* count) {
  return process_datagram(d.data(), d.size(), seq, "cannot add a device", [count](const nlmsghdr*) {
    ++*count;
    return ok_status();
  });
}

TEST(Transport, AckEndsRequest) {
  int n = 0;
  auto p = run(error_msg(3, 0, ""), 3, &n);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, Progress::kDone);
  EXPECT_EQ(n, 0);
}

TEST(Transport, ExtackShownVerbatim) {
  int n = 0;
  auto p = run(error_msg(3, -EINVAL, "unknown compression algorithm \"foo\""), 3, &n);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().kind, ErrorKind::kKernel);
  EXPECT_EQ(p.error().err, EINVAL);
  EXPECT_EQ(p.error().message, "cannot add a device: unknown compression algorithm \"foo\"");
}

// Appends NLMSGERR_ATTR_POLICY {MIN_VALUE_U, MAX_VALUE_U} to an error_msg() datagram.
void add_policy_bounds(Bytes& b, uint64_t min, uint64_t max) {
  put16(b, 4 + 2 * 12);
  put16(b, NLA_F_NESTED | NLMSGERR_ATTR_POLICY);
  for (const auto& [type, v] : {std::pair{NL_POLICY_TYPE_ATTR_MIN_VALUE_U, min},
                                std::pair{NL_POLICY_TYPE_ATTR_MAX_VALUE_U, max}}) {
    put16(b, 12);
    put16(b, static_cast<uint16_t>(type));
    put32(b, static_cast<uint32_t>(v));
    put32(b, static_cast<uint32_t>(v >> 32));
  }
  const auto len = static_cast<uint32_t>(b.size());
  std::memcpy(b.data(), &len, sizeof(len));
}

// The message of the Error for an ack of `error` with `extack` and the bounds 4096..2^48.
std::string with_policy_bounds(int32_t error, const std::string& extack) {
  Bytes d = error_msg(3, error, extack);
  d[7] = (NLM_F_CAPPED | NLM_F_ACK_TLVS) >> 8;  // flags' high byte: attributes follow
  add_policy_bounds(d, 4096, 1ULL << 48);
  int n = 0;
  auto p = run(d, 3, &n);
  return p.ok() ? "" : p.error().message;
}

TEST(Transport, PolicyRangeFollowsExtack) {
  EXPECT_EQ(with_policy_bounds(-ERANGE, "integer out of range"),
            "cannot add a device: integer out of range (allowed: 4096 to 281474976710656)");
}

TEST(Transport, PolicyBoundsOnlyExplainRangeErrors) {
  EXPECT_EQ(with_policy_bounds(-EINVAL, "invalid attribute length"),
            "cannot add a device: invalid attribute length");
}

TEST(Transport, PolicyBoundsWithoutMessageLeaveErrnoText) {
  EXPECT_EQ(with_policy_bounds(-ERANGE, ""),
            std::string("cannot add a device: ") + std::strerror(ERANGE));
}

TEST(Transport, ErrnoWithoutExtackIsNamed) {
  int n = 0;
  auto p = run(error_msg(3, -EBUSY, ""), 3, &n);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().kind, ErrorKind::kBusy);
  EXPECT_NE(p.error().message.find("Device or resource busy"), std::string::npos);
}

TEST(Transport, PermissionNamesCapability) {
  int n = 0;
  auto p = run(error_msg(3, -EPERM, ""), 3, &n);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().kind, ErrorKind::kPermission);
  EXPECT_NE(p.error().message.find("CAP_SYS_ADMIN"), std::string::npos);
  EXPECT_EQ(exit_code_for(p.error().kind), 4);
}

TEST(Transport, UncappedAckSkipsEchoedRequest) {
  // Without NETLINK_CAP_ACK the kernel echoes the whole request before the TLVs.
  Bytes b;
  const std::string text = "size out of range";
  const size_t attr_len = 4 + text.size() + 1;
  const size_t padded = (attr_len + 3) & ~size_t{3};
  put32(b, static_cast<uint32_t>(16 + 4 + 28 + padded));
  put16(b, NLMSG_ERROR);
  put16(b, NLM_F_ACK_TLVS);
  put32(b, 9);
  put32(b, 1);
  put32(b, static_cast<uint32_t>(-ERANGE));
  put32(b, 28);
  put16(b, 0x1a);
  put16(b, 5);
  put32(b, 9);
  put32(b, 0);
  put32(b, 0x00000101);
  put32(b, 0x00010008);
  put32(b, 0);
  put16(b, static_cast<uint16_t>(attr_len));
  put16(b, NLMSGERR_ATTR_MSG);
  b.insert(b.end(), text.begin(), text.end());
  b.push_back(0);
  while (b.size() % 4 != 0) {
    b.push_back(0);
  }
  int n = 0;
  auto p = run(b, 9, &n);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().message, "cannot add a device: size out of range");
}

TEST(Transport, DumpRunsCallbackPerMessageUntilDone) {
  Bytes d = data_msg(4, 0x1a);
  Bytes more = data_msg(4, 0x1a);
  d.insert(d.end(), more.begin(), more.end());
  int n = 0;
  auto p = run(d, 4, &n);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, Progress::kMore);
  EXPECT_EQ(n, 2);
  auto q = run(done_msg(4, 0), 4, &n);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(*q, Progress::kDone);
}

TEST(Transport, DumpErrorInDone) {
  int n = 0;
  auto p = run(done_msg(4, -ENOMEM), 4, &n);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().err, ENOMEM);
}

TEST(Transport, StaleSequenceIgnored) {
  int n = 0;
  Bytes d = data_msg(1, 0x1a);
  Bytes ack = error_msg(5, 0, "");
  d.insert(d.end(), ack.begin(), ack.end());
  auto p = run(d, 5, &n);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, Progress::kDone);
  EXPECT_EQ(n, 0);
}

TEST(Transport, TruncatedDatagramIsAnError) {
  Bytes d = data_msg(4, 0x1a);
  d.resize(d.size() - 2);
  int n = 0;
  auto p = run(d, 4, &n);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().kind, ErrorKind::kParse);
}

TEST(Transport, CallbackErrorStops) {
  Bytes d = data_msg(4, 0x1a);
  auto p = process_datagram(d.data(), d.size(), 4, "x", [](const nlmsghdr*) {
    return Status(make_error(ErrorKind::kParse, "bad"));
  });
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().message, "bad");
}

}  // namespace
}  // namespace swaptab::nl

namespace swaptab::nl {
namespace {

TEST(Transport, EnoentWithExtackIsAKernelRefusalNotAMissingDevice) {
  int n = 0;
  auto p = run(error_msg(3, -ENOENT, "unknown algorithm; available: lz4"), 3, &n);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().kind, ErrorKind::kKernel);
  auto q = run(error_msg(3, -ENODEV, "no such device"), 3, &n);
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(q.error().message, "cannot add a device: no such device");
}

}  // namespace
}  // namespace swaptab::nl
