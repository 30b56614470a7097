#!/bin/bash
# Guest side of tests/vm/prof/run.sh: the benchmark's fio 4 KiB random write
# (three passes over 256 MiB by two jobs, on an empty device) and random
# read (32768 reads per job) on swaptab and on zram, same algorithm, in
# ABBA order.  With SWAPTAB_BENCH_PROF=swap, instead, the benchmark's swap
# workload (swapload of 1.25x RAM, one verifying pass) with each device as
# swap, in the order zram, swaptab, swaptab, zram, zram, swaptab (the first
# run of a boot is slow; each device then has runs both before and after
# the other's).  Around each phase it asks the host's insn-count plugin for
# the kernel instructions run since the last ask (INSN-MARK on the console,
# then wait for /out/dump.N.done) and records in /out/phases.txt
# "N DEVICE-PHASE IOS" (for swap, IOS = pages swapped out + in); dump 0 is
# everything before.
set -u
. "$SRC/tests/vm/scenario-lib.sh"
ALGO=${SWAPTAB_BENCH_ALGO:-lz4}
WORK=${SWAPTAB_BENCH_PROF:-fio}
mark=0
# dump NAME [IOS]: close the phase NAME with the plugin's dump
dump() {
	echo "INSN-MARK $mark $1" >/dev/console
	while [ ! -e "/out/dump.$mark.done" ]; do sleep 0.05; done
	echo "$mark $1 ${2:-0}" >>/out/phases.txt
	mark=$((mark + 1))
}
# fio_ios DEV RW OPTION: one fio_4k run; prints how many I/Os it did
fio_ios() {
	local json=/tmp/fio.json
	fio_4k "$1" "$2" $json "$3" || return 1
	python3 -c 'import json, sys; j = json.load(open(sys.argv[1]))["jobs"][0]
print(j["read"]["total_ios"] + j["write"]["total_ios"])' $json
}
SIZE=512M
[ "$WORK" = swap ] && SIZE=4G
zram_init() {
	echo 1 >/sys/block/zram0/reset && echo "$ALGO" >/sys/block/zram0/comp_algorithm &&
		echo "$SIZE" >/sys/block/zram0/disksize
}
# empty DEVICE: an empty device to run on
empty() {
	case $1 in
	zram0) zram_init ;;
	*) "$SWAPTABCTL" reset "$1" ;;
	esac
}

check zram-load modprobe zram num_devices=1
check swaptab-load load_module
dev=$("$SWAPTABCTL" add --size "$SIZE" --algorithm "$ALGO" 2>&1) || { fail add "$dev"; finish; }
dev=${dev#/dev/}
cat /proc/kallsyms >/out/kallsyms

# swap_phase DEVICE: one swapload run with DEVICE as the only swap
swap_phase() {
	local name=${1%%[0-9]*} pages0 mib
	mib=$(awk '/MemTotal/ { print int($2 * 1.25 / 1024) }' /proc/meminfo)
	empty "$1" && mkswap "/dev/$1" >/dev/null && swapon "/dev/$1" ||
		{ fail "swapon-$1" "cannot swap on $1"; return; }
	sync
	echo 3 >/proc/sys/vm/drop_caches
	pages0=$(($(pswpout) + $(pswpin)))
	dump idle
	if "$SWAPLOAD" --size "$mib" --procs 2 --passes 1 \
		>"/out/swapload-$mark.txt" 2>&1; then
		dump "$name-swap" $(($(pswpout) + $(pswpin) - pages0))
	else
		fail "$1-swap" "swapload failed: /out/swapload-$mark.txt"
	fi
	swapoff "/dev/$1" || fail "swapoff-$1" "cannot swap off $1"
}
# fio_phases: a first pass on each device (the first fio run of a boot is
# slow), then write and read phases in ABBA order
fio_phases() {
	local d name ios
	for d in zram0 "$dev"; do
		empty "$d" && fio_ios "$d" randwrite --loops=3 >/dev/null || fail "warm-up-$d" "fio failed"
	done
	dump boot
	for d in "$dev" zram0 zram0 "$dev"; do
		name=${d%%[0-9]*}
		empty "$d" || fail "empty-$d" "cannot empty $d"
		dump idle
		if ios=$(fio_ios "$d" randwrite --loops=3); then dump "$name-write" "$ios"; else fail "$d-write" "fio failed"; fi
		if ios=$(fio_ios "$d" randread --number_ios=32768); then dump "$name-read" "$ios"; else fail "$d-read" "fio failed"; fi
	done
}

if [ "$WORK" = swap ]; then
	dump boot
	for d in zram0 "$dev" "$dev" zram0 zram0 "$dev"; do swap_phase "$d"; done
else
	fio_phases
fi
check swaptab-remove "$SWAPTABCTL" remove "$dev"
check zram-unload rmmod zram
check swaptab-unload unload_module
pass insn-profile
finish
