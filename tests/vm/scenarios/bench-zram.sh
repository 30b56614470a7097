#!/bin/bash
# bench-zram: swaptab against the kernel's zram in the same boot, same work,
# same algorithm. Prints figures and ratios (swaptab / zram); it asserts only
# that the work was done right (every page verified, fio without errors),
# never a speed: under TCG absolute figures mean little, ratios in one run do.
#
#   swap:   swapload of 1.5x the guest's RAM through each device as swap
#   raw:    fio 4 KiB random write, then random read, on each raw device
#   memory: pool + metadata per GiB stored, read while the data is resident
#
#   SWAPTAB_BENCH_ALGO (lz4), SWAPTAB_BENCH_FACTOR (150: % of RAM)
set -u
. "$SRC/tests/vm/scenario-lib.sh"
ALGO=${SWAPTAB_BENCH_ALGO:-lz4}
FACTOR=${SWAPTAB_BENCH_FACTOR:-150}
SWAPLOAD=$SRC/build/host/tests/workload/swapload
RES=$OUT/results.txt
: >"$RES"
record() { echo "$1=$2" >>"$RES"; }

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
	"$SWAPLOAD" --size "$work_mib" --procs 2 --passes 2 >"$OUT/$name-swapload.txt" 2>&1 &
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
	for k in write read1 read2; do
		record "$name.$k.mbs" "$(awk -F= -v k="$k" '$1 ~ "\\."k"_mbs$" { s += $2 } END { print s + 0 }' \
			"$OUT/$name-swapload.txt")"
	done
	check "$name-swapoff" swapoff "/dev/$dev"
}

# fio_run NAME DEV: 4 KiB random write then random read, two jobs.
fio_run() {
	local name=$1 dev=$2 rw
	for rw in randwrite randread; do
		if fio --name="$name-$rw" --filename="/dev/$dev" --rw=$rw --bs=4k --direct=1 \
			--ioengine=psync --numjobs=2 --size=128M --offset_increment=128M \
			--buffer_compress_percentage=50 --refill_buffers --group_reporting \
			--output-format=json --output="$OUT/$name-$rw.json" >/dev/null 2>&1; then
			pass "$name-fio-$rw"
			record "$name.$rw.iops" "$(python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
print(round(j["write" if sys.argv[2] == "randwrite" else "read"]["iops"]))' \
				"$OUT/$name-$rw.json" "$rw")"
		else
			fail "$name-fio-$rw" "fio failed: $(tail -n 2 "$OUT/$name-$rw.json" | tr '\n' ' ')"
		fi
	done
}

# --- zram
check zram-load modprobe zram num_devices=1
echo "$ALGO" >/sys/block/zram0/comp_algorithm
echo "${dev_mib}M" >/sys/block/zram0/disksize
swap_run zram zram0
fio_run zram zram0
echo 1 >/sys/block/zram0/reset
check zram-unload rmmod zram

# --- swaptab
check swaptab-load load_module
dev=$("$SWAPTABCTL" add --size "${dev_mib}M" --algorithm "$ALGO" 2>&1)
if [[ $dev == /dev/swaptab* ]]; then
	pass swaptab-add
	dev=${dev#/dev/}
	swap_run swaptab "$dev"
	fio_run swaptab "$dev"
	check swaptab-remove "$SWAPTABCTL" remove "$dev"
else
	fail swaptab-add "$dev"
fi
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
row("swap read pass 1 (MB/s)", "read1.mbs", True)
row("swap read pass 2 (MB/s)", "read2.mbs", True)
row("raw 4K random write (IOPS)", "randwrite.iops", True)
row("raw 4K random read (IOPS)", "randread.iops", True)
for dev in ("zram", "swaptab"):
    if r.get(dev + ".stored_bytes"):
        r[dev + ".per_gib"] = r[dev + ".mem_used_bytes"] / r[dev + ".stored_bytes"] * 2**30 / 2**20
row("RAM per GiB stored (MiB)", "per_gib", False)
EOF
finish
