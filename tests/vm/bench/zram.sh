#!/bin/bash
# bench zram: swaptab against the kernel's zram in the same boot, same work,
# same algorithm. Prints figures and ratios (swaptab / zram); it asserts only
# that the work was done right (every page verified, fio without errors),
# never a speed: under TCG absolute figures mean little, ratios in one run do.
# tests/all runs it in a boot of its own per kernel, after the scenarios, so
# no other guest competes for the host's cores.
#
#   swap:   swapload of 1.5x the guest's RAM (1.25x under SWAPTAB_QUICK)
#           through each device as swap, six times per device in ABBA BAAB
#           ABBA order (four, ABBA ABBA, under SWAPTAB_QUICK); see "Why
#           ABBA" below
#   driver: perf samples every CPU through each swap run; the CPU time under
#           the driver's entry points (submit_bio, rw_page, slot free
#           notify, with all they call: compression, pool, table) over the
#           pages swapped out and in is the driver's cost per page.  MB/s
#           moves 10-20% from run to run with the kernel's reclaim (IPI
#           waits for TLB shootdowns alone swing by seconds under TCG);
#           this figure is what the device itself costs.
#   raw:    fio 4 KiB random write (three passes over 256 MiB: the first
#           fills the empty device, the others overwrite), then random read
#           of that data for 4 s, on each raw device, as many rounds per
#           device as swap runs, in the swap runs' order, each starting
#           from empty devices
#   memory: pool + metadata per GiB stored, read while the data is resident;
#           zram's table is its slots times sizeof(struct zram_table_entry)
#           as swaptabctl reads it from the zram module's BTF
#
#   SWAPTAB_BENCH_THP (stock: the kernel's THP setting, Debian's "always",
#   so swap sees whole 2 MiB folios; never; 64k: 64 KiB mTHP only; see
#   scenario-lib.sh's thp_set), SWAPTAB_BENCH_ALGO (lz4), SWAPTAB_BENCH_FACTOR (% of RAM per swap run:
#   150, or 125 under SWAPTAB_QUICK), SWAPTAB_QUICK=1: one swap read pass
#   instead of two, SWAPTAB_BENCH_ORDER (the devices' runs, in order; see
#   below), SWAPTAB_BENCH_WARMUP (% of RAM of the warm-up run, 110; 0: none)
#
# Why ABBA, and why the median: a swap run changes the guest for the runs
# after it (it evicts the page cache and the other processes' anonymous
# memory, leaves the page allocator fragmented), and the host's load drifts
# over a boot.  Measured on bookworm with one run per device and no warm-up:
# whichever device ran second lost 5-8% of write MB/s (swaptab first: 1.05,
# zram first: 0.92).  So an unmeasured warm-up run (zram, 110% of RAM) takes
# the first-run step, then A B B A gives each device one run in each half
# and the same mean position, so any effect linear in time cancels in the
# per-device mean; B A A B and A B B A after it do the same again.  Single
# runs move by 10-20%, so six runs per device are what a ratio near 1.0
# needs (four under SWAPTAB_QUICK, for time; see below).  The headline is
# each device's median, the mean beside it: a run that stalls (seen:
# zram's write pass at 25 MB/s among five of 58-87, in one bookworm boot)
# moves the mean by a sixth of its stall, the median not at all.  With
# this order the median is as drift-neutral as the mean:
# under monotone drift each device's median is the mean of its runs at
# positions 6 and 7 (swaptab) or 5 and 8 (zram), both 6.5 on average (in
# SWAPTAB_QUICK's ABBA ABBA: 4 and 5, or 3 and 6, both 4.5).  fio
# rounds follow the same order, and last seconds each: single passes of
# 256 MiB took 0.4 s to read (one host hiccup moved a round by 20%).
# Beside the medians: the Hodges-Lehmann ratio (median of the 36, or 16,
# ratios of one swaptab run over one zram run) and its 95% confidence
# interval from the exact Mann-Whitney distribution; "ahead" names a device
# only when the interval excludes 1.0, since six or four runs cannot tell
# a few percent apart from this noise.
# Every run is recorded in results.txt (NAME.runN.*, NAME.fioN.*) and
# printed in order, so a noisy run can be seen.  Under SWAPTAB_QUICK each
# run is 125% of RAM (the work still exceeds RAM, so every run swaps) and
# has one read pass, and each device gets four runs and rounds, not six:
# tests/all's three benches took 50-55 of CI's 90 minutes with six.  Four
# still give a 95% interval (the smallest one-sided tail of 4 against 4
# runs is 1/70), only a wider one.
set -u
. "$SRC/tests/vm/scenario-lib.sh"
ALGO=${SWAPTAB_BENCH_ALGO:-lz4}
PASSES=2 FACTOR=150
[ "${SWAPTAB_QUICK:-0}" = 1 ] && PASSES=1 FACTOR=125
FACTOR=${SWAPTAB_BENCH_FACTOR:-$FACTOR}
ORDER='swaptab zram zram swaptab zram swaptab swaptab zram swaptab zram zram swaptab'
[ "${SWAPTAB_QUICK:-0}" = 1 ] && ORDER='swaptab zram zram swaptab swaptab zram zram swaptab'
ORDER=${SWAPTAB_BENCH_ORDER:-$ORDER}
WARMUP=${SWAPTAB_BENCH_WARMUP:-110}
THP_MODE=${SWAPTAB_BENCH_THP:-stock}
RES=$OUT/results.txt
: >"$RES"
record() { echo "$1=$2" >>"$RES"; }

mem_kb=$(awk '/MemTotal/ { print $2 }' /proc/meminfo)
work_mib=$((mem_kb * FACTOR / 100 / 1024))
dev_mib=$((work_mib * 2))
check "thp-$THP_MODE" thp_set "$THP_MODE"
echo "bench: $ALGO, ${work_mib} MiB of work, devices of ${dev_mib} MiB, guest RAM $((mem_kb / 1024)) MiB, THP $THP_MODE ($(cat "$THP/enabled"))"

# resident_bytes DEV: pool + metadata bytes and stored bytes, "used stored".
# It samples every 2 s during the timed swap runs, so it is one awk on a
# kernel file for either device: with swaptabctl + python3 per sample (as
# before) it took ~0.7 s (swaptab) and ~1.1 s (zram: overhead parses BTF) of
# one of the guest's two vCPUs, a third of a CPU taken from the run, and
# more from zram's than from swaptab's.
resident_bytes() {
	case $1 in
	zram*)
		# mm_stat: orig compr mem_used ...; the table is disksize/4096 entries.
		awk -v slots=$((dev_mib * 256)) -v e="$zram_entry" \
			'{ print $3 + slots * e, $1 }' "/sys/block/$1/mm_stat"
		;;
	swaptab*)
		# the same st_dev_stats() figures swaptabctl stats reports
		awk '{ v[$1] = $2 } END { print v["pool_bytes"] + v["meta_static_bytes"] + v["meta_dynamic_bytes"], v["orig_bytes"] }' \
			"/sys/kernel/debug/swaptab/$1/stats"
		;;
	esac
}

# swap_run NAME DEV RUN [MIB]: swapload of MIB (default $work_mib) through DEV
# as swap; records NAME.runRUN.* : MB/s of each pass, the pages swapped out,
# the driver's CPU per page, and the memory per stored GiB at the sample
# where the most data was resident.  RUN 0 is the warm-up: checked, not
# recorded.

# The driver's entry points, as perf names them.
declare -A DRIVER=([swaptab]='^(st_submit_bio|st_rw_page|st_swap_slot_free_notify)$'
	[zram]='^(zram_submit_bio|zram_rw_page|zram_slot_free_notify)$')
PERF_DATA=/var/tmp/bench-perf.data
# perf resolves kernel and module symbols through /proc/kallsyms
echo 0 >/proc/sys/kernel/kptr_restrict

# perf_report: samples and their callers' share by symbol.
perf_report() {
	perf report -i "$PERF_DATA" --children --sort sym -g none --stdio
}

# entry_ranges NAME: "start end" of each of NAME's entry points, from its
# symbol to the next one of its module (fixed-width lowercase hex).  From a
# copy of the modules' symbols, taken once: under TCG each read of
# /proc/kallsyms and its sort took ~35 s, per run.
MODSYMS=/var/tmp/bench-modsyms
rm -f "$MODSYMS"
entry_ranges() {
	[ -s "$MODSYMS" ] || grep -E '\[(swaptab|zram)\]$' /proc/kallsyms | sort >"$MODSYMS"
	awk -v re="${DRIVER[$1]}" '
		start { print start, $1; start = "" }
		$3 ~ re { start = $1 }' "$MODSYMS"
}

# driver_us NAME PAGES: CPU microseconds per page spent under NAME's entry
# points in $PERF_DATA (their "children" share of the samples: the entry
# points never call each other, so the shares add up); nothing when no
# sample fell under them, which fails the run's profile case.
#
# On sid, in about one swaptab run of four, perf report leaves the module's
# addresses unresolved (also with --kallsyms), each distinct address a line
# of its own, while it resolves the kernel's and other modules'.  A sample's
# stack has one frame at most in an entry point, so the shares of the
# unresolved addresses inside an entry point's range add up to its own;
# they are counted so, and how many were is logged.
driver_us() {
	local ranges

	ranges=$(entry_ranges "$1")
	perf_report 2>/dev/null |
		awk -v re="${DRIVER[$1]}" -v pages="$2" -v ranges="$ranges" '
			BEGIN {
				# "@": compare as strings, never as (inexact) numbers
				n = split(ranges, r, /[ \n]/)
				for (i = 1; i < n; i += 2) {
					lo[i] = "@" r[i]
					hi[i] = "@" r[i + 1]
				}
			}
			/^# Event count/ { ev = $NF }
			$1 ~ /%$/ && $NF ~ re { share += $1 }
			$1 ~ /%$/ && $NF ~ /^0x/ {
				ip = "@" substr($NF, 3)
				for (i in lo)
					if (ip >= lo[i] && ip < hi[i]) {
						share += $1
						raw++
					}
			}
			END {
				if (raw)
					printf "driver profile: %d unresolved addresses in entry points, counted by range\n", raw >"/dev/stderr"
				if (ev && pages && share > 0)
					printf "%.2f\n", share / 100 * ev / 1000 / pages
			}'
}

swap_run() {
	local name=$1 dev=$2 run=$3 mib=${4:-$work_mib} pid rc best=0 best_used=0 used stored
	local tag=$name-run$run key=$name.run$run txt out0 in0 us
	txt=$OUT/$tag-swapload.txt
	check "$tag-mkswap" mkswap "/dev/$dev"
	check "$tag-swapon" swapon "/dev/$dev"
	out0=$(pswpout)
	in0=$(pswpin)
	perf record -q -F 499 -e cpu-clock -a -g -o "$PERF_DATA" -- \
		"$SWAPLOAD" --size "$mib" --procs 2 --passes "$PASSES" >"$txt" 2>&1 &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		read -r used stored <<<"$(resident_bytes "$dev")"
		if [ "${stored:-0}" -gt "$best" ]; then
			best=$stored
			best_used=$used
		fi
		sleep 2
	done
	wait $pid
	rc=$?
	out0=$(($(pswpout) - out0))
	in0=$(($(pswpin) - in0))
	echo "--- $tag ($mib MiB, $out0 pages swapped out, $in0 in)"
	cat "$txt"
	if [ $rc -eq 0 ] && grep -q 'result=ok' "$txt"; then
		pass "$tag-swapload-verified"
	else
		fail "$tag-swapload-verified" "swapload exit $rc"
	fi
	# The work exceeds RAM by (mib - RAM); at least half of that must have
	# gone to the device (zero pages may bypass it on newer kernels), or
	# the run measured memory, not swap.
	local excess=$(((mib * 1024 - mem_kb) / 4))
	if [ $((out0 * 2)) -ge "$excess" ]; then
		pass "$tag-swapped"
	else
		fail "$tag-swapped" "$out0 pages swapped out, fewer than half of the $excess pages the work exceeds RAM by"
	fi
	check "$tag-swapoff" swapoff "/dev/$dev"
	[ "$run" -gt 0 ] || return 0
	us=$(driver_us "$name" $((out0 + in0)))
	if [ -n "$us" ]; then
		pass "$tag-driver-profile"
		record "$key.driver_us" "$us"
	else
		fail "$tag-driver-profile" "perf found no samples under ${DRIVER[$name]}"
		# what perf did see, to tell a lost profile from an unresolved module
		perf_report >"$OUT/$tag-perf-report.txt" 2>&1
	fi
	rm -f "$PERF_DATA"
	record "$key.mem_used_bytes" "$best_used"
	record "$key.stored_bytes" "$best"
	record "$key.pswpout" "$out0"
	# MB/s of each phase: all the processes' bytes over its wall time
	for k in write $(seq -f 'read%g' "$PASSES"); do
		record "$key.$k.mbs" "$(awk -F= -v k="$k" '$1 ~ "\\."k"_mbs$" { s += $2 } END { print s + 0 }' "$txt")"
	done
}

# fio_round NAME DEV ROUND: 4 KiB random write then random read, two jobs
# of 128 MiB each, on an empty device; records
# NAME.fioROUND.{randwrite,randread}.iops.  ROUND 0 is the warm-up:
# checked, not recorded.
declare -A FIO_LENGTH=([randwrite]='--loops=3' [randread]='--time_based --runtime=4')
fio_round() {
	local name=$1 dev=$2 round=$3 rw iops
	for rw in randwrite randread; do
		# shellcheck disable=SC2086 # FIO_LENGTH holds options
		if fio_4k "$dev" "$rw" "$OUT/$name-$rw-$round.json" ${FIO_LENGTH[$rw]}; then
			pass "$name-fio-$rw-$round"
			iops=$(python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
print(round(j["write" if sys.argv[2] == "randwrite" else "read"]["iops"]))' \
				"$OUT/$name-$rw-$round.json" "$rw")
			[ "$round" -eq 0 ] || record "$name.fio$round.$rw.iops" "$iops"
		else
			fail "$name-fio-$rw-$round" "fio failed: $(tail -n 2 "$OUT/$name-$rw-$round.json" | tr '\n' ' ')"
		fi
	done
}

# zram_init: an empty zram0 of the benchmark's size and algorithm; it
# allocates zram's table for every slot.  zram_reset: no zram0 device, no
# table (reset frees it), as on a machine that swaps on swaptab instead.
zram_reset() { echo 1 >/sys/block/zram0/reset; }
zram_init() {
	zram_reset &&
		echo "$ALGO" >/sys/block/zram0/comp_algorithm &&
		echo "${dev_mib}M" >/sys/block/zram0/disksize
}

# zram_step STEP N [ARG]: STEP zram zram0 N [ARG] on a zram0 that exists
# for it alone.
zram_step() {
	check "zram-$1-init-$2" zram_init
	"$1" zram zram0 "${@:2}"
	check "zram-$1-reset-$2" zram_reset
}

# swaptab_step STEP N [ARG]: STEP swaptab on the swaptab device N [ARG],
# then empty the device (its fixed bytes stay).
swaptab_step() {
	"$1" swaptab "$dev" "${@:2}"
	check "swaptab-$1-reset-$2" "$SWAPTABCTL" reset "$dev"
}

# in_order STEP ORDER: NAME_step STEP N (STEP: fio_round or swap_run) for
# each device NAME of ORDER in turn, N counting from 1: each on an empty
# device, emptied after.
in_order() {
	local step=$1 name n=0
	for name in $2; do
		n=$((n + 1))
		"${name}_step" "$step" "$n"
	done
}

# Each device holds what it costs only during its own runs, as on a
# machine that swaps on one of them: the other device is empty.  Before,
# the other device's data stayed resident through a run (in the same order
# every round: swaptab always ran with zram's 128 MiB pool in RAM, zram
# never with swaptab's), and zram's table for every slot of its device
# (16-24 bytes per slot: 10-18 MiB here) took from swaptab's swap runs the
# RAM it takes from zram's own.  An empty swaptab device costs its fixed
# bytes and stays between its runs; zram0 is reset, which frees its table.
check zram-load modprobe zram num_devices=1
# sizeof(struct zram_table_entry), from the zram module's BTF, once
zram_entry=$("$SWAPTABCTL" overhead -J | python3 -c \
	'import json,sys; z=json.load(sys.stdin)["zram"]; print(z["table_entry_size"] if z else 0)')
check swaptab-load load_module
dev=$("$SWAPTABCTL" add --size "${dev_mib}M" --algorithm "$ALGO" 2>&1)
if [[ $dev == /dev/swaptab* ]]; then
	pass swaptab-add
	dev=${dev#/dev/}
	# The first fio run of a boot is slow whatever the device (seen: half
	# the IOPS of the later rounds), and a device's first round pays for
	# its first use (7.2 on the instruction clock: swaptab's first round
	# 0.5% below its later one, in two boots), so an unrecorded round of
	# each device takes that.
	zram_step fio_round 0
	swaptab_step fio_round 0
	in_order fio_round "$ORDER"
	# Warm-up (see "Why ABBA"): a short run that pushes the guest into
	# swap once, so the first measured run does not pay for it alone.
	[ "$WARMUP" -gt 0 ] && zram_step swap_run 0 "$((mem_kb * WARMUP / 100 / 1024))"
	in_order swap_run "$ORDER"
	check swaptab-remove "$SWAPTABCTL" remove "$dev"
else
	fail swaptab-add "$dev"
fi
check zram-unload rmmod zram
check swaptab-unload unload_module

# --- the comparison
python3 - "$RES" "$ALGO" <<'EOF'
import sys
import re
from collections import defaultdict
from statistics import mean, median
runs = defaultdict(list)
for line in open(sys.argv[1]):
    k, _, v = line.strip().partition("=")
    m = re.fullmatch(r"(\w+)\.(run|fio)(\d+)\.(.+)", k)
    if m:
        runs[m[1], m[4]].append((int(m[3]), float(v)))
# per run: memory per GiB stored; per device: the median of its runs and
# fio rounds (see "Why ABBA"), and the mean beside it
for (dev, key), vals in list(runs.items()):
    if key == "stored_bytes":
        used = dict(runs[dev, "mem_used_bytes"])
        runs[dev, "per_gib"] = [(n, used[n] / v * 2**30 / 2**20) for n, v in vals if v]
out = {n: v for (dev, key), vals in runs.items() if key == "pswpout" for n, v in vals}
med = {dev + "." + key: median(v for _, v in vals) for (dev, key), vals in runs.items()}
avg = {dev + "." + key: mean(v for _, v in vals) for (dev, key), vals in runs.items()}
print("\nswap runs in order (MB/s; driver CPU us per page swapped out or in):")
for n, dev in sorted((n, dev) for (dev, key), vals in runs.items() if key == "write.mbs" for n, _ in vals):
    keys = sorted((k for d, k in runs if d == dev and k.endswith(".mbs")), key=lambda k: k != "write.mbs")
    drv = dict(runs.get((dev, "driver_us"), []))
    print(f"  run {n}: {dev:8} " + "  ".join(f"{k[:-4]} {dict(runs[dev, k])[n]:6.1f}" for k in keys)
          + (f"  driver {drv[n]:5.2f}" if n in drv else "  driver     -")
          + f"  swapped out {out.get(n, 0):8.0f} pages")
print("\nfio rounds in order (IOPS):")
for n, dev in sorted((n, dev) for (dev, key), vals in runs.items() if key == "randwrite.iops" for n, _ in vals):
    print(f"  round {n}: {dev:8} " + "  ".join(
        f"{k[:-5]} {dict(runs.get((dev, k), [])).get(n, 0):9.0f}" for k in ("randwrite.iops", "randread.iops")))
print(f"\nswaptab vs zram ({sys.argv[2]}, same guest, same work); ratio = swaptab / zram")
print(f"{'metric (median of runs)':34} {'zram':>12} {'swaptab':>12} {'ratio':>7}  {'of means':>8}  "
      f"{'pairwise [95% CI]':>21}  {'ahead':>7}  better if")
def fmt(v):
    return "-" if v is None else f"{v:.2f}" if abs(v) < 100 else f"{v:.1f}"
def ratio(r, key):
    z, s = r.get("zram." + key), r.get("swaptab." + key)
    # three places: on the instruction clock (SWAPTAB_VM_ICOUNT) fio rounds
    # repeat within ~0.1% (swap runs ~1%), and 0.999 is not 1.00
    return f"{s / z:.3f}" if z and s is not None else "-"
def u_tail(n, m):
    """P(U <= u) for u = 0..n*m, U the Mann-Whitney statistic of n and m
    runs with no difference between the devices (exact, by counting)."""
    # ways[i][j][u]: orderings of i runs of one device and j of the other
    # in which u pairs have the first device's run below the other's
    ways = [[None] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 or j == 0:
                ways[i][j] = [1]
                continue
            a, b = ways[i - 1][j], ways[i][j - 1]
            w = [0] * (i * j + 1)
            for u, c in enumerate(a):
                w[u + j] += c
            for u, c in enumerate(b):
                w[u] += c
            ways[i][j] = w
    total, acc, tail = sum(ways[n][m]), 0, []
    for c in ways[n][m]:
        acc += c
        tail.append(acc / total)
    return tail
def pairwise(key):
    """Hodges-Lehmann ratio (median of every swaptab run over every zram
    run) and its distribution-free 95% confidence interval: a ratio whose
    interval holds 1.0 is a tie at this number of runs."""
    s = [v for _, v in runs.get(("swaptab", key), [])]
    z = [v for _, v in runs.get(("zram", key), []) if v]
    if len(s) < 2 or len(z) < 2:
        return None
    r = sorted(a / b for a in s for b in z)
    c = sum(1 for p in u_tail(len(s), len(z)) if p <= 0.025)
    if c == 0:
        return median(r), None, None
    return median(r), r[c - 1], r[len(r) - c]
def verdict(pw, higher):
    if pw is None or pw[1] is None:
        return "-"
    if pw[1] <= 1.0 <= pw[2]:
        return "tie"
    return "swaptab" if (pw[1] > 1.0) == higher else "zram"
def row(label, key, higher):
    pw = pairwise(key)
    ci = "-" if pw is None or pw[1] is None else f"{pw[0]:.3f} [{pw[1]:.3f}, {pw[2]:.3f}]"
    print(f"{label:34} {fmt(med.get('zram.' + key)):>12} {fmt(med.get('swaptab.' + key)):>12} "
          f"{ratio(med, key):>7}  {ratio(avg, key):>8}  {ci:>21}  {verdict(pw, higher):>7}  "
          + ("higher" if higher else "lower"))
row("swap write pass (MB/s)", "write.mbs", True)
for p in (1, 2):
    if "zram.read%d.mbs" % p in med:
        row("swap read pass %d (MB/s)" % p, "read%d.mbs" % p, True)
row("driver CPU per page (us)", "driver_us", False)
row("raw 4K random write (IOPS)", "randwrite.iops", True)
row("raw 4K random read (IOPS)", "randread.iops", True)
row("RAM per GiB stored (MiB)", "per_gib", False)
# how far a device's own runs lie apart: a ratio within that is a tie
spread = [f"{dev} {key.rsplit('.', 1)[0]} {max(v for _, v in vals) / min(v for _, v in vals):.2f}x"
          for (dev, key), vals in sorted(runs.items())
          if key.endswith((".mbs", ".iops")) and min(v for _, v in vals) > 0]
print("\nrun-to-run spread (fastest / slowest run of one device): " + ", ".join(spread))
EOF
finish
