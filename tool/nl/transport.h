// The netlink socket and the request/ack/dump loop, with extack messages extracted.
#pragma once

#include <cerrno>
#include <cstdint>
#include <functional>
#include <string>

#include "nl/message.h"
#include "util/result.h"

struct mnl_socket;
struct nlmsghdr;

namespace swaptab::nl {

// A move-only NETLINK_GENERIC socket opened with NETLINK_EXT_ACK and NETLINK_CAP_ACK.
class Socket {
 public:
  static Result<Socket> open();

  Socket(Socket&& other) noexcept;
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket();

  int fd() const;
  uint32_t portid() const;
  uint32_t next_seq() { return ++seq_; }

  Status send(const Bytes& msg);
  // Receives one datagram into `buf` (resized to what arrived). Retries on EINTR.
  Result<size_t> recv(Bytes& buf);
  Status join_group(uint32_t group);

 private:
  explicit Socket(mnl_socket* sock);
  mnl_socket* sock_ = nullptr;
  uint32_t seq_ = 0;
};

// The error carried by an NLMSG_ERROR (or a dump's NLMSG_DONE), with the extack text.
struct AckError {
  int error = 0;        // negative errno as the kernel sent it, 0 for an ack
  std::string message;  // NLMSGERR_ATTR_MSG, verbatim; empty when the kernel sent none
  std::string allowed;  // from NLMSGERR_ATTR_POLICY: "MIN to MAX" or "at most MAX"

  // The message, with the policy's bounds after a range error's bare "integer out of
  // range" (not after e.g. a wrong length, which carries the policy too).
  std::string text() const {
    if (error != -ERANGE || allowed.empty() || message.empty()) {
      return message;
    }
    return message + " (allowed: " + allowed + ")";
  }
};

AckError parse_ack(const nlmsghdr* msg);

// Called for each data message of the reply; an error stops the exchange.
using MessageFn = std::function<Status(const nlmsghdr*)>;

enum class Progress { kMore, kDone };

// Processes one received datagram of the reply to request `seq`: data messages go to `fn`,
// NLMSG_ERROR/NLMSG_DONE end it (errors become an Error naming `what`).
Result<Progress> process_datagram(const uint8_t* data, size_t len, uint32_t seq,
                                  const std::string& what, const MessageFn& fn);

// Sends `request` (whose seq must be `seq`) and runs `fn` on every reply message until the ack
// or the end of the dump.
Status transact(Socket& sock, const Bytes& request, uint32_t seq, const std::string& what,
                const MessageFn& fn);

}  // namespace swaptab::nl
