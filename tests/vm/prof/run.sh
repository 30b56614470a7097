#!/bin/bash
# Exact kernel instruction counts per 4 KiB I/O, swaptab against zram, by
# symbol, in one boot of a matrix kernel:
#
#   tests/vm/prof/run.sh bookworm|trixie|sid [TOP]
#   SWAPTAB_BENCH_PROF=swap tests/vm/prof/run.sh ...   (per page swapped instead)
#
# perf under TCG samples; this counts.  insn-count.c, a QEMU TCG plugin,
# counts every kernel instruction the guest runs; the guest
# (tests/vm/guest/insn-profile.sh) runs the benchmark's fio 4 KiB random
# write and read on each device in ABBA order (or, with
# SWAPTAB_BENCH_PROF=swap, the benchmark's swap workload three times on
# each) and prints a mark on the console around each phase; this script
# answers each mark with a signal to QEMU, on which the plugin writes the
# counts since the last one.
# report.py then prints instructions per I/O, the devices' own code and
# the symbols that differ most.  Uses the host's QEMU (plugin API 1) and
# multi-threaded TCG; the module must be built (build-module.sh).  Output
# in build/vm/prof-<suite>/ (prof-swap-<suite>/); about 5 (7) minutes on an
# idle 2-core host.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
suite=${1:?usage: $0 bookworm|trixie|sid [TOP]}
out=$repo/build/vm/prof-$suite
[ "${SWAPTAB_BENCH_PROF:-fio}" = swap ] && out=$repo/build/vm/prof-swap-$suite
plugin=$repo/build/prof/insn-count.so

mkdir -p "$(dirname "$plugin")"
gcc -O2 -Wall -Wextra -shared -fPIC -fvisibility=hidden -o "$plugin" "$here/insn-count.c"
SWAPTAB_VM_QEMU=host SWAPTAB_VM_OUT=$out SWAPTAB_VM_PLUGIN="$plugin,out=$out" SWAPTAB_SCENARIO_TIMEOUT=3000 \
	"$repo/tests/vm/run.sh" "$suite" tests/vm/guest/insn-profile.sh &
runner=$!
# Each INSN-MARK line gets one signal, to the QEMU that writes this console.
answered=0
while kill -0 "$runner" 2>/dev/null; do
	sleep 0.2
	marks=$(grep -c 'INSN-MARK [0-9]' "$out/console.log" 2>/dev/null || true)
	while [ "$answered" -lt "${marks:-0}" ]; do
		qemu=$(pgrep -f "^qemu-system-x86_64 .*file:$out/console.log" | head -n 1)
		[ -n "$qemu" ] && kill -s RTMIN+10 "$qemu"
		answered=$((answered + 1))
	done
done
rc=0
wait "$runner" || rc=$?
[ "$rc" -eq 0 ] || { echo "guest run failed ($rc): see $out" >&2; exit "$rc"; }
python3 "$here/report.py" "$out" "${2:-25}" | tee "$out/report.txt"
