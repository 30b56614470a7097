#!/bin/bash
# swap-soak: the swap workload run after run in one boot, on zram and on swaptab
# alternating, under one THP mode, every page verified each run: what found the
# double fault of issue 18 (its 7th run) and what tells its rate.
#   tests/vm/run.sh SUITE tests/vm/guest/swap-soak.sh; knobs (all optional):
#   SWAPTAB_SOAK_RUNS   runs (20)
#   SWAPTAB_SOAK_ORDER  devices in turn, repeated (zram swaptab swaptab zram)
#   SWAPTAB_SOAK_THP    stock | never | 64k (stock)
#   SWAPTAB_SOAK_MIB    workload MiB (150% of RAM), SWAPTAB_SOAK_ALGO (lz4)
# A case per run: every page verified, no failed I/O, the device empty again.
set -u
. "$SRC/tests/vm/scenario-lib.sh"
RUNS=${SWAPTAB_SOAK_RUNS:-20}
read -r -a ORDER <<<"${SWAPTAB_SOAK_ORDER:-zram swaptab swaptab zram}"
MODE=${SWAPTAB_SOAK_THP:-stock}
ALGO=${SWAPTAB_SOAK_ALGO:-lz4}
mem_kb=$(awk '/MemTotal/ { print $2 }' /proc/meminfo)
MIB=${SWAPTAB_SOAK_MIB:-$((mem_kb * 150 / 100 / 1024))}
SIZE=4G

check load load_module
check zram-load modprobe zram num_devices=1
check "thp-$MODE" thp_set "$MODE"
echo "soak: $RUNS runs of ${MIB} MiB in 2 processes, ${ORDER[*]}, THP $MODE ($(cat "$THP/enabled")), $ALGO, $SIZE devices"

# swap_on DEVICE: an empty DEVICE (zram or swaptab) as the only swap; prints its node.
swap_on() {
	local dev
	if [ "$1" = zram ]; then
		echo "$ALGO" >/sys/block/zram0/comp_algorithm &&
			echo $SIZE >/sys/block/zram0/disksize && dev=/dev/zram0
	else
		dev=$("$SWAPTABCTL" add -s $SIZE -a "$ALGO")
	fi
	[ -n "${dev:-}" ] && mkswap "$dev" >/dev/null && swapon -p 100 "$dev" && echo "$dev"
}
swap_off() {
	swapoff "$2" || return 1
	if [ "$1" = zram ]; then
		echo 1 >/sys/block/zram0/reset
	else
		"$SWAPTABCTL" remove "$2"
	fi
}

for run in $(seq "$RUNS"); do
	kind=${ORDER[$(((run - 1) % ${#ORDER[@]}))]}
	if ! dev=$(swap_on "$kind"); then
		fail "run$run-$kind-setup" "cannot swap on $kind"
		break
	fi
	read -r thp0 fb0 < <(thp_swpout)
	out0=$(pswpout)
	t0=$(date +%s)
	"$SWAPLOAD" --size "$MIB" --procs 2 --passes 1 >"$OUT/run$run.txt" 2>&1
	rc=$?
	read -r thp1 fb1 < <(thp_swpout)
	echo "run $run $kind: exit $rc, $(($(date +%s) - t0)) s, pages out $(($(pswpout) - out0)), large folios out whole $((thp1 - thp0)), split $((fb1 - fb0)): $(tail -n 1 "$OUT/run$run.txt")"
	if [ $rc -eq 0 ] && grep -q 'result=ok' "$OUT/run$run.txt"; then
		pass "run$run-$kind-verified"
	else
		fail "run$run-$kind-verified" "exit $rc: $(tail -n 2 "$OUT/run$run.txt" | tr '\n' ' ')"
	fi
	check "run$run-$kind-off" swap_off "$kind" "$dev"
done
thp_set stock
echo 1 >/sys/block/zram0/reset 2>/dev/null
check zram-unload rmmod zram
check unload unload_module
finish
