#include "nl/client.h"

#include <libmnl/libmnl.h>
#include <linux/swaptab.h>

#include <cctype>
#include <cerrno>
#include <string_view>

namespace swaptab::nl {

const char* const kNotLoadedMessage =
    "swaptab module not loaded, and the kernel could not load it: install it (DKMS or "
    "make modules_install) or insmod swaptab.ko";

Result<FamilyInfo> resolve_family(Socket& sock, const std::string& name) {
  const uint32_t seq = sock.next_seq();
  auto req = build_get_family(seq, name);
  if (!req) {
    return req.take_error();
  }
  std::optional<FamilyInfo> found;
  Status st = transact(sock, *req, seq, "resolving the " + name + " family",
                       [&](const nlmsghdr* msg) -> Status {
                         auto info = parse_family(msg);
                         if (!info) {
                           return info.take_error();
                         }
                         found = std::move(*info);
                         return ok_status();
                       });
  if (!st) {
    if (st.error().err == ENOENT) {
      return make_error(ErrorKind::kNotLoaded, kNotLoadedMessage, ENOENT);
    }
    return st.take_error();
  }
  if (!found) {
    return make_error(ErrorKind::kParse, "nlctrl acknowledged without describing the family");
  }
  return std::move(*found);
}

Result<Client> Client::connect() {
  auto sock = Socket::open();
  if (!sock) {
    return sock.take_error();
  }
  auto family = resolve_family(*sock, SWAPTAB_FAMILY_NAME);
  if (!family) {
    return family.take_error();
  }
  return Client(std::move(*sock), std::move(*family));
}

Status Client::simple(Result<Bytes> req, uint32_t seq, const std::string& what) {
  if (!req) {
    return req.take_error();
  }
  return transact(sock_, *req, seq, what, [](const nlmsghdr*) { return ok_status(); });
}

Result<DeviceInfo> Client::one_device(Result<Bytes> req, uint32_t seq, const std::string& what,
                                      const char* if_missing) {
  if (!req) {
    return req.take_error();
  }
  std::optional<DeviceInfo> dev;
  Status st = transact(sock_, *req, seq, what, [&](const nlmsghdr* m) {
    auto d = parse_device(m);
    if (!d) {
      return Status(d.take_error());
    }
    dev = std::move(*d);
    return ok_status();
  });
  if (!st) {
    return st.take_error();
  }
  if (!dev) {
    return make_error(ErrorKind::kParse, if_missing);
  }
  return std::move(*dev);
}

Result<DeviceInfo> Client::add(const AddRequest& req) {
  const MsgHead h = head();
  return one_device(build_add(h, req), h.seq, "cannot add a device",
                    "the kernel created a device but did not name it");
}

Status Client::del(uint32_t index) {
  const MsgHead h = head();
  return simple(build_del(h, index), h.seq, "cannot remove swaptab" + std::to_string(index));
}

Status Client::reset(uint32_t index) {
  const MsgHead h = head();
  return simple(build_reset(h, index), h.seq, "cannot reset swaptab" + std::to_string(index));
}

Status Client::set(const SetRequest& req) {
  const MsgHead h = head();
  return simple(build_set(h, req), h.seq, "cannot configure swaptab" + std::to_string(req.index));
}

Result<DeviceInfo> Client::get(uint32_t index) {
  const MsgHead h = head();
  return one_device(build_get(h, index), h.seq, "cannot query swaptab" + std::to_string(index),
                    "the kernel acknowledged without describing the device");
}

Result<std::vector<DeviceInfo>> Client::dump() {
  const MsgHead h = head();
  auto msg = build_get(h, std::nullopt);
  if (!msg) {
    return msg.take_error();
  }
  std::vector<DeviceInfo> devs;
  Status st = transact(sock_, *msg, h.seq, "cannot list swaptab devices", [&](const nlmsghdr* m) {
    auto d = parse_device(m);
    if (!d) {
      return Status(d.take_error());
    }
    devs.push_back(std::move(*d));
    return ok_status();
  });
  if (!st) {
    return st.take_error();
  }
  return devs;
}

Status Client::subscribe_events() {
  const auto it = family_.groups.find(SWAPTAB_MCGRP_EVENTS);
  if (it == family_.groups.end()) {
    return make_error(ErrorKind::kParse, "the swaptab family has no \"events\" multicast group");
  }
  return sock_.join_group(it->second);
}

Result<std::vector<Event>> Client::read_events() {
  Bytes buf;
  auto n = sock_.recv(buf);
  if (!n) {
    return n.take_error();
  }
  std::vector<Event> events;
  const auto* msg = reinterpret_cast<const nlmsghdr*>(buf.data());
  int remaining = static_cast<int>(*n);
  while (mnl_nlmsg_ok(msg, remaining)) {
    if (msg->nlmsg_type == family_.id) {
      auto e = parse_event(msg);
      if (e) {
        events.push_back(std::move(*e));
      }
    }
    msg = mnl_nlmsg_next(msg, &remaining);
  }
  return events;
}

Result<uint32_t> parse_device_name(const std::string& text) {
  std::string_view s = text;
  if (s.rfind("/dev/", 0) == 0) {
    s.remove_prefix(5);
  }
  if (s.rfind("swaptab", 0) == 0) {
    s.remove_prefix(7);
  }
  if (s.empty() || s.size() > 5) {
    return make_error(ErrorKind::kUsage, "invalid device '" + text + "' (expected swaptabN)");
  }
  uint32_t v = 0;
  for (const char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
      return make_error(ErrorKind::kUsage, "invalid device '" + text + "' (expected swaptabN)");
    }
    v = v * 10 + static_cast<uint32_t>(c - '0');
  }
  if (v > 65535) {
    return make_error(ErrorKind::kUsage, "invalid device '" + text + "': index above 65535");
  }
  return v;
}

}  // namespace swaptab::nl
