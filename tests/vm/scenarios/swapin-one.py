#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""swapin-one.py DEV: how many reads swap-in faults cost on block device DEV.

Pages 64 private pages out with MADV_PAGEOUT (no memory pressure needed), faults
the middle 32 back in order, and prints "faults 32" and "reads N": the read I/Os
DEV (e.g. swaptab0, zram0) completed meanwhile, from /sys/block/DEV/stat.  A
synchronous device is read for each faulting page alone (N = 32); swap
readahead would also read pages past the last fault.  Exits 1 if the pages did
not reach swap or came back wrong.
"""
import mmap
import os
import sys

PAGES = 64
PAGE = mmap.PAGESIZE
# since Linux 5.4; bookworm's Python does not name it
MADV_PAGEOUT = getattr(mmap, "MADV_PAGEOUT", 21)


def reads(dev):
    with open("/sys/block/%s/stat" % dev) as f:
        return int(f.read().split()[0])


def swapped_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSwap:"):
                return int(line.split()[1])
    return 0


def main(dev):
    # MADV_PAGEOUT drains only this CPU's batch of pages not yet on the LRU:
    # write and page out from the same CPU
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    m = mmap.mmap(-1, PAGES * PAGE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    # distinct, compressible, never same-filled
    data = [os.urandom(64) * (PAGE // 64) for _ in range(PAGES)]
    for i, d in enumerate(data):
        m[i * PAGE:(i + 1) * PAGE] = d
    m.madvise(MADV_PAGEOUT)
    if swapped_kib() < PAGES * PAGE // 1024:
        print("only %d KiB of %d went to swap" % (swapped_kib(), PAGES * PAGE // 1024))
        return 1
    # in order, the pattern swap readahead widens its window for
    first, last = PAGES // 4, PAGES * 3 // 4
    before = reads(dev)
    back = [m[i * PAGE:(i + 1) * PAGE] for i in range(first, last)]
    after = reads(dev)
    for i, page in enumerate(back, first):
        if page != data[i]:
            print("page %d came back wrong" % i)
            return 1
    print("faults", last - first)
    print("reads", after - before)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
