#!/bin/bash
# bench-icount.sh [SUITE...]: the benchmark (bench/zram.sh) on QEMU's
# instruction clock, on every kernel of the matrix (or the SUITEs given) at
# once, and their ratio tables printed together at the end.
#
# Why a second clock: in real time on a two-core TCG host one device's swap
# runs in one boot move by 10-60% (reclaim timing, the host's scheduling),
# so tests/all's bench can only call a few percent a tie.  Under -icount
# shift=0,sleep=off the guest's clock advances 1 ns per instruction it runs:
# what a device's code costs, repeatable to ~1% for swap runs and ~0.1% for
# fio rounds whatever else loads the host, so the boots can share the cores.
# It does not see what costs time without instructions (cache misses, waits
# for other CPUs); real time does, within its noise.
#
# QEMU 10, from the trixie build chroot (installed there on first use): the
# host's 7.2 double-faulted in about one icount boot in fourteen.  After
# the benchmark's warm-ups (an unrecorded fio round per device, one zram
# swap run), ABBA: two runs and rounds per device, since runs repeat this
# closely.  Two against two give no confidence interval: a ratio counts
# where it lies outside each device's printed run-to-run spread.
#
# Needs what run.sh needs: tests/vm/kernels.sh, rootfs.sh, build-module.sh
# for each SUITE, and the host build (build/host: swapload, swaptabctl).
# Takes about 70 minutes for the three kernels on two cores.  Output:
# build/vm/icount-SUITE/ (zram.log has every run); exits non-zero if any
# boot failed a check.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_root

suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=("${SWAPTAB_SUITES[@]}")
for suite in "${suites[@]}"; do check_suite "$suite"; done

export SWAPTAB_VM_ACCEL=tcg SWAPTAB_VM_QEMU=trixie SWAPTAB_VM_ICOUNT=shift=0,sleep=off
export SWAPTAB_QUICK=1 SWAPTAB_BENCH_ORDER=${SWAPTAB_BENCH_ORDER:-swaptab zram zram swaptab}
# three boots sharing two cores: each takes about 70 minutes
export SWAPTAB_SCENARIO_TIMEOUT=${SWAPTAB_SCENARIO_TIMEOUT:-6000}
export SWAPTAB_VM_TIMEOUT=${SWAPTAB_VM_TIMEOUT:-6300}

mkdir -p "$SWAPTAB_BUILD/vm"
declare -A pid
for suite in "${suites[@]}"; do
	out=$SWAPTAB_BUILD/vm/icount-$suite
	SWAPTAB_VM_OUT=$out "$SWAPTAB_REPO/tests/vm/run.sh" "$suite" \
		"$SWAPTAB_REPO/tests/vm/bench/zram.sh" \
		>"$out.log" 2>&1 &
	pid[$suite]=$!
	log "$suite: bench on the instruction clock, log $out.log"
done
# run.sh takes its QEMU down on TERM; background jobs ignore INT
trap 'kill "${pid[@]}" 2>/dev/null' INT TERM
rc=0
for suite in "${suites[@]}"; do
	wait "${pid[$suite]}" || rc=1
	out=$SWAPTAB_BUILD/vm/icount-$suite
	printf '\n%s (%s)\n' "$suite" "$(tail -n 1 "$out.log")"
	bench_table "$out"
done
exit $rc
