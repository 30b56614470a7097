#include "nl/transport.h"

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <utility>

namespace swaptab::nl {

namespace {

// Large enough for any dump datagram the kernel sends (it sizes them to the page size or
// up to 32 KiB with NLMSG_GOODSIZE).
constexpr size_t kRecvBuffer = size_t{64} * 1024;

// With SWAPTABCTL_CAPTURE=PREFIX set, every datagram received is also written to
// PREFIX-NN.bin: how tests/data/netlink was recorded from real kernels.
void capture_datagram(const char* prefix, const Bytes& buf) {
  static int counter = 0;
  char suffix[16];
  std::snprintf(suffix, sizeof(suffix), "-%02d.bin", counter++);
  std::ofstream out(std::string(prefix) + suffix, std::ios::binary);
  out.write(reinterpret_cast<const char*>(buf.data()), static_cast<std::streamsize>(buf.size()));
}

// The bounds of the policy a rejected attribute failed, as the kernel reports them.
struct PolicyBounds {
  std::string min, max;
};

int policy_cb(const nlattr* attr, void* data) {
  auto* out = static_cast<PolicyBounds*>(data);
  const auto type = mnl_attr_get_type(attr);
  if (mnl_attr_validate(attr,
                        type == NL_POLICY_TYPE_ATTR_MAX_LENGTH ? MNL_TYPE_U32 : MNL_TYPE_U64) < 0) {
    return MNL_CB_OK;  // not a bound, or malformed: show none
  }
  switch (type) {
    case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
      out->min = std::to_string(mnl_attr_get_u64(attr));
      break;
    case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
      out->max = std::to_string(mnl_attr_get_u64(attr));
      break;
    case NL_POLICY_TYPE_ATTR_MIN_VALUE_S:
      out->min = std::to_string(static_cast<int64_t>(mnl_attr_get_u64(attr)));
      break;
    case NL_POLICY_TYPE_ATTR_MAX_VALUE_S:
      out->max = std::to_string(static_cast<int64_t>(mnl_attr_get_u64(attr)));
      break;
    case NL_POLICY_TYPE_ATTR_MAX_LENGTH:
      out->max = std::to_string(mnl_attr_get_u32(attr)) + " bytes";
      break;
    default:
      break;
  }
  return MNL_CB_OK;
}

int extack_cb(const nlattr* attr, void* data) {
  auto* out = static_cast<AckError*>(data);
  if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
      mnl_attr_validate(attr, MNL_TYPE_STRING) >= 0) {
    const char* p = static_cast<const char*>(mnl_attr_get_payload(attr));
    out->message.assign(p, strnlen(p, mnl_attr_get_payload_len(attr)));
  } else if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_POLICY &&
             mnl_attr_validate(attr, MNL_TYPE_NESTED) >= 0) {
    PolicyBounds b;
    mnl_attr_parse_nested(attr, policy_cb, &b);
    if (!b.min.empty() && !b.max.empty()) {
      out->allowed = b.min + " to " + b.max;
    } else if (!b.max.empty()) {
      out->allowed = "at most " + b.max;
    }
  }
  return MNL_CB_OK;
}

}  // namespace

Result<Socket> Socket::open() {
  mnl_socket* s = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
  if (s == nullptr) {
    return error_from_errno(errno, "cannot open a generic netlink socket");
  }
  Socket sock(s);
  int one = 1;
  // Both are best effort: old kernels lack them, and we cope without (no extack text).
  mnl_socket_setsockopt(s, NETLINK_EXT_ACK, &one, sizeof(one));
  mnl_socket_setsockopt(s, NETLINK_CAP_ACK, &one, sizeof(one));
  if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) {
    return error_from_errno(errno, "cannot bind the netlink socket");
  }
  return sock;
}

Socket::Socket(mnl_socket* sock) : sock_(sock) {}

Socket::Socket(Socket&& other) noexcept
    : sock_(std::exchange(other.sock_, nullptr)), seq_(other.seq_) {}

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    if (sock_ != nullptr) {
      mnl_socket_close(sock_);
    }
    sock_ = std::exchange(other.sock_, nullptr);
    seq_ = other.seq_;
  }
  return *this;
}

Socket::~Socket() {
  if (sock_ != nullptr) {
    mnl_socket_close(sock_);
  }
}

int Socket::fd() const {
  return mnl_socket_get_fd(sock_);
}

uint32_t Socket::portid() const {
  return mnl_socket_get_portid(sock_);
}

Status Socket::send(const Bytes& msg) {
  if (mnl_socket_sendto(sock_, msg.data(), msg.size()) < 0) {
    return error_from_errno(errno, "cannot send a netlink request");
  }
  return ok_status();
}

Result<size_t> Socket::recv(Bytes& buf) {
  buf.resize(kRecvBuffer);
  for (;;) {
    const ssize_t n = mnl_socket_recvfrom(sock_, buf.data(), buf.size());
    if (n >= 0) {
      buf.resize(static_cast<size_t>(n));
      if (const char* prefix = std::getenv("SWAPTABCTL_CAPTURE")) {
        capture_datagram(prefix, buf);
      }
      return static_cast<size_t>(n);
    }
    if (errno != EINTR) {
      return error_from_errno(errno, "cannot receive from the netlink socket");
    }
  }
}

Status Socket::join_group(uint32_t group) {
  int g = static_cast<int>(group);
  if (mnl_socket_setsockopt(sock_, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)) < 0) {
    return error_from_errno(errno, "cannot join the multicast group");
  }
  return ok_status();
}

AckError parse_ack(const nlmsghdr* msg) {
  AckError out;
  const size_t payload = mnl_nlmsg_get_payload_len(msg);
  if (msg->nlmsg_type == NLMSG_DONE) {
    // A dump's DONE carries an int error, then (with NLM_F_ACK_TLVS) extack attributes.
    if (payload >= sizeof(int)) {
      std::memcpy(&out.error, mnl_nlmsg_get_payload(msg), sizeof(int));
    }
    if ((msg->nlmsg_flags & NLM_F_ACK_TLVS) != 0 && payload > sizeof(int)) {
      mnl_attr_parse(msg, sizeof(int), extack_cb, &out);
    }
    return out;
  }
  if (payload < sizeof(nlmsgerr)) {
    out.error = -EBADMSG;
    return out;
  }
  nlmsgerr err{};
  std::memcpy(&err, mnl_nlmsg_get_payload(msg), sizeof(err));
  out.error = err.error;
  if ((msg->nlmsg_flags & NLM_F_ACK_TLVS) != 0) {
    // Without NETLINK_CAP_ACK the whole request is echoed before the attributes.
    size_t offset = sizeof(nlmsgerr);
    if ((msg->nlmsg_flags & NLM_F_CAPPED) == 0 && err.msg.nlmsg_len > sizeof(nlmsghdr)) {
      offset += err.msg.nlmsg_len - sizeof(nlmsghdr);
    }
    if (payload > offset) {
      mnl_attr_parse(msg, static_cast<unsigned int>(offset), extack_cb, &out);
    }
  }
  return out;
}

Result<Progress> process_datagram(const uint8_t* data, size_t len, uint32_t seq,
                                  const std::string& what, const MessageFn& fn) {
  const auto* msg = reinterpret_cast<const nlmsghdr*>(data);
  int remaining = static_cast<int>(len);
  while (mnl_nlmsg_ok(msg, remaining)) {
    if (msg->nlmsg_seq != seq) {
      // A stale reply to an earlier request (e.g. after an interrupted dump): skip it.
      msg = mnl_nlmsg_next(msg, &remaining);
      continue;
    }
    switch (msg->nlmsg_type) {
      case NLMSG_NOOP:
      case NLMSG_OVERRUN:
        break;
      case NLMSG_ERROR:
      case NLMSG_DONE: {
        const AckError ack = parse_ack(msg);
        if (ack.error != 0) {
          return error_from_errno(-ack.error, what, ack.text());
        }
        return Progress::kDone;
      }
      default:
        if (auto st = fn(msg); !st) {
          return st.take_error();
        }
        break;
    }
    msg = mnl_nlmsg_next(msg, &remaining);
  }
  if (remaining != 0) {
    return make_error(ErrorKind::kParse, what + ": truncated netlink message");
  }
  return Progress::kMore;
}

Status transact(Socket& sock, const Bytes& request, uint32_t seq, const std::string& what,
                const MessageFn& fn) {
  if (auto st = sock.send(request); !st) {
    return st;
  }
  Bytes buf;
  for (;;) {
    auto n = sock.recv(buf);
    if (!n) {
      return n.take_error();
    }
    auto progress = process_datagram(buf.data(), *n, seq, what, fn);
    if (!progress) {
      return progress.take_error();
    }
    if (*progress == Progress::kDone) {
      return ok_status();
    }
  }
}

}  // namespace swaptab::nl
