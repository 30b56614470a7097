// Building requests for, and parsing replies of, the swaptab family and nlctrl.
// Pure functions over byte buffers: no sockets here, so they are tested byte-exact.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "nl/types.h"
#include "util/result.h"

struct nlmsghdr;

namespace swaptab::nl {

using Bytes = std::vector<uint8_t>;

// The header fields a request needs besides its attributes.
struct MsgHead {
  uint16_t family = 0;  // genetlink family id (nlmsg_type)
  uint32_t seq = 0;
};

// CTRL_CMD_GETFAMILY for `name` (to GENL_ID_CTRL).
Result<Bytes> build_get_family(uint32_t seq, std::string_view name);

Result<Bytes> build_add(MsgHead head, const AddRequest& req);
Result<Bytes> build_del(MsgHead head, uint32_t index);
Result<Bytes> build_reset(MsgHead head, uint32_t index);
Result<Bytes> build_set(MsgHead head, const SetRequest& req);
// GET for one device, or a dump of all when index is empty.
Result<Bytes> build_get(MsgHead head, std::optional<uint32_t> index);

// Replies. `msg` must point at a complete, length-checked netlink message.
Result<FamilyInfo> parse_family(const nlmsghdr* msg);
Result<DeviceInfo> parse_device(const nlmsghdr* msg);
Result<Event> parse_event(const nlmsghdr* msg);

}  // namespace swaptab::nl
