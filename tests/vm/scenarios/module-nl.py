#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Minimal generic-netlink client for the swaptab family, for VM scenarios.

  module-nl.py add SIZE [algorithm=lz4] [level=N] [mem-limit=N] [layout=flat]
  module-nl.py get INDEX | dump | del INDEX | reset INDEX
  module-nl.py set INDEX [algorithm=..] [level=..] [mem-limit=..]
  module-nl.py raw CMD ATTR:TYPE:VALUE...   (send anything: policy tests)

Prints replies as "key value" lines; on error prints "error ERRNO: extack"
to stderr ("(no extack)" when the kernel sent no message, so tests can tell)
and exits 1 (2 for usage).  Needs nothing but the standard library.
"""
import errno
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
NETLINK_EXT_ACK = 11
NETLINK_CAP_ACK = 10
SOL_NETLINK = 270
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_MCAST_GROUPS = 1, 2, 7

CMD = {"add": 1, "del": 2, "get": 3, "set": 4, "reset": 5}
DEV = {"index": (1, "u32"), "name": (2, "str"), "size": (3, "u64"),
       "algorithm": (4, "str"), "level": (5, "s32"), "mem-limit": (6, "u64"),
       "layout": (7, "u32"), "openers": (8, "u32"), "stats": (9, "nest")}
STATS = ["reads", "writes", "failed-reads", "failed-writes", "notify-free",
         "missed-free", "discards", "stored-pages", "same-pages", "huge-pages",
         "orig-bytes", "compr-bytes", "pool-bytes", "pool-peak-bytes",
         "meta-static-bytes", "meta-dynamic-bytes", "clusters-used",
         "mem-limit-rejects", "pad", "fixed-bytes"]
LAYOUTS = {"table": 0, "flat": 1}


def attr(atype, payload):
    hdr = struct.pack("HH", 4 + len(payload), atype)
    pad = (4 - len(payload) % 4) % 4
    return hdr + payload + b"\0" * pad


def enc(kind, val):
    if kind == "u32":
        return struct.pack("I", int(val, 0) if isinstance(val, str) else val)
    if kind == "s32":
        return struct.pack("i", int(val, 0) if isinstance(val, str) else val)
    if kind == "u64":
        return struct.pack("Q", int(val, 0) if isinstance(val, str) else val)
    if kind == "u16":
        return struct.pack("H", int(val, 0))
    if kind == "u8":
        return struct.pack("B", int(val, 0))
    if kind == "str":
        return val.encode() + b"\0"
    if kind == "bin":
        return bytes.fromhex(val)
    raise ValueError(kind)


def parse_attrs(data):
    out, off = [], 0
    while off + 4 <= len(data):
        alen, atype = struct.unpack_from("HH", data, off)
        if alen < 4:
            break
        out.append((atype & 0x3FFF, data[off + 4:off + alen]))
        off += (alen + 3) & ~3
    return out


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.s.bind((0, 0))
        self.seq = 1
        fam = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                           attr(CTRL_ATTR_FAMILY_NAME, b"swaptab\0"))
        self.family = None
        self.groups = {}
        for atype, val in parse_attrs(fam[0]):
            if atype == CTRL_ATTR_FAMILY_ID:
                self.family = struct.unpack("H", val[:2])[0]
            if atype == CTRL_ATTR_MCAST_GROUPS:
                for _, grp in parse_attrs(val):
                    g = dict(parse_attrs(grp))
                    # CTRL_ATTR_MCAST_GRP_NAME = 1, CTRL_ATTR_MCAST_GRP_ID = 2
                    self.groups[g[1].rstrip(b"\0").decode()] = struct.unpack("I", g[2][:4])[0]

    def request(self, family, cmd, payload, dump=False):
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        body = struct.pack("BBH", cmd, 1, 0) + payload
        self.seq += 1
        msg = struct.pack("IHHII", 16 + len(body), family, flags, self.seq, 0) + body
        self.s.send(msg)
        replies = []
        while True:
            data = self.s.recv(1 << 20)
            off = 0
            while off + 16 <= len(data):
                mlen, mtype, mflags, mseq, _ = struct.unpack_from("IHHII", data, off)
                chunk = data[off + 16:off + mlen]
                off += (mlen + 3) & ~3
                if mtype == NLMSG_ERROR:
                    err = struct.unpack_from("i", chunk)[0]
                    if err == 0:
                        return replies
                    ext = ""
                    # capped ack: error + original nlmsghdr, then TLVs
                    for atype, val in parse_attrs(chunk[4 + 16:]):
                        if atype == 1:
                            ext = val.rstrip(b"\0").decode()
                    raise OSError(-err, ext or "(no extack)")
                if mtype == NLMSG_DONE:
                    return replies
                replies.append(chunk[4:])


def show(payload):
    for atype, val in parse_attrs(payload):
        name = next((k for k, v in DEV.items() if v[0] == atype), str(atype))
        kind = DEV.get(name, (0, "bin"))[1]
        if kind == "str":
            print(name, val.rstrip(b"\0").decode())
        elif kind == "u32":
            print(name, struct.unpack("I", val[:4])[0])
        elif kind == "s32":
            print(name, struct.unpack("i", val[:4])[0])
        elif kind == "u64":
            print(name, struct.unpack("Q", val[:8])[0])
        elif kind == "nest":
            for stype, sval in parse_attrs(val):
                if 1 <= stype <= len(STATS) and STATS[stype - 1] != "pad":
                    print(STATS[stype - 1], struct.unpack("Q", sval[:8])[0])


def kv(args):
    out = b""
    for a in args:
        k, _, v = a.partition("=")
        if k not in DEV:
            raise SystemExit("unknown attribute " + k)
        t, kind = DEV[k]
        if k == "layout":
            v = str(LAYOUTS.get(v, v))
        out += attr(t, enc(kind, v))
    return out


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    op = argv[1]
    g = Genl()
    try:
        if op == "add":
            pl = attr(3, enc("u64", argv[2])) + kv(argv[3:])
            for r in g.request(g.family, CMD["add"], pl):
                show(r)
        elif op in ("get", "del", "reset"):
            for r in g.request(g.family, CMD[op], attr(1, enc("u32", argv[2]))):
                show(r)
        elif op == "set":
            g.request(g.family, CMD["set"], attr(1, enc("u32", argv[2])) + kv(argv[3:]))
        elif op == "dump":
            for r in g.request(g.family, CMD["get"], b"", dump=True):
                show(r)
                print()
        elif op == "raw":
            pl = b""
            for a in argv[3:]:
                t, kind, v = a.split(":", 2)
                pl += attr(int(t), enc(kind, v))
            for r in g.request(g.family, int(argv[2]), pl):
                show(r)
        elif op == "groups":
            for k, v in g.groups.items():
                print(k, v)
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except OSError as e:
        print("error %s: %s" % (errno.errorcode.get(e.errno, e.errno), e.strerror),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
