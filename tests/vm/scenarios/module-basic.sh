#!/bin/bash
# module-basic: swaptab.ko control plane and raw block I/O.
#   netlink add/get/dump/set/reset/del with their rejections (extack texts),
#   debugfs files, fio write/read/verify in aligned and split-segment buffers,
#   discard and write-zeroes read back as zeroes, counters, del, rmmod.
# Uses $SWAPTABCTL once it works; a python generic-netlink client otherwise.
set -u
. "$SRC/tests/vm/scenario-lib.sh"
NL="python3 $SRC/tests/vm/scenarios/module-nl.py"
DBG=/sys/kernel/debug/swaptab

# expect_err CASE TEXT CMD...: CMD fails and its error mentions TEXT.
expect_err() {
	local name=$1 text=$2 out
	shift 2
	if out=$("$@" 2>&1); then
		fail "$name" "'$*' succeeded: $out"
	elif echo "$out" | grep -qi -- "$text"; then
		pass "$name"
	else
		fail "$name" "'$*' failed without '$text': $out"
	fi
}
# stat NAME [DEV]: one counter from debugfs.
stat() { awk -v k="$1" '$1 == k { print $2 }' "$DBG/${2:-swaptab0}/stats"; }
# cluster_sum COLUMN [DEV]: a column of debugfs clusters, summed over clusters.
cluster_sum() { awk -v c="$1" '!/^#/ { n += $c } END { print n + 0 }' "$DBG/${2:-swaptab0}/clusters"; }

check load load_module
module_loaded || finish

# --- create and inspect ---
out=$($NL add $((256 << 20)) algorithm=lz4 2>&1)
echo "$out"
if echo "$out" | grep -q "^name swaptab0$"; then pass add; else fail add "$out"; fi
udevadm settle 2>/dev/null || sleep 1
if [ -b /dev/swaptab0 ]; then
	pass blockdev
else
	fail blockdev "no /dev/swaptab0"
	unload_module
	finish
fi
check sysfs-size test "$(cat /sys/block/swaptab0/size)" = $((256 << 11))
check lbs test "$(cat /sys/block/swaptab0/queue/logical_block_size)" = 4096
check pbs test "$(cat /sys/block/swaptab0/queue/physical_block_size)" = 4096
check nonrot test "$(cat /sys/block/swaptab0/queue/rotational)" = 0
check stable-writes test "$(cat /sys/block/swaptab0/queue/stable_writes)" = 1
check discard-gran test "$(cat /sys/block/swaptab0/queue/discard_granularity)" = 4096
$NL get 0 >"$OUT/get0.txt" 2>&1
check get grep -q "^algorithm lz4$" "$OUT/get0.txt"
check get-stats grep -q "^meta-static-bytes " "$OUT/get0.txt"
check debugfs-stats test -r "$DBG/swaptab0/stats"
check debugfs-clusters test -r "$DBG/swaptab0/clusters"
check debugfs-algorithms grep -q zstd "$DBG/algorithms"

# --- rejections, each with a message ---
expect_err add-unaligned "multiple of 4096" $NL add 12345
expect_err add-no-size "EINVAL: size is required" $NL raw 1
expect_err add-unknown-algo "available: lzo-rle" $NL add 1048576 algorithm=nope
expect_err add-level-range "level" $NL add 1048576 algorithm=lz4hc level=20
expect_err add-level-range-deflate "level" $NL add 1048576 algorithm=deflate level=10
expect_err add-too-small "ERANGE: integer out of range" $NL add 0
expect_err add-layout-range "ERANGE: integer out of range" $NL raw 1 3:u64:1048576 7:u32:9
expect_err add-unknown-attr "EINVAL: unknown attribute type" $NL raw 1 3:u64:1048576 9:u32:1
expect_err add-string-long "EINVAL: attribute failed policy validation" $NL add 1048576 algorithm=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
expect_err add-bad-type "EINVAL: invalid attribute length" $NL raw 1 3:u32:4096
expect_err get-nodev "no such device" $NL get 77
expect_err get-index-range "ERANGE: integer out of range" $NL raw 3 1:u32:70000
expect_err del-nodev "no such device" $NL del 77
expect_err reset-nodev "no such device" $NL reset 77
# the one rejection of genetlink's core, before any code of ours runs
expect_err unknown-cmd "EOPNOTSUPP\|ENOTSUP:" $NL raw 42
expect_err add-unprivileged "EPERM: changing swaptab devices needs CAP_SYS_ADMIN" $NOBODY $NL add 1048576
check get-unprivileged $NOBODY $NL get 0
# CAP_SYS_ADMIN is all it takes, as for zram's sysfs (no CAP_NET_ADMIN)
NONET="setpriv --inh-caps=-net_admin --bounding-set=-net_admin"
check add-without-net-admin sh -c "$NONET $NL add 1048576 >/tmp/nonet.out"
check del-without-net-admin $NONET $NL del "$(awk '$1 == "index" { print $2 }' /tmp/nonet.out)"

# --- raw I/O with verification ---
FIO="fio --output-format=terse --minimal --filename=/dev/swaptab0 --ioengine=psync --direct=1"
check fio-seq $FIO --name=seq --rw=write --bs=64k --size=64M --verify=crc32c --do_verify=1
check fio-rand4k $FIO --name=r4k --rw=randwrite --bs=4k --size=32M --offset=64M --verify=crc32c --do_verify=1
check fio-mixed-bs $FIO --name=mix --rw=randwrite --bsrange=4k-128k --bs_unaligned=0 --size=32M \
	--offset=96M --verify=md5 --do_verify=1
# buffers at 512-byte offsets: each 4 KiB slot arrives split across two page segments
check fio-split-segments $FIO --name=split --rw=randwrite --bs=12k --iomem_align=512 \
	--size=24M --offset=128M --verify=crc32c --do_verify=1
check fio-same-filled $FIO --name=same --rw=write --bs=4k --size=8M --offset=160M --zero_buffers \
	--verify=pattern --verify_pattern=0x5a5a5a5a --do_verify=1
check fio-compressible $FIO --name=comp --rw=randwrite --bs=4k --size=16M --offset=168M \
	--buffer_compress_percentage=60 --refill_buffers --verify=crc32c --do_verify=1
check fio-verify-again $FIO --name=seq --rw=write --bs=64k --size=64M --verify=crc32c --verify_only

stored=$(stat stored_pages)
same=$(stat same_pages)
echo "after fio: stored=$stored same=$same huge=$(stat huge_pages) compr=$(stat compr_bytes) pool=$(stat pool_bytes)"
check stored-nonzero test "${stored:-0}" -gt 0
check same-nonzero test "${same:-0}" -gt 0
check no-failed-writes test "$(stat failed_writes)" = 0
check no-failed-reads test "$(stat failed_reads)" = 0
# compressible data went into the pool: this kernel's zsmalloc handles pack into a slot word
check obj-pages-nonzero test "$(stat obj_pages)" -gt 0
check clusters-listed test "$(grep -vc '^#' "$DBG/swaptab0/clusters")" = "$(stat clusters_used)"
# columns: index used same huge bytes meta_bytes; at rest they add up to the counters
check clusters-used-sum test "$(cluster_sum 2)" = "$stored"
check clusters-same-sum test "$(cluster_sum 3)" = "$same"
check clusters-huge-sum test "$(cluster_sum 4)" = "$(stat huge_pages)"
check clusters-bytes-sum test "$(cluster_sum 5)" = "$(stat compr_bytes)"

# --- discard and write-zeroes free slots and read back zeroes ---
before=$(stat stored_pages)
check blkdiscard blkdiscard -o 0 -l $((16 << 20)) /dev/swaptab0
check discard-zeroes cmp -n $((16 << 20)) /dev/swaptab0 /dev/zero
check write-zeroes blkdiscard -z -o $((64 << 20)) -l $((8 << 20)) /dev/swaptab0
check wz-zeroes cmp -i $((64 << 20)):0 -n $((8 << 20)) /dev/swaptab0 /dev/zero
after=$(stat stored_pages)
echo "discard: stored $before -> $after, discards=$(stat discards)"
check discard-freed test $((before - after)) -ge 6144
check unwritten-zeroes cmp -i $((200 << 20)):0 -n $((8 << 20)) /dev/swaptab0 /dev/zero
check rest-intact $FIO --name=mix --rw=randwrite --bsrange=4k-128k --bs_unaligned=0 --size=32M \
	--offset=96M --verify=md5 --verify_only

# --- set and reset ---
expect_err set-algo-busy "only while" $NL set 0 algorithm=zstd
check set-mem-limit $NL set 0 mem-limit=$((64 << 20))
check get-mem-limit sh -c "$NL get 0 | grep -q '^mem-limit $((64 << 20))$'"
# the device's own memory (state, per-CPU streams) is reported, and the same both ways
check fixed-bytes-nonzero test "$(stat fixed_bytes)" -gt 0
check nl-fixed-bytes sh -c "$NL get 0 | grep -q '^fixed-bytes $(stat fixed_bytes)$'"
exec 9</dev/swaptab0
expect_err reset-busy "open" $NL reset 0
expect_err del-busy "open" $NL del 0
exec 9<&-
check reset $NL reset 0
check reset-empty test "$(stat stored_pages)" = 0
check reset-compr test "$(stat compr_bytes)" = 0
check reset-zeroes cmp -n $((8 << 20)) /dev/swaptab0 /dev/zero
# The algorithm changes with the queue frozen: I/O meanwhile waits, never
# fails, and the device may be open (reads of empty slots store nothing).
# The reader has finished a round before the first change, and the device's
# read counter must move across each change's command: the reader is live
# around every change (whether a read waits on the freeze itself is not seen).
rm -f /tmp/reader-stop /tmp/reader-failed /tmp/reader-rounds
(
	n=0
	while [ ! -e /tmp/reader-stop ]; do
		dd if=/dev/swaptab0 of=/dev/null bs=1M count=32 iflag=direct 2>/dev/null ||
			{ touch /tmp/reader-failed; break; }
		n=$((n + 1))
		# appended, never rewritten: a rewrite empties the file for a
		# moment, and a check in that moment saw no round at all
		echo $n >>/tmp/reader-rounds
	done
) &
reader=$!
for _ in $(seq 300); do [ -s /tmp/reader-rounds ] && break; sleep 0.1; done
check under-io-reader-started test -s /tmp/reader-rounds
n=0 met=0
for algo in lz4 zstd lz4 zstd; do
	n=$((n + 1))
	before=$(stat reads)
	check set-algo-under-io-$n $NL set 0 algorithm=$algo
	[ "$(stat reads)" -gt "$before" ] && met=$((met + 1))
done
touch /tmp/reader-stop
wait $reader
check under-io-reads-ok test ! -e /tmp/reader-failed
check under-io-met-reads test "$met" = 4
check set-algo-empty $NL set 0 algorithm=zstd level=5
check get-zstd sh -c "$NL get 0 | grep -q '^algorithm zstd$'"
check fio-zstd $FIO --name=z --rw=randwrite --bs=4k --size=16M --buffer_compress_percentage=50 \
	--refill_buffers --verify=crc32c --do_verify=1

# --- mem-limit: writes under it go on; a write past it fails and harms
# nothing stored ---
huge0=$(stat huge_pages) failed0=$(stat failed_writes)
check set-roomy-limit $NL set 0 mem-limit=$(($(stat pool_bytes) + (16 << 20)))
check under-limit-write dd if=/dev/urandom of=/dev/swaptab0 bs=1M count=4 seek=200 oflag=direct
check under-limit-huge test "$(($(stat huge_pages) - huge0))" = 1024
check under-limit-no-failure test "$(stat failed_writes)" = "$failed0"
# the peak keeps what the pool held once those 4 MiB are discarded again
p1=$(stat pool_bytes)
check under-limit-discard blkdiscard -o $((200 << 20)) -l $((4 << 20)) /dev/swaptab0
check pool-shrank test "$(stat pool_bytes)" -lt "$p1"
check pool-peak test "$(stat pool_peak_bytes)" -ge "$p1"
check set-small-limit $NL set 0 mem-limit=$((1 << 20))
if dd if=/dev/urandom of=/dev/swaptab0 bs=1M count=8 seek=100 oflag=direct 2>/dev/null; then
	fail mem-limit-write "8 MiB of random data fit in a 1 MiB limit"
else
	pass mem-limit-write
fi
check mem-limit-rejects test "$(stat mem_limit_rejects)" -gt 0
check mem-limit-intact $FIO --name=z --rw=randwrite --bs=4k --size=16M --buffer_compress_percentage=50 \
	--refill_buffers --verify=crc32c --verify_only
check set-nolimit $NL set 0 mem-limit=0

# --- I/O not aligned to 4 KiB: direct I/O is refused; buffered I/O goes
# through the page cache, which reads and writes whole pages ---
if dd if=/dev/zero of=/dev/swaptab0 bs=512 count=1 seek=1 oflag=direct 2>/dev/null; then
	fail unaligned-direct "a 512-byte direct write was accepted"
else
	pass unaligned-direct
fi
printf 'swaptab sector\n' >/tmp/sector && truncate -s 512 /tmp/sector
check unaligned-buffered dd if=/tmp/sector of=/dev/swaptab0 bs=512 count=1 \
	seek=$((65010 * 8 + 3)) conv=notrunc,fsync
echo 1 >/proc/sys/vm/drop_caches
check unaligned-page dd if=/dev/swaptab0 of=/tmp/page bs=4k count=1 skip=65010 iflag=direct
check unaligned-readback cmp -i 1536:0 -n 512 /tmp/page /tmp/sector
check unaligned-rest-zero sh -c "cmp -n 1536 /tmp/page /dev/zero && cmp -i 2048:2048 -n 2048 /tmp/page /dev/zero"

# --- tracepoints: an event per page stored, read and freed, scalar fields ---
T=/sys/kernel/tracing
if [ -d $T/events/swaptab ]; then
	discards0=$(stat discards)
	echo >$T/trace
	echo 1 >$T/events/swaptab/enable
	dd if=/dev/zero of=/dev/swaptab0 bs=4k count=1 seek=65000 oflag=direct 2>/dev/null
	dd if=/dev/urandom of=/dev/swaptab0 bs=4k count=1 seek=65001 oflag=direct 2>/dev/null
	dd if=/dev/swaptab0 of=/dev/null bs=4k count=1 skip=65001 iflag=direct 2>/dev/null
	blkdiscard -o $((65000 * 4096)) -l 8192 /dev/swaptab0
	echo 0 >$T/events/swaptab/enable
	cp $T/trace "$OUT/trace.txt"
	# kinds: 1 same-filled, 3 huge; free reason 1: discard
	check trace-write-same grep -q "swaptab_write: dev=0 slot=65000 kind=1 len=0 ns=[1-9]" "$OUT/trace.txt"
	check trace-write-huge grep -q "swaptab_write: dev=0 slot=65001 kind=3 len=4096 ns=[1-9]" "$OUT/trace.txt"
	check trace-read-huge grep -q "swaptab_read: dev=0 slot=65001 kind=3 len=4096 ns=[1-9]" "$OUT/trace.txt"
	check trace-free-same grep -q "swaptab_free: dev=0 slot=65000 kind=1 reason=1" "$OUT/trace.txt"
	check trace-free-huge grep -q "swaptab_free: dev=0 slot=65001 kind=3 reason=1" "$OUT/trace.txt"
	check discards-counted test "$(($(stat discards) - discards0))" = 2
else
	fail tracepoints "no $T/events/swaptab"
fi

# --- every algorithm and the flat layout round-trip data ---
# (SWAPTAB_QUICK=1, under tests/all: 4 MiB each instead of 32)
per=32M
[ "${SWAPTAB_QUICK:-0}" = 1 ] && per=4M
i=1
for a in lzo lzo-rle lz4 lz4hc zstd deflate; do
	for layout in table flat; do
		out=$($NL add $((32 << 20)) algorithm=$a layout=$layout 2>&1)
		idx=$(echo "$out" | awk '$1 == "index" { print $2 }')
		if [ -z "$idx" ]; then
			fail "add-$a-$layout" "$out"
			continue
		fi
		udevadm settle 2>/dev/null || sleep 1
		check "fio-$a-$layout" fio --output-format=terse --minimal --filename=/dev/swaptab$idx \
			--ioengine=psync --direct=1 --name=a --rw=randwrite --bs=4k --size=$per \
			--buffer_compress_percentage=50 --refill_buffers --verify=crc32c --do_verify=1
		# fio's verify would also pass if every page were stored whole: the
		# 50% compressible data must take well under 3/4 of its size
		orig=$(stat orig_bytes "swaptab$idx") compr=$(stat compr_bytes "swaptab$idx")
		echo "$a $layout: orig $orig B, compr $compr B, fixed $(stat fixed_bytes "swaptab$idx") B"
		check "compresses-$a-$layout" test "$compr" -lt $((orig * 3 / 4))
		check "clusters-bytes-$a-$layout" test "$(cluster_sum 5 "swaptab$idx")" = "$compr"
		# freeing every slot returns exactly the lengths the slots recorded
		check "obj-$a-$layout" test "$(stat obj_pages "swaptab$idx")" -gt 0
		check "discard-all-$a-$layout" blkdiscard "/dev/swaptab$idx"
		check "compr-zero-$a-$layout" test "$(stat compr_bytes "swaptab$idx")" = 0
		check "del-$a-$layout" $NL del "$idx"
		i=$((i + 1))
	done
done
$NL dump >"$OUT/dump.txt" 2>&1
check dump grep -q "^name swaptab0$" "$OUT/dump.txt"

# --- teardown ---
cat "$DBG/swaptab0/stats" >"$OUT/stats-final.txt"
check del $NL del 0
check gone test ! -e /sys/block/swaptab0
expect_err del-again "no such device" $NL del 0
check rmmod unload_module

# --- devices created at load, removed at unload ---
check load-num-devices load_module num_devices=2 default_size=$((64 << 20))
check num-devices-0 test -b /dev/swaptab0 -o -e /sys/block/swaptab0
check num-devices-1 test -e /sys/block/swaptab1
check num-devices-size test "$(cat /sys/block/swaptab1/size)" = $((64 << 11))
check num-devices-io dd if=/dev/urandom of=/dev/swaptab1 bs=1M count=4 oflag=direct
check rmmod-with-devices unload_module
check num-devices-gone test ! -e /sys/block/swaptab1
finish
