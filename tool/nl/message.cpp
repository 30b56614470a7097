#include "nl/message.h"

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/swaptab.h>

#include <array>
#include <cstring>

namespace swaptab::nl {

namespace {

// Largest request we ever build: header + a handful of small attributes.
constexpr size_t kRequestMax = 512;

// Owns the buffer of one request under construction; every put reports overflow.
class Builder {
 public:
  Builder(uint16_t type, uint16_t flags, uint32_t seq, uint8_t cmd, uint8_t version)
      : buf_(kRequestMax, 0) {
    nlh_ = mnl_nlmsg_put_header(buf_.data());
    nlh_->nlmsg_type = type;
    nlh_->nlmsg_flags = flags;
    nlh_->nlmsg_seq = seq;
    nlh_->nlmsg_pid = 0;
    auto* genl =
        static_cast<genlmsghdr*>(mnl_nlmsg_put_extra_header(nlh_, sizeof(struct genlmsghdr)));
    genl->cmd = cmd;
    genl->version = version;
  }

  void put_u32(uint16_t attr, uint32_t v) {
    ok_ = ok_ && mnl_attr_put_u32_check(nlh_, buf_.size(), attr, v);
  }
  void put_u64(uint16_t attr, uint64_t v) {
    ok_ = ok_ && mnl_attr_put_u64_check(nlh_, buf_.size(), attr, v);
  }
  void put_s32(uint16_t attr, int32_t v) {
    ok_ = ok_ && mnl_attr_put_check(nlh_, buf_.size(), attr, sizeof(v), &v);
  }
  void put_strz(uint16_t attr, std::string_view s) {
    const std::string copy(s);
    ok_ = ok_ && mnl_attr_put_strz_check(nlh_, buf_.size(), attr, copy.c_str());
  }

  Result<Bytes> finish() && {
    if (!ok_) {
      return make_error(ErrorKind::kUsage, "request too large for a netlink message");
    }
    buf_.resize(nlh_->nlmsg_len);
    return std::move(buf_);
  }

 private:
  Bytes buf_;
  nlmsghdr* nlh_ = nullptr;
  bool ok_ = true;
};

Builder swaptab_request(MsgHead head, uint8_t cmd, uint16_t extra_flags = NLM_F_ACK) {
  return {head.family, static_cast<uint16_t>(NLM_F_REQUEST | extra_flags), head.seq, cmd,
          SWAPTAB_FAMILY_VERSION};
}

// Collects the attributes of one nest level into a table indexed by type.
template <size_t N>
struct AttrTable {
  std::array<const nlattr*, N + 1> tb{};
};

template <size_t N>
int collect_cb(const nlattr* attr, void* data) {
  auto* t = static_cast<AttrTable<N>*>(data);
  const uint16_t type = mnl_attr_get_type(attr);
  if (type <= N) {
    t->tb[type] = attr;  // unknown (newer) attributes are ignored
  }
  return MNL_CB_OK;
}

Error malformed(const char* what) {
  return make_error(ErrorKind::kParse, std::string("malformed reply from the kernel: ") + what);
}

// Typed getters that check the payload length before reading.
bool get_u32(const nlattr* a, uint32_t* out) {
  if (a == nullptr || mnl_attr_validate(a, MNL_TYPE_U32) < 0) {
    return false;
  }
  *out = mnl_attr_get_u32(a);
  return true;
}

bool get_u64(const nlattr* a, uint64_t* out) {
  if (a == nullptr || mnl_attr_validate(a, MNL_TYPE_U64) < 0) {
    return false;
  }
  *out = mnl_attr_get_u64(a);
  return true;
}

bool get_str(const nlattr* a, std::string* out) {
  if (a == nullptr) {
    return false;
  }
  const char* p = static_cast<const char*>(mnl_attr_get_payload(a));
  const size_t len = mnl_attr_get_payload_len(a);
  *out = std::string(p, strnlen(p, len));
  return true;
}

uint8_t genl_cmd(const nlmsghdr* msg) {
  const auto* genl = static_cast<const genlmsghdr*>(mnl_nlmsg_get_payload(msg));
  return genl->cmd;
}

bool has_genl_header(const nlmsghdr* msg) {
  return msg->nlmsg_len >= mnl_nlmsg_size(sizeof(struct genlmsghdr));
}

using DevTable = AttrTable<SWAPTAB_A_DEV_MAX>;

Result<DevTable> parse_dev_attrs(const nlmsghdr* msg) {
  DevTable t;
  if (!has_genl_header(msg)) {
    return malformed("message shorter than its generic netlink header");
  }
  if (mnl_attr_parse(msg, sizeof(struct genlmsghdr), collect_cb<SWAPTAB_A_DEV_MAX>, &t) < 0) {
    return malformed("bad attribute layout");
  }
  return t;
}

}  // namespace

Result<Bytes> build_get_family(uint32_t seq, std::string_view name) {
  Builder b(GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, seq, CTRL_CMD_GETFAMILY, 1);
  b.put_strz(CTRL_ATTR_FAMILY_NAME, name);
  return std::move(b).finish();
}

namespace {

// The compression and limit attributes add and set share, each only when given.
void put_comp_and_limit(Builder& b, const std::optional<std::string>& algorithm,
                        const std::optional<int32_t>& level,
                        const std::optional<uint64_t>& mem_limit) {
  if (algorithm) {
    b.put_strz(SWAPTAB_A_DEV_ALGORITHM, *algorithm);
  }
  if (level) {
    b.put_s32(SWAPTAB_A_DEV_LEVEL, *level);
  }
  if (mem_limit) {
    b.put_u64(SWAPTAB_A_DEV_MEM_LIMIT, *mem_limit);
  }
}

// A command whose only attribute is the device index.
Result<Bytes> build_index_request(MsgHead head, uint8_t cmd, uint32_t index) {
  auto b = swaptab_request(head, cmd);
  b.put_u32(SWAPTAB_A_DEV_INDEX, index);
  return std::move(b).finish();
}

}  // namespace

Result<Bytes> build_add(MsgHead head, const AddRequest& req) {
  auto b = swaptab_request(head, SWAPTAB_CMD_ADD);
  b.put_u64(SWAPTAB_A_DEV_SIZE, req.size);
  put_comp_and_limit(b, req.algorithm, req.level, req.mem_limit);
  if (req.layout) {
    b.put_u32(SWAPTAB_A_DEV_LAYOUT, *req.layout);
  }
  return std::move(b).finish();
}

Result<Bytes> build_del(MsgHead head, uint32_t index) {
  return build_index_request(head, SWAPTAB_CMD_DEL, index);
}

Result<Bytes> build_reset(MsgHead head, uint32_t index) {
  return build_index_request(head, SWAPTAB_CMD_RESET, index);
}

Result<Bytes> build_set(MsgHead head, const SetRequest& req) {
  auto b = swaptab_request(head, SWAPTAB_CMD_SET);
  b.put_u32(SWAPTAB_A_DEV_INDEX, req.index);
  put_comp_and_limit(b, req.algorithm, req.level, req.mem_limit);
  return std::move(b).finish();
}

Result<Bytes> build_get(MsgHead head, std::optional<uint32_t> index) {
  if (!index) {
    auto b = swaptab_request(head, SWAPTAB_CMD_GET, NLM_F_DUMP);
    return std::move(b).finish();
  }
  auto b = swaptab_request(head, SWAPTAB_CMD_GET);
  b.put_u32(SWAPTAB_A_DEV_INDEX, *index);
  return std::move(b).finish();
}

Result<FamilyInfo> parse_family(const nlmsghdr* msg) {
  if (!has_genl_header(msg)) {
    return malformed("nlctrl message shorter than its header");
  }
  AttrTable<CTRL_ATTR_MAX> t;
  if (mnl_attr_parse(msg, sizeof(struct genlmsghdr), collect_cb<CTRL_ATTR_MAX>, &t) < 0) {
    return malformed("bad nlctrl attribute layout");
  }
  FamilyInfo info;
  const nlattr* id = t.tb[CTRL_ATTR_FAMILY_ID];
  if (id == nullptr || mnl_attr_validate(id, MNL_TYPE_U16) < 0) {
    return malformed("nlctrl reply without a family id");
  }
  info.id = mnl_attr_get_u16(id);
  get_u32(t.tb[CTRL_ATTR_VERSION], &info.version);
  if (const nlattr* groups = t.tb[CTRL_ATTR_MCAST_GROUPS]) {
    const char* end =
        static_cast<const char*>(mnl_attr_get_payload(groups)) + mnl_attr_get_payload_len(groups);
    for (const auto* grp = static_cast<const nlattr*>(mnl_attr_get_payload(groups));
         mnl_attr_ok(grp, static_cast<int>(end - reinterpret_cast<const char*>(grp)));
         grp = mnl_attr_next(grp)) {
      AttrTable<CTRL_ATTR_MCAST_GRP_MAX> g;
      if (mnl_attr_parse_nested(grp, collect_cb<CTRL_ATTR_MCAST_GRP_MAX>, &g) < 0) {
        return malformed("bad multicast group entry");
      }
      std::string name;
      uint32_t gid = 0;
      if (get_str(g.tb[CTRL_ATTR_MCAST_GRP_NAME], &name) &&
          get_u32(g.tb[CTRL_ATTR_MCAST_GRP_ID], &gid)) {
        info.groups[name] = gid;
      }
    }
  }
  return info;
}

Result<DeviceInfo> parse_device(const nlmsghdr* msg) {
  auto t = parse_dev_attrs(msg);
  if (!t) {
    return t.take_error();
  }
  const auto& tb = t->tb;
  DeviceInfo d;
  if (!get_u32(tb[SWAPTAB_A_DEV_INDEX], &d.index)) {
    return malformed("device without an index");
  }
  if (!get_str(tb[SWAPTAB_A_DEV_NAME], &d.name)) {
    d.name = "swaptab" + std::to_string(d.index);
  }
  get_u64(tb[SWAPTAB_A_DEV_SIZE], &d.size);
  get_str(tb[SWAPTAB_A_DEV_ALGORITHM], &d.algorithm);
  uint32_t level = 0;
  if (get_u32(tb[SWAPTAB_A_DEV_LEVEL], &level)) {
    d.level = static_cast<int32_t>(level);
  }
  get_u64(tb[SWAPTAB_A_DEV_MEM_LIMIT], &d.mem_limit);
  get_u32(tb[SWAPTAB_A_DEV_LAYOUT], &d.layout);
  get_u32(tb[SWAPTAB_A_DEV_OPENERS], &d.openers);
  if (const nlattr* stats = tb[SWAPTAB_A_DEV_STATS]) {
    AttrTable<SWAPTAB_A_STATS_MAX> s;
    if (mnl_attr_validate(stats, MNL_TYPE_NESTED) < 0 ||
        mnl_attr_parse_nested(stats, collect_cb<SWAPTAB_A_STATS_MAX>, &s) < 0) {
      return malformed("bad stats nest");
    }
    for (const StatField& f : stat_fields()) {
      get_u64(s.tb[f.attr], &(d.stats.*f.field));
    }
    d.has_stats = true;
  }
  return d;
}

Result<Event> parse_event(const nlmsghdr* msg) {
  auto t = parse_dev_attrs(msg);
  if (!t) {
    return t.take_error();
  }
  Event e;
  switch (genl_cmd(msg)) {
    case SWAPTAB_CMD_ADD_NTF:
      e.type = Event::Type::kAdd;
      break;
    case SWAPTAB_CMD_DEL_NTF:
      e.type = Event::Type::kDel;
      break;
    default:
      return malformed("unknown notification command");
  }
  const auto& tb = t->tb;
  if (!get_u32(tb[SWAPTAB_A_DEV_INDEX], &e.index)) {
    return malformed("notification without a device index");
  }
  if (!get_str(tb[SWAPTAB_A_DEV_NAME], &e.name)) {
    e.name = "swaptab" + std::to_string(e.index);
  }
  uint64_t size = 0;
  if (get_u64(tb[SWAPTAB_A_DEV_SIZE], &size)) {
    e.size = size;
  }
  return e;
}

}  // namespace swaptab::nl
