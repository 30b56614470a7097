#!/bin/bash
# module-bench-fio: only the raw-device part of module-bench (4 KiB random write
# and read, swaptab vs zram, interleaved rounds).
export BENCH_PARTS=fio
# under tests/all (SWAPTAB_QUICK=1) module-bench already runs a short fio comparison
if [ "${SWAPTAB_QUICK:-0}" = 1 ]; then
	echo "PASS: skipped-quick"
	exit 0
fi
exec bash "$SRC/tests/vm/scenarios/module-bench.sh"
