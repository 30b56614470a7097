#!/bin/bash
# Guest side of tests/vm/prof/run.sh: the benchmark's fio 4 KiB random write
# (three passes over 256 MiB by two jobs, on an empty device) and random
# read (32768 reads per job) on swaptab and on zram, same algorithm, in
# ABBA order.  Around each phase it asks the host's insn-count plugin for
# the kernel instructions run since the last ask (INSN-MARK on the console,
# then wait for /out/dump.N.done) and records in /out/phases.txt
# "N DEVICE-PHASE IOS"; dump 0 is everything before.
set -u
. "$SRC/tests/vm/scenario-lib.sh"
ALGO=${SWAPTAB_BENCH_ALGO:-lz4}
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
zram_init() {
	echo 1 >/sys/block/zram0/reset && echo "$ALGO" >/sys/block/zram0/comp_algorithm &&
		echo 512M >/sys/block/zram0/disksize
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
dev=$("$SWAPTABCTL" add --size 512M --algorithm "$ALGO" 2>&1) || { fail add "$dev"; finish; }
dev=${dev#/dev/}
cat /proc/kallsyms >/out/kallsyms
# a first pass on each device: the first fio run of a boot is slow
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
check swaptab-remove "$SWAPTABCTL" remove "$dev"
check zram-unload rmmod zram
check swaptab-unload unload_module
pass insn-profile
finish
