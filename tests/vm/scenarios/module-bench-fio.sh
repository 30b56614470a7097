#!/bin/bash
# module-bench-fio: only the raw-device part of module-bench (4 KiB random write
# and read, swaptab vs zram, interleaved rounds).
export BENCH_PARTS=fio
exec bash "$SRC/tests/vm/scenarios/module-bench.sh"
