#!/usr/bin/env python3
"""Kernel instructions per I/O, swaptab against zram, from an insn-count run.

usage: report.py OUT [TOP]

OUT holds kallsyms, phases.txt ("N PHASE IOS") and dump.N (insn-count.c:
"count n addr..." per block).  Prints, for the write and read phases (or
the swap phases, where an I/O is a page swapped out or in), each run's
kernel instructions per I/O, the devices' own code (symbols only one
of them runs: the driver, its compressor glue, zram's access-time clock)
and the TOP symbols whose counts differ most.  Counts are exact; what moves
from run to run is timing (spinning on contended locks, scheduler ticks).
"""
import bisect
import collections
import sys


def load_symbols(path):
    syms = []
    for line in open(path):
        f = line.split()
        if len(f) >= 3 and f[1] in "tTwW":
            syms.append((int(f[0], 16), f[2] + (f[3] if len(f) > 3 else "")))
    syms.sort()
    return [a for a, _ in syms], [n for _, n in syms]


def main():
    out = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    addrs, names = load_symbols(f"{out}/kallsyms")
    name_of = {}

    def symbol(addr):
        if addr not in name_of:
            i = bisect.bisect_right(addrs, addr) - 1
            name_of[addr] = names[i] if i >= 0 else "?"
        return name_of[addr]

    # per phase name: [(ios, Counter of instructions by symbol)] per run
    runs = collections.defaultdict(list)
    for line in open(f"{out}/phases.txt"):
        n, phase, ios = line.split()
        if not phase.endswith(("-write", "-read", "-swap")):
            continue
        c = collections.Counter()
        for block in open(f"{out}/dump.{n}"):
            f = block.split()
            count = int(f[0])
            for a in f[2:]:
                c[symbol(int(a, 16))] += count
        runs[phase].append((int(ios), c))

    kinds = [k for k in ("write", "read", "swap") if f"swaptab-{k}" in runs]
    if not kinds:
        sys.exit(f"no swaptab phase in {out}/phases.txt")
    what = {"write": "4K random write", "read": "4K random read", "swap": "swap workload"}
    for kind in kinds:
        per_io = {}
        for dev in ("swaptab", "zram"):
            rs = runs.get(f"{dev}-{kind}")
            if not rs:
                sys.exit(f"no {dev}-{kind} phase in {out}/phases.txt")
            total = collections.Counter()
            for _, c in rs:
                total.update(c)
            ios = sum(i for i, _ in rs)
            per_io[dev] = {s: v / ios for s, v in total.items()}
            each = ", ".join(f"{sum(c.values()) / i:.0f}" for i, c in rs)
            print(f"{what[kind]}, {dev}: {sum(per_io[dev].values()):.0f} "
                  f"kernel instructions per I/O ({ios} I/Os; runs: {each})")
        s, z = per_io["swaptab"], per_io["zram"]
        own = [(x, s.get(x, 0), z.get(x, 0)) for x in set(s) | set(z)
               if min(s.get(x, 0), z.get(x, 0)) < 0.05 * max(s.get(x, 0), z.get(x, 0))
               and max(s.get(x, 0), z.get(x, 0)) >= 1]
        so, zo = sum(v for _, v, _ in own), sum(v for _, _, v in own)
        print(f"  the devices' own code: swaptab {so:.0f}, zram {zo:.0f} per I/O "
              f"(swaptab - zram: {so - zo:+.0f})")
        for x, a, b in sorted(own, key=lambda t: -max(t[1], t[2])):
            print(f"    {a:8.1f} {b:8.1f}  {x}")
        print(f"  largest differences (swaptab, zram, difference per I/O):")
        for x in sorted(set(s) | set(z), key=lambda x: -abs(s.get(x, 0) - z.get(x, 0)))[:top]:
            a, b = s.get(x, 0), z.get(x, 0)
            print(f"    {a:8.1f} {b:8.1f} {a - b:+8.1f}  {x}")
        print()


if __name__ == "__main__":
    main()
