# shellcheck shell=bash
# Helpers for guest scenarios (tests/vm/scenarios/*.sh). Source it:
#   . "$SRC/tests/vm/scenario-lib.sh"
# then report each case with pass/fail and end with `finish`.

SCENARIO_FAILED=0
# $NOBODY CMD...: CMD as user nobody, without any capability
# shellcheck disable=SC2034 # for the scenarios that source this
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all"

pass() { echo "PASS: $1"; }
# fail CASE WHY
fail() { echo "FAIL: $1: $2"; SCENARIO_FAILED=1; }
# check CASE CMD...: PASS when CMD succeeds, else FAIL with its output.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		pass "$name"
	else
		fail "$name" "'$*' failed: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
	fi
}
# run_rc CASE WANT_RC TEXT CMD...: CMD exits WANT_RC and, unless TEXT is empty,
# its output mentions TEXT.  The output is logged and left in $RUN_OUT.
RUN_OUT=
run_rc() {
	local name=$1 want=$2 text=$3 rc
	shift 3
	RUN_OUT=$("$@" 2>&1)
	rc=$?
	echo "$ $*  -> $rc"
	echo "$RUN_OUT" | sed 's/^/  | /' | head -n 30
	if [ "$rc" -ne "$want" ]; then
		fail "$name" "exit $rc, wanted $want: $(echo "$RUN_OUT" | tail -n 2 | tr '\n' ' ')"
	elif [ -n "$text" ] && ! echo "$RUN_OUT" | grep -q -- "$text"; then
		fail "$name" "output lacks '$text': $(echo "$RUN_OUT" | tail -n 2 | tr '\n' ' ')"
	else
		pass "$name"
	fi
}
# finish: exit with the scenario's status.
finish() { exit "$SCENARIO_FAILED"; }

# fio_4k DEV RW JSON [OPTION...]: the benchmark's fio 4 KiB random I/O on
# /dev/DEV (two psync jobs of 128 MiB each, direct, fresh half-compressible
# buffers), its JSON report in JSON.  tests/vm/bench/zram.sh and
# tests/vm/guest/insn-profile.sh both run it, so their figures describe the
# same work.
fio_4k() {
	local dev=$1 rw=$2 json=$3
	shift 3
	fio --name="$dev-$rw" --filename="/dev/$dev" --rw="$rw" --bs=4k --direct=1 \
		--ioengine=psync --numjobs=2 --size=128M --offset_increment=128M "$@" \
		--buffer_compress_percentage=50 --refill_buffers --group_reporting \
		--output-format=json --output="$json" >/dev/null 2>&1
}

# The mixed-page swap workload (tests/workload), built on the host.
export SWAPLOAD=$SRC/build/host/tests/workload/swapload
# pswpout, pswpin: pages swapped out and in since boot.
pswpout() { awk '$1 == "pswpout" { print $2 }' /proc/vmstat; }
pswpin() { awk '$1 == "pswpin" { print $2 }' /proc/vmstat; }

# module_deps: load what swaptab.ko depends on (e.g. zsmalloc on 6.1).
module_deps() {
	local d deps
	deps=$(modinfo -F depends "$SWAPTAB_KO") || return 1
	for d in ${deps//,/ }; do
		modprobe "$d" || return 1
	done
}
# load_module [PARAM=VALUE...]: dependencies, then insmod swaptab.ko.
load_module() { module_deps && insmod "$SWAPTAB_KO" "$@"; }
module_loaded() { grep -q '^swaptab ' /proc/modules; }
unload_module() { ! module_loaded || rmmod swaptab; }

# free_bytes: memory the kernel could hand out now, in bytes, once it settles:
# MemFree, plus the pages on the per-CPU free lists (free, yet not in MemFree;
# since 6.7's auto-tuning they hold tens of MiB), plus the clean page cache
# (Buffers + Cached - Shmem), so that executables paged back in between
# drop_caches and the read do not count as taken. The median of five reads,
# once two reads a second apart agree within 256 KiB (at most 20 s).
free_bytes() {
	local prev=0 cur
	sync
	echo 3 >/proc/sys/vm/drop_caches
	echo 1 >/proc/sys/vm/compact_memory 2>/dev/null
	for _ in $(seq 20); do
		sleep 1
		cur=$(free_now)
		[ $((cur > prev ? cur - prev : prev - cur)) -le 262144 ] && break
		prev=$cur
	done
	for _ in 1 2 3 4 5; do
		free_now
		sleep 0.2
	done | sort -n | sed -n 3p
}
free_now() {
	local kib pcp
	kib=$(awk '/^(MemFree|Buffers|Cached):/ { f += $2 } /^Shmem:/ { f -= $2 } END { print f }' /proc/meminfo)
	pcp=$(awk '$1 == "count:" { c += $2 } END { print c * 4 }' /proc/zoneinfo)
	echo $(((kib + pcp) * 1024))
}

# Transparent huge pages, as swap sees them.  Debian's kernels boot with THP
# "always" and THP_SWAP: anonymous memory comes in 2 MiB folios and is swapped
# out whole, one 2 MiB bio.  thp_set MODE sets one of the modes the swap tests
# run under, and prints nothing; thp_modes lists those this kernel has:
#   stock   as booted (the PMD size per the kernel's default, "always")
#   never   base pages only
#   64k     64 KiB mTHP folios only (kernels with mTHP, 6.8+)
THP=/sys/kernel/mm/transparent_hugepage
# the settings this boot started with: the top level, then each mTHP size
THP_BOOT=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$THP/enabled" 2>/dev/null)
declare -A THP_SIZE_BOOT
for d in "$THP"/hugepages-*kB; do
	[ -r "$d/enabled" ] && THP_SIZE_BOOT[$d]=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$d/enabled")
done
unset d
thp_modes() {
	echo stock never
	[ -w "$THP/hugepages-64kB/enabled" ] && echo 64k
	return 0
}
thp_set() {
	local d
	[ -w "$THP/enabled" ] || return 1
	for d in "${!THP_SIZE_BOOT[@]}"; do
		if [ "$1" = stock ]; then
			echo "${THP_SIZE_BOOT[$d]}" >"$d/enabled"
		else
			echo never >"$d/enabled"
		fi
	done
	case "$1" in
	stock) echo "$THP_BOOT" >"$THP/enabled" ;;
	never) echo never >"$THP/enabled" ;;
	64k)
		echo never >"$THP/enabled" &&
			echo always >"$THP/hugepages-64kB/enabled" ;;
	*) return 1 ;;
	esac
}
# thp_swpout: large folios swapped out whole since boot (PMD size: thp_swpout;
# mTHP sizes: their stats), and those split before swap-out (fallbacks).
thp_swpout() {
	local n f s
	n=$(awk '$1 == "thp_swpout" { print $2 }' /proc/vmstat)
	f=$(awk '$1 == "thp_swpout_fallback" { print $2 }' /proc/vmstat)
	for s in "$THP"/hugepages-*kB/stats; do
		[ -r "$s/swpout" ] || continue
		case "$s" in */hugepages-2048kB/*) continue ;; esac
		n=$((n + $(cat "$s/swpout")))
		f=$((f + $(cat "$s/swpout_fallback")))
	done
	echo "${n:-0} ${f:-0}"
}
