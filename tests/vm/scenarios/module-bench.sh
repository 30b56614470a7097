#!/bin/bash
# module-bench: swaptab against the kernel's zram in the same guest run, same
# algorithm (SWAPTAB_BENCH_ALGO, default lz4).  Prints ratios swaptab/zram:
#   - swap workload (swapload, 1.5x RAM, 2 processes): write and read MB/s
#   - raw device, 4 KiB random write and read (fio, psync, direct)
#   - memory per stored GiB at the workload's peak: pool + metadata
# Cases fail only on wrong data; the ratios are reported, not enforced
# (TCG timing is noisy), except as "ratio-*" lines for the log.
set -u
. "$SRC/tests/vm/scenario-lib.sh"
NL="python3 $SRC/tests/vm/scenarios/module-nl.py"
ALGO=${SWAPTAB_BENCH_ALGO:-lz4}
SWAPLOAD=
for p in "$SRC/build/host/tests/workload/swapload" "$SRC/build/modeng/swapload"; do
	[ -x "$p" ] && { SWAPLOAD=$p; break; }
done
[ -n "$SWAPLOAD" ] || { fail swapload "no swapload binary under $SRC/build"; finish; }

mem_kb=$(awk '/MemTotal/ { print $2 }' /proc/meminfo)
work_mib=$((mem_kb * 150 / 100 / 1024))
dev_bytes=$(((work_mib * 2) << 20))

# mem_now DEV: pool + metadata bytes of the device now
mem_now() {
	case $1 in
	zram*)
		# mm_stat: orig compr mem_used_total ...; the table: one entry per slot
		local used
		used=$(awk '{ print $3 }' /sys/block/$1/mm_stat)
		echo $((used + ZRAM_TABLE))
		;;
	*)
		awk '/^(pool_bytes|meta_static_bytes|meta_dynamic_bytes) / { s += $2 } END { print s }' \
			/sys/kernel/debug/swaptab/$1/stats
		;;
	esac
}
stored_now() {
	case $1 in
	zram*) awk '{ print $1 }' /sys/block/$1/mm_stat ;;
	*) awk '/^orig_bytes / { print $2 }' /sys/kernel/debug/swaptab/$1/stats ;;
	esac
}

# swaprun DEV: swapload through DEV; sets W, R (MB/s, summed over processes) and MPG (bytes per stored GiB at peak)
swaprun() {
	local dev=$1 pid best=0 bestmem=0 s m
	mkswap /dev/$dev >/dev/null && swapon -p 100 /dev/$dev || { fail "swapon-$dev" "swapon failed"; return 1; }
	"$SWAPLOAD" --size "$work_mib" --procs 2 --passes 2 >"$OUT/swapload-$dev.txt" 2>&1 &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		s=$(stored_now "$dev")
		if [ "${s:-0}" -gt "$best" ]; then
			best=$s
			bestmem=$(mem_now "$dev")
		fi
		sleep 2
	done
	if wait $pid; then pass "swapload-$dev"; else fail "swapload-$dev" "$(tail -n 2 "$OUT/swapload-$dev.txt" | tr '\n' ' ')"; fi
	swapoff /dev/$dev
	W=$(awk -F= '/write_mbs/ { s += $2 } END { print s }' "$OUT/swapload-$dev.txt")
	R=$(awk -F= '/read[0-9]_mbs/ { s += $2; n++ } END { print s * 2 / n }' "$OUT/swapload-$dev.txt")
	MPG=$(python3 -c "print(int($bestmem / ($best / 2**30)) if $best else 0)")
	echo "$dev: swap write ${W} MB/s, read ${R} MB/s, peak stored $best B using $bestmem B -> $MPG B per stored GiB"
}

# fiorun DEV: 4 KiB random write then read on the raw device; sets FW, FR (IOPS)
fiorun() {
	local dev=$1 common
	common="--filename=/dev/$dev --ioengine=psync --direct=1 --bs=4k --size=$FSIZE --buffer_compress_percentage=50 --refill_buffers --output-format=json"
	fio $common --name=fill --rw=write >/dev/null 2>&1
	FW=$(fio $common --name=rw --rw=randwrite --time_based --runtime=$RUNTIME | python3 -c "import json, sys; print(int(json.load(sys.stdin)['jobs'][0]['write']['iops']))")
	FR=$(fio $common --name=rr --rw=randread --time_based --runtime=$RUNTIME | python3 -c "import json, sys; print(int(json.load(sys.stdin)['jobs'][0]['read']['iops']))")
	echo "$dev: fio 4k randwrite $FW IOPS, randread $FR IOPS"
}
ratio() { python3 -c "print(round($1 / $2, 3) if $2 else 'n/a')"; }

# BENCH_PARTS: "fio swap" (module-bench-fio.sh sets "fio"); SWAPTAB_QUICK=1
# (tests/all): fio only, one short round
BENCH_PARTS=${BENCH_PARTS:-fio swap}
ROUNDS="1 2" RUNTIME=15 FSIZE=256M
if [ "${SWAPTAB_QUICK:-0}" = 1 ]; then
	BENCH_PARTS=fio ROUNDS=1 RUNTIME=4 FSIZE=32M
fi
zram_setup() {
	echo 1 >/sys/block/zram0/reset
	echo "$ALGO" >/sys/block/zram0/comp_algorithm
	echo "$dev_bytes" >/sys/block/zram0/disksize
}
best() { [ "$1" -gt "$2" ] && echo "$1" || echo "$2"; }

check zram-load modprobe zram num_devices=1
# the table zram allocated at disksize: 6.1's entry is 24 bytes, newer ones 16 (ANCHORS.md)
case $KVER in 6.1.*) ent=24 ;; *) ent=16 ;; esac
ZRAM_TABLE=$((dev_bytes / 4096 * ent))
check load load_module
out=$($NL add "$dev_bytes" algorithm="$ALGO" 2>&1)
IDX=$(echo "$out" | awk '$1 == "index" { print $2 }')
[ -n "$IDX" ] || { fail add "$out"; finish; }
udevadm settle 2>/dev/null || sleep 1

case " $BENCH_PARTS " in *" fio "*)
	# interleaved, best of two rounds each, so neither device runs only while the host is busy
	zfw=0 zfr=0 sfw=0 sfr=0
	for round in $ROUNDS; do
		zram_setup
		fiorun zram0; zfw=$(best "$FW" "$zfw"); zfr=$(best "$FR" "$zfr")
		$NL reset "$IDX"
		fiorun swaptab$IDX; sfw=$(best "$FW" "$sfw"); sfr=$(best "$FR" "$sfr")
	done
	echo "ratio-fio-randwrite $(ratio "$sfw" "$zfw")"
	echo "ratio-fio-randread $(ratio "$sfr" "$zfr")"
	;;
esac
case " $BENCH_PARTS " in *" swap "*)
	zram_setup
	swaprun zram0; zw=$W zr=$R zm=$MPG
	echo 1 >/sys/block/zram0/reset
	check reset $NL reset "$IDX"
	swaprun swaptab$IDX; sw=$W sr=$R sm=$MPG
	echo "ratio-swap-write $(ratio "$sw" "$zw")"
	echo "ratio-swap-read $(ratio "$sr" "$zr")"
	echo "ratio-memory-per-stored-gib $(ratio "$sm" "$zm") (below 1: swaptab uses less)"
	;;
esac
echo 1 >/sys/block/zram0/reset
rmmod zram
check del $NL del "$IDX"
check rmmod unload_module
finish
