#!/bin/bash
# module-meta: what swaptab's metadata costs, measured against the kernel's own
# figures (MemFree deltas).
#   - a 1 TiB device (table layout) adds at most 5 MiB (Slab + VmallocUsed + Percpu,
#     and free memory) and <= 0.02 B/slot static
#   - clusters allocated by writes: meta-dynamic-bytes matches the MemFree drop
#     within 10%; well-filled clusters cost <= 10 B per stored page
#   - discard of the whole 1 TiB frees every cluster (directory pages stay until del)
#   - a flat-layout device: meta-static-bytes matches the VmallocUsed rise within 10%
set -u
. "$SRC/tests/vm/scenario-lib.sh"
NL="python3 $SRC/tests/vm/scenarios/module-nl.py"
DBG=/sys/kernel/debug/swaptab

stat() { awk -v k="$1" '$1 == k { print $2 }' "$DBG/swaptab$2/stats"; }
# within A B PCT: |A - B| <= PCT% of B
within() { python3 -c "import sys; a, b, p = map(int, sys.argv[1:]); sys.exit(abs(a - b) > b * p / 100)" "$@"; }
add() {
	local out
	out=$($NL add "$@" 2>&1) || { echo "$out" >&2; return 1; }
	echo "$out" | awk '$1 == "index" { print $2 }'
}
# pwrite_pages DEV FIRST_PAGE COUNT STRIDE: one same-filled page every STRIDE pages, O_DIRECT
pwrite_pages() {
	python3 - "$@" <<'PY'
import mmap, os, sys
dev, first, count, stride = sys.argv[1], *map(int, sys.argv[2:])
buf = mmap.mmap(-1, 4096)
buf.write(b"\x5a" * 4096)
fd = os.open(dev, os.O_WRONLY | os.O_DIRECT)
for i in range(count):
    os.pwrite(fd, buf, (first + i * stride) * 4096)
os.close(fd)
PY
}

# meminfo TAG: the kernel's own figures, for the log
meminfo() { echo "meminfo $1: $(grep -E '^(MemFree|Slab|SUnreclaim|VmallocUsed|Percpu|PageTables):' /proc/meminfo | tr -s ' ' | tr '\n' ' ')"; }

check load load_module
# warm-up: the first disk of a boot pays one-time costs (kthreads, caches)
W=$(add $((1 << 30)) algorithm=lz4) && $NL del "$W" >/dev/null
base=$(free_bytes)
meminfo base

# --- 1 TiB, table layout ---
# median over 3 rounds of add/del: background noise in the guest is a few MiB
kmem() { awk '/^(Slab|VmallocUsed|Percpu):/ { s += $2 } END { print s * 1024 }' /proc/meminfo; }
deltas=() kdeltas=()
# (SWAPTAB_QUICK=1, under tests/all: one round)
rounds="1 2 3"
[ "${SWAPTAB_QUICK:-0}" = 1 ] && rounds=3
for round in $rounds; do
	b=$(free_bytes)
	kb=$(kmem)
	T=$(add $((1 << 40)) algorithm=lz4) || { fail add-1t "add failed"; finish; }
	a=$(free_bytes)
	ka=$(kmem)
	meminfo "1t-round$round"
	deltas+=($((b - a)))
	kdeltas+=($((ka - kb)))
	[ $round = 3 ] || $NL del "$T" >/dev/null
done
pass add-1t
mid=$(((${#deltas[@]} + 1) / 2))
delta=$(printf '%s\n' "${deltas[@]}" | sort -n | sed -n "${mid}p")
kdelta=$(printf '%s\n' "${kdeltas[@]}" | sort -n | sed -n "${mid}p")
static=$(stat meta_static_bytes "$T")
fixed=$(stat fixed_bytes "$T")
slots=$(((1 << 40) / 4096))
echo "1 TiB table device: Slab+VmallocUsed+Percpu +$kdelta B (rounds: ${kdeltas[*]}), free memory -$delta B (rounds: ${deltas[*]}), meta-static $static B ($(python3 -c "print(round($static / $slots, 5))") B/slot), fixed (per-device, size-independent) $fixed B"
# the kernel's exact allocator counters, and what the whole system has free
# (free_bytes: MemFree with the per-CPU lists and clean page cache, settled)
check 1t-kernel-memory-under-5mib test "$kdelta" -le $((5 << 20))
check 1t-free-memory-under-5mib test "$delta" -le $((5 << 20))
check 1t-static-per-slot python3 -c "import sys; sys.exit(not $static / $slots <= 0.02)"

# --- well-filled clusters: 64 MiB contiguous (1 directory page + 32 clusters) ---
before=$(free_bytes)
check dense-writes pwrite_pages /dev/swaptab$T 0 16384 1
after=$(free_bytes)
dyn=$(stat meta_dynamic_bytes "$T")
stored=$(stat stored_pages "$T")
echo "dense: MemFree -$((before - after)) B, meta-dynamic $dyn B for $stored pages ($(python3 -c "print(round($dyn / $stored, 2))") B/page)"
meminfo dense
check dense-per-page python3 -c "import sys; sys.exit(not $dyn / $stored <= 10)"
check discard-dense blkdiscard -l $((64 << 20)) /dev/swaptab$T
check discard-frees-dense test "$(stat clusters_used "$T")" = 0

# --- clusters: one page in each of 16384 clusters (worst case, 1 page per cluster) ---
before=$(free_bytes)
check sparse-writes pwrite_pages /dev/swaptab$T 0 16384 512
after=$(free_bytes)
dyn=$(stat meta_dynamic_bytes "$T")
clusters=$(stat clusters_used "$T")
sparse_drop=$((before - after))
echo "sparse: MemFree -$sparse_drop B, meta-dynamic $dyn B, clusters $clusters, stored $(stat stored_pages "$T")"
meminfo sparse
check sparse-clusters test "$clusters" = 16384
check sparse-dynamic-vs-memfree within "$sparse_drop" "$dyn" 10
# and the device's last page: discarding all 1 TiB must reach it, skipping
# the ~2^28 slots of clusters that never existed rather than visiting each
check last-page-write pwrite_pages /dev/swaptab$T $((slots - 1)) 1 1
check discard-whole-1t blkdiscard /dev/swaptab$T
check discard-frees-clusters test "$(stat clusters_used "$T")" = 0
check discard-frees-all test "$(stat stored_pages "$T")" = 0
# directory pages stay until del: at most one page per 512 clusters
check discard-frees-tables test "$(stat meta_dynamic_bytes "$T")" -le $(((16384 / 512 + 1) * 4096))
meminfo discarded

check del-1t $NL del "$T"
end=$(free_bytes)
echo "after del: MemFree $((base - end)) B below the start"
meminfo deleted
# informational only: background noise in a TCG guest reaches +-20 MiB here

# --- flat layout: static array sized like zram's table ---
# (a vmalloc area: VmallocUsed is the kernel's exact figure, MemFree a noisy one)
vmalloc() { awk '/^VmallocUsed:/ { print $2 * 1024 }' /proc/meminfo; }
before=$(free_bytes)
vbefore=$(vmalloc)
F=$(add $((16 << 30)) algorithm=lz4 layout=flat) || { fail add-flat "add failed"; finish; }
after=$(free_bytes)
vafter=$(vmalloc)
meminfo flat
static=$(stat meta_static_bytes "$F")
echo "16 GiB flat device: VmallocUsed +$((vafter - vbefore)) B, free memory -$((before - after)) B, meta-static $static B ($((static / (4 << 20))) B/slot)"
check flat-static-vs-vmalloc within $((vafter - vbefore)) "$static" 10
check del-flat $NL del "$F"
check rmmod unload_module
finish
