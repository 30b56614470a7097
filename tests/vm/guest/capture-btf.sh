#!/bin/bash
# Guest side of tests/vm/capture-btf.sh: copy the kernel's BTF and zram's module BTF to $OUT.
set -u
. "$SRC/tests/vm/scenario-lib.sh"
check vmlinux cp /sys/kernel/btf/vmlinux "$OUT/vmlinux"
check modprobe-zram modprobe zram
check zram cp /sys/kernel/btf/zram "$OUT/zram"
finish
