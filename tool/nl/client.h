// The swaptab family over a resolved socket: one method per operation.
#pragma once

#include <optional>
#include <vector>

#include "nl/transport.h"
#include "nl/types.h"
#include "util/result.h"

namespace swaptab::nl {

// The text users see when the family cannot be resolved.
extern const char* const kNotLoadedMessage;

class Client {
 public:
  // Opens a socket and resolves the "swaptab" family (which autoloads the module when the
  // caller may load modules).
  static Result<Client> connect();

  Result<DeviceInfo> add(const AddRequest& req);
  Status del(uint32_t index);
  Status reset(uint32_t index);
  Status set(const SetRequest& req);
  Result<DeviceInfo> get(uint32_t index);
  Result<std::vector<DeviceInfo>> dump();

  // Joins the "events" group; afterwards read_events() blocks for the next datagram.
  Status subscribe_events();
  Result<std::vector<Event>> read_events();
  int fd() const { return sock_.fd(); }

 private:
  Client(Socket sock, FamilyInfo family) : sock_(std::move(sock)), family_(std::move(family)) {}
  MsgHead head() { return MsgHead{family_.id, sock_.next_seq()}; }
  Status simple(Result<Bytes> req, uint32_t seq, const std::string& what);
  // Sends `req` and expects one device in reply; `if_missing` says what a bare ack means.
  Result<DeviceInfo> one_device(Result<Bytes> req, uint32_t seq, const std::string& what,
                                const char* if_missing);

  Socket sock_;
  FamilyInfo family_;
};

// Resolves a family by name on `sock`: ENOENT becomes ErrorKind::kNotLoaded.
Result<FamilyInfo> resolve_family(Socket& sock, const std::string& name);

// Accepts "swaptab3", "/dev/swaptab3" or "3".
Result<uint32_t> parse_device_name(const std::string& text);

}  // namespace swaptab::nl
