#!/bin/bash
# Guest scenario: load the slot-table self-test module (st_selftest.c +
# module/table.c, built by run.sh) and turn its verdicts into PASS/FAIL.
set -u
. "$SRC/tests/vm/scenario-lib.sh"
KO=/src/build/table-selftest/kmod/$SUITE/swaptab.ko

if [ ! -f "$KO" ]; then
	fail present "no self-test module at $KO (run tests/unit/table/kernel/run.sh $SUITE)"
	finish
fi
if module_loaded; then
	fail unloaded "a swaptab module is already loaded"
	finish
fi
check insmod insmod "$KO" threads="${ST_THREADS:-4}" seconds="${ST_SECONDS:-10}"
dmesg | grep 'st_selftest:' | tee "$OUT.selftest.txt" 2>/dev/null || true
while read -r line; do
	case "$line" in
	*"st_selftest: PASS "*)
		rest=${line#*PASS }; pass "${rest%%:*}"; echo "    ${rest#*: }" ;;
	*"st_selftest: FAIL "*)
		rest=${line#*FAIL }; fail "${rest%%:*}" "${rest#*: }" ;;
	esac
done < <(dmesg | grep 'st_selftest:')
dmesg | grep -q 'st_selftest: done, 0 failures' && pass "done" || fail "done" "no clean summary"
check rmmod rmmod swaptab
finish
