#!/bin/bash
# module-swap: swaptab as real swap.  mkswap/swapon a swaptab device, run
# swapload (mixed zero, same-filled, compressible and random pages, >= 1.5x the
# guest's RAM, several processes, every page verified) once per THP mode: the
# kernel's own (Debian: always, so 2 MiB folios are swapped out whole), off,
# and 64 KiB mTHP where the kernel has it; then check that one swap-in
# fault reads as much as on zram (synchronous I/O, no readahead), then swapoff,
# check that swap's frees emptied the device, del, rmmod.
#   SWAPTAB_SWAP_ALGO (lz4), SWAPTAB_SWAP_LAYOUT (table), SWAPTAB_SWAP_FACTOR (150: % of RAM)
set -u
. "$SRC/tests/vm/scenario-lib.sh"
NL="python3 $SRC/tests/vm/scenarios/module-nl.py"
DBG=/sys/kernel/debug/swaptab
ALGO=${SWAPTAB_SWAP_ALGO:-lz4}
LAYOUT=${SWAPTAB_SWAP_LAYOUT:-table}
FACTOR=${SWAPTAB_SWAP_FACTOR:-150}
# SWAPTAB_QUICK=1 (tests/all): one read pass instead of two
PASSES=2
[ "${SWAPTAB_QUICK:-0}" = 1 ] && PASSES=1

stat() { awk -v k="$1" '$1 == k { print $2 }' "$DBG/swaptab$IDX/stats"; }

if [ ! -x "$SWAPLOAD" ]; then
	fail swapload "no $SWAPLOAD (cmake --build build/host --target swapload)"
	finish
fi

check load load_module
mem_kb=$(awk '/MemTotal/ { print $2 }' /proc/meminfo)
work_mib=$((mem_kb * FACTOR / 100 / 1024))
dev_mib=$((work_mib * 2))
# swaptabctl when it runs here, the python client otherwise
CTL=
[ -x "${SWAPTABCTL:-}" ] && "$SWAPTABCTL" --help >/dev/null 2>&1 && CTL=$SWAPTABCTL
if [ -n "$CTL" ]; then
	out=$("$CTL" add -s "${dev_mib}M" -a "$ALGO" --layout "$LAYOUT" 2>&1)
	IDX=$(echo "$out" | sed -n 's|^/dev/swaptab\([0-9][0-9]*\)$|\1|p')
	echo "swaptabctl add: $out"
else
	out=$($NL add $((dev_mib << 20)) algorithm="$ALGO" layout="$LAYOUT" 2>&1)
	IDX=$(echo "$out" | awk '$1 == "index" { print $2 }')
fi
if [ -z "$IDX" ]; then
	fail add "$out"
	finish
fi
pass add
udevadm settle 2>/dev/null || sleep 1
check mkswap mkswap /dev/swaptab$IDX
check swapon swapon -p 100 /dev/swaptab$IDX
cat /proc/swaps

# swap_workload MODE: the workload under THP mode MODE (scenario-lib.sh's
# thp_set), every page verified, the device's counters sampled while the
# data is resident.
swap_workload() {
	local mode=$1 start load_pid rc peak_stored=0 s thp0 fb0 thp1 fb1
	check "thp-$mode" thp_set "$mode"
	read -r thp0 fb0 < <(thp_swpout)
	echo "workload ($mode THP): ${work_mib} MiB in 2 processes, guest RAM $((mem_kb / 1024)) MiB, device ${dev_mib} MiB $ALGO/$LAYOUT"
	start=$(date +%s)
	"$SWAPLOAD" --size "$work_mib" --procs 2 --passes "$PASSES" >"$OUT/swapload-$mode.txt" 2>&1 &
	load_pid=$!
	while kill -0 $load_pid 2>/dev/null; do
		s=$(stat stored_pages)
		if [ "${s:-0}" -gt "$peak_stored" ]; then
			peak_stored=$s
			cp "$DBG/swaptab$IDX/stats" "$OUT/stats-peak-$mode.txt"
			grep -E 'MemFree|Slab|VmallocUsed' /proc/meminfo >"$OUT/meminfo-peak-$mode.txt"
		fi
		sleep 2
	done
	wait $load_pid
	rc=$?
	read -r thp1 fb1 < <(thp_swpout)
	cat "$OUT/swapload-$mode.txt"
	echo "swapload ($mode THP): exit $rc after $(($(date +%s) - start)) s, peak stored pages $peak_stored, large folios swapped out whole $((thp1 - thp0)), split first $((fb1 - fb0))"
	if [ $rc -eq 0 ] && grep -q 'result=ok' "$OUT/swapload-$mode.txt"; then
		pass "swapload-verified-$mode"
	else
		fail "swapload-verified-$mode" "exit $rc: $(tail -n 3 "$OUT/swapload-$mode.txt" | tr '\n' ' ')"
	fi
	check "swapped-out-$mode" test "$peak_stored" -gt $((mem_kb / 4 / 4))
	# stock (always) and 64k must really have swapped large folios whole
	if [ "$mode" != never ] && [ "$THP_BOOT" != never ]; then
		check "whole-folios-out-$mode" test $((thp1 - thp0)) -gt 0
	fi
	echo "--- counters at peak ($mode THP)"
	cat "$OUT/stats-peak-$mode.txt"
}
for mode in $(thp_modes); do
	swap_workload "$mode"
done
thp_set stock
[ -n "$CTL" ] && "$CTL" list -o +LAYOUT,PAGES,SAME-PAGES,HUGE-PAGES,CLUSTERS
check no-failed-io test "$(stat failed_writes)/$(stat failed_reads)" = 0/0

# synchronous I/O: swap-in faults read what zram's do, one page each (no readahead)
SWAPIN="python3 $SRC/tests/vm/scenarios/swapin-one.py"
check swapin-one-swaptab sh -c "$SWAPIN swaptab$IDX >$OUT/swapin-swaptab.txt"

check swapoff swapoff /dev/swaptab$IDX
cat "$DBG/swaptab$IDX/stats" >"$OUT/stats-after-swapoff.txt"
echo "--- counters after swapoff"
cat "$OUT/stats-after-swapoff.txt"
stored=$(stat stored_pages)
missed=$(stat missed_free)
# the swap header page stays; slots whose free notification was missed may too
check freed-by-swap test "$stored" -le $((1 + missed))
check notify-free test "$(stat notify_free)" -gt 0
if modprobe zram num_devices=1 && echo 64M >/sys/block/zram0/disksize &&
	mkswap /dev/zram0 >/dev/null && swapon /dev/zram0; then
	check swapin-one-zram sh -c "$SWAPIN zram0 >$OUT/swapin-zram.txt"
	swapoff /dev/zram0
	echo 1 >/sys/block/zram0/reset
	rmmod zram
	st=$(awk '$1 == "reads" { print $2 }' "$OUT/swapin-swaptab.txt")
	zr=$(awk '$1 == "reads" { print $2 }' "$OUT/swapin-zram.txt")
	echo "reads for 32 swap-in faults in order: swaptab ${st:-?}, zram ${zr:-?}"
	check swapin-reads-like-zram test "${st:-x}" = "${zr:-y}"
	check swapin-read-per-fault test "${st:-x}" = "$(awk '$1 == "faults" { print $2 }' "$OUT/swapin-swaptab.txt")"
else
	fail swapin-one-zram "cannot swapon a zram device"
fi
if [ -n "$CTL" ]; then
	check del "$CTL" remove "$IDX"
else
	check del $NL del "$IDX"
fi
check rmmod unload_module
finish
