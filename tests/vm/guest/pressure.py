#!/usr/bin/env python3
"""Memory-pressure workload: fill more memory than the guest has with mixed pages
(1/8 zero, 1/8 same-filled, 1/8 random, 5/8 ~2:1 compressible), then read it all back
twice, checking every page. Prints MB/s per pass and the number of bad pages.

    pressure.py [MiB]   (default: 1.5 x MemTotal)
"""
import hashlib
import os
import sys
import time

PAGE = 4096


def mem_total_mib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    return 1024


def page(i):
    kind = i % 8
    if kind == 0:
        return bytes(PAGE)
    if kind == 1:
        return (i & 0xFF).to_bytes(1, "little") * PAGE
    if kind == 2:
        return os.urandom(PAGE)
    half = hashlib.sha256(i.to_bytes(8, "little")).digest() * (PAGE // 64)
    return half + bytes(PAGE // 2)


def main():
    mib = int(sys.argv[1]) if len(sys.argv) > 1 else mem_total_mib() * 3 // 2
    npages = mib * 256
    chunks, sums = [], []
    t = time.monotonic()
    for c in range(0, npages, 256):
        buf = bytearray(b"".join(page(i) for i in range(c, min(c + 256, npages))))
        chunks.append(buf)
        sums.append(hashlib.blake2b(buf, digest_size=8).digest())
    dt = time.monotonic() - t
    print(f"pressure: wrote {mib} MiB in {dt:.1f} s ({mib * 1.048576 / dt:.1f} MB/s)")
    bad = 0
    for rnd in (1, 2):
        t = time.monotonic()
        for buf, s in zip(chunks, sums):
            if hashlib.blake2b(buf, digest_size=8).digest() != s:
                bad += 1
        dt = time.monotonic() - t
        print(f"pressure: read pass {rnd}: {mib * 1.048576 / dt:.1f} MB/s")
    print(f"pressure: {bad} bad MiB chunks")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
