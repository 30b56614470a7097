#!/bin/bash
# Guest side of tests/demo: load swaptab, create a device with swaptabctl and swap on it,
# put the guest under memory pressure, and show live, while the swapped-out data is
# resident, what the metadata costs: on swaptab, on a zram device of the same size, and
# in the kernel's own swap layer.
set -u
. "$SRC/tests/vm/scenario-lib.sh"
say() { printf '\n### %s\n' "$*"; }
SIZE=4G

say "kernel $KVER, $(awk '/MemTotal/ {print $2 / 1024 " MiB"}' /proc/meminfo) of RAM"
for f in "$SWAPTAB_KO" "$SWAPTABCTL" "$SWAPLOAD"; do
	[ -e "$f" ] || { fail build "no $f: build it first (tests/demo does)"; finish; }
done
say "loading swaptab.ko (after: $(modinfo -F depends "$SWAPTAB_KO"))"
check load load_module

say "zram for comparison: $SIZE, lz4, swap at a lower priority (used only if swaptab fills)"
check zram modprobe zram num_devices=1
echo lz4 >/sys/block/zram0/comp_algorithm
echo $SIZE >/sys/block/zram0/disksize
mkswap /dev/zram0 >/dev/null && swapon -p 10 /dev/zram0

say "swaptabctl add -s $SIZE -a lz4 --swapon -p 100"
if ! dev=$("$SWAPTABCTL" add -s $SIZE -a lz4 --swapon -p 100); then
	fail add "swaptabctl add failed"
	unload_module
	finish
fi
pass "add $dev"
swapon --show
"$SWAPTABCTL" list

mib=$(awk '/MemTotal/ { print int($2 * 1.5 / 1024) }' /proc/meminfo)
say "memory pressure: $mib MiB (1.5x RAM) of mixed pages in 2 processes, written, then read back twice"
"$SWAPLOAD" --size "$mib" --procs 2 --passes 2 >/tmp/swapload.txt 2>&1 &
load=$!
# The write pass is reported once both processes wrote all their memory: the
# swapped-out data is resident then.
while kill -0 $load 2>/dev/null && ! grep -q write_mbs /tmp/swapload.txt; do
	sleep 1
done
say "live, with the data swapped out: swaptabctl list"
"$SWAPTABCTL" list
say "live: swaptabctl overhead"
if "$SWAPTABCTL" overhead; then pass overhead; else fail overhead "swaptabctl overhead failed"; fi
wait $load && pass "workload: every page verified" || fail workload "$(tail -n 1 /tmp/swapload.txt)"
cat /tmp/swapload.txt
"$SWAPTABCTL" stats "$dev" || true

say "cleaning up"
swapoff /dev/zram0
echo 1 >/sys/block/zram0/reset
check zram-unload rmmod zram
check remove "$SWAPTABCTL" remove --swapoff "$dev"
check unload unload_module
finish
