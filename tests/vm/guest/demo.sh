#!/bin/bash
# Guest side of tests/demo: load swaptab, create a device with swaptabctl and swap on it,
# put the guest under memory pressure, and show what the metadata costs.
set -u
. "$SRC/tests/vm/scenario-lib.sh"
say() { printf '\n### %s\n' "$*"; }

say "kernel $KVER, $(awk '/MemTotal/ {print $2 / 1024 " MiB"}' /proc/meminfo) of RAM"
if [ ! -f "$SWAPTAB_KO" ]; then
	fail module "no $SWAPTAB_KO"
	finish
fi
say "loading swaptab.ko (after: $(modinfo -F depends "$SWAPTAB_KO"))"
check load load_module
if [ ! -x "$SWAPTABCTL" ]; then
	fail swaptabctl "no $SWAPTABCTL; next: swaptabctl add -s 4G -a lz4 --swapon, the workload, swaptabctl overhead"
	unload_module
	finish
fi
say "swaptabctl add -s 4G -a lz4 --swapon"
if ! dev=$("$SWAPTABCTL" add -s 4G -a lz4 --swapon); then
	fail add "swaptabctl add failed"
	unload_module
	finish
fi
pass "add $dev"
swapon --show
"$SWAPTABCTL" list

say "memory pressure: 1.5x RAM of mixed pages, written then read back twice"
if python3 "$SRC/tests/vm/guest/pressure.py"; then pass workload; else fail workload "bad pages or a crash"; fi
free -m
"$SWAPTABCTL" list
"$SWAPTABCTL" stats "$dev" || true

say "swaptabctl overhead"
if "$SWAPTABCTL" overhead; then pass overhead; else fail overhead "swaptabctl overhead failed"; fi

say "cleaning up"
check remove "$SWAPTABCTL" remove --swapoff "$dev"
check unload unload_module
finish
