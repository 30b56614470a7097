#!/bin/bash
# bench zram: swaptab against the kernel's zram in the same boot, same work,
# same algorithm. Prints figures and ratios (swaptab / zram); it asserts only
# that the work was done right (every page verified, fio without errors),
# never a speed: under TCG absolute figures mean little, ratios in one run do.
# tests/all runs it in a boot of its own per kernel, after the scenarios, so
# no other guest competes for the host's cores.
#
#   swap:   swapload of 1.5x the guest's RAM through each device as swap
#   raw:    fio 4 KiB random write, then random read, on each raw device,
#           in interleaved rounds (best of each), so a busy moment of the
#           host does not fall on one device only
#   memory: pool + metadata per GiB stored, read while the data is resident;
#           zram's table is its slots times sizeof(struct zram_table_entry)
#           as swaptabctl reads it from the zram module's BTF
#
#   SWAPTAB_BENCH_ALGO (lz4), SWAPTAB_BENCH_FACTOR (150: % of RAM),
#   SWAPTAB_QUICK=1: one swap read pass and one fio round instead of two
set -u
. "$SRC/tests/vm/scenario-lib.sh"
ALGO=${SWAPTAB_BENCH_ALGO:-lz4}
FACTOR=${SWAPTAB_BENCH_FACTOR:-150}
SWAPLOAD=$SRC/build/host/tests/workload/swapload
RES=$OUT/results.txt
: >"$RES"
record() { echo "$1=$2" >>"$RES"; }
PASSES=2 ROUNDS=2
[ "${SWAPTAB_QUICK:-0}" = 1 ] && PASSES=1 ROUNDS=1

mem_kb=$(awk '/MemTotal/ { print $2 }' /proc/meminfo)
work_mib=$((mem_kb * FACTOR / 100 / 1024))
dev_mib=$((work_mib * 2))
echo "bench: $ALGO, ${work_mib} MiB of work, devices of ${dev_mib} MiB, guest RAM $((mem_kb / 1024)) MiB"

# resident_bytes DEV: pool + metadata bytes and stored bytes, "used stored".
resident_bytes() {
	case $1 in
	zram*)
		# mm_stat: orig compr mem_used ...; the table is disksize/4096 entries.
		local entry
		entry=$("$SWAPTABCTL" overhead -J | python3 -c \
			'import json,sys; z=json.load(sys.stdin)["zram"]; print(z["table_entry_size"] if z else 0)')
		awk -v slots=$((dev_mib * 256)) -v e="$entry" \
			'{ print $3 + slots * e, $1 }' "/sys/block/$1/mm_stat"
		;;
	swaptab*)
		"$SWAPTABCTL" stats -J "$1" | python3 -c '
import json, sys
s = json.load(sys.stdin)["devices"][0]["stats"]
print(s["pool_bytes"] + s["meta_static_bytes"] + s["meta_dynamic_bytes"], s["orig_bytes"])'
		;;
	esac
}

# swap_run NAME DEV: swapload through DEV as swap; records MB/s and the
# memory per stored GiB at the sample where the most data was resident.
swap_run() {
	local name=$1 dev=$2 pid rc best=0 best_used=0 used stored
	check "$name-mkswap" mkswap "/dev/$dev"
	check "$name-swapon" swapon "/dev/$dev"
	"$SWAPLOAD" --size "$work_mib" --procs 2 --passes "$PASSES" >"$OUT/$name-swapload.txt" 2>&1 &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		read -r used stored <<<"$(resident_bytes "$dev")"
		if [ "${stored:-0}" -gt "$best" ]; then
			best=$stored
			best_used=$used
		fi
		sleep 2
	done
	record "$name.mem_used_bytes" "$best_used"
	record "$name.stored_bytes" "$best"
	wait $pid
	rc=$?
	cat "$OUT/$name-swapload.txt"
	if [ $rc -eq 0 ] && grep -q 'result=ok' "$OUT/$name-swapload.txt"; then
		pass "$name-swapload-verified"
	else
		fail "$name-swapload-verified" "swapload exit $rc"
	fi
	# MB/s of each pass, summed over the processes
	for k in write $(seq -f 'read%g' "$PASSES"); do
		record "$name.$k.mbs" "$(awk -F= -v k="$k" '$1 ~ "\\."k"_mbs$" { s += $2 } END { print s + 0 }' \
			"$OUT/$name-swapload.txt")"
	done
	check "$name-swapoff" swapoff "/dev/$dev"
}

# fio_round NAME DEV ROUND: 4 KiB random write then random read, two jobs;
# keeps the best IOPS of the rounds so far.
fio_round() {
	local name=$1 dev=$2 round=$3 rw iops key
	for rw in randwrite randread; do
		key=$name.$rw.iops
		if fio --name="$name-$rw" --filename="/dev/$dev" --rw=$rw --bs=4k --direct=1 \
			--ioengine=psync --numjobs=2 --size=128M --offset_increment=128M \
			--buffer_compress_percentage=50 --refill_buffers --group_reporting \
			--output-format=json --output="$OUT/$name-$rw-$round.json" >/dev/null 2>&1; then
			pass "$name-fio-$rw-$round"
			iops=$(python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
print(round(j["write" if sys.argv[2] == "randwrite" else "read"]["iops"]))' \
				"$OUT/$name-$rw-$round.json" "$rw")
			[ "$iops" -gt "${best_iops[$key]:-0}" ] && best_iops[$key]=$iops
		else
			fail "$name-fio-$rw-$round" "fio failed: $(tail -n 2 "$OUT/$name-$rw-$round.json" | tr '\n' ' ')"
		fi
	done
}

# zram_init: an empty zram0 of the benchmark's size and algorithm.
zram_init() {
	echo 1 >/sys/block/zram0/reset &&
		echo "$ALGO" >/sys/block/zram0/comp_algorithm &&
		echo "${dev_mib}M" >/sys/block/zram0/disksize
}

# Both devices exist from here on, so fio rounds can alternate between them.
check zram-load modprobe zram num_devices=1
check zram-init zram_init
check swaptab-load load_module
dev=$("$SWAPTABCTL" add --size "${dev_mib}M" --algorithm "$ALGO" 2>&1)
if [[ $dev == /dev/swaptab* ]]; then
	pass swaptab-add
	dev=${dev#/dev/}
	declare -A best_iops
	for round in $(seq "$ROUNDS"); do
		fio_round zram zram0 "$round"
		fio_round swaptab "$dev" "$round"
	done
	for key in "${!best_iops[@]}"; do
		record "$key" "${best_iops[$key]}"
	done
	# fio's data goes; the swap runs start from empty devices
	check swaptab-reset "$SWAPTABCTL" reset "$dev"
	check zram-reinit zram_init
	swap_run swaptab "$dev"
	swap_run zram zram0
	check swaptab-remove "$SWAPTABCTL" remove "$dev"
else
	fail swaptab-add "$dev"
fi
echo 1 >/sys/block/zram0/reset
check zram-unload rmmod zram
check swaptab-unload unload_module

# --- the comparison
python3 - "$RES" "$ALGO" <<'EOF'
import sys
r = {}
for line in open(sys.argv[1]):
    k, _, v = line.strip().partition("=")
    r[k] = float(v)
print(f"\nswaptab vs zram ({sys.argv[2]}, same guest, same work); ratio = swaptab / zram")
print(f"{'metric':34} {'zram':>12} {'swaptab':>12} {'ratio':>7}  better if")
def fmt(v):
    return "-" if v is None else f"{v:.1f}"
def row(label, key, higher):
    z, s = r.get("zram." + key), r.get("swaptab." + key)
    ratio = f"{s / z:7.2f}" if z and s is not None else "      -"
    print(f"{label:34} {fmt(z):>12} {fmt(s):>12} {ratio}  "
          + ("higher" if higher else "lower"))
row("swap write pass (MB/s)", "write.mbs", True)
for p in (1, 2):
    if "zram.read%d.mbs" % p in r:
        row("swap read pass %d (MB/s)" % p, "read%d.mbs" % p, True)
row("raw 4K random write (IOPS)", "randwrite.iops", True)
row("raw 4K random read (IOPS)", "randread.iops", True)
for dev in ("zram", "swaptab"):
    if r.get(dev + ".stored_bytes"):
        r[dev + ".per_gib"] = r[dev + ".mem_used_bytes"] / r[dev + ".stored_bytes"] * 2**30 / 2**20
row("RAM per GiB stored (MiB)", "per_gib", False)
EOF
finish
