#!/bin/bash
# Capture each matrix kernel's BTF (/sys/kernel/btf/vmlinux, and /sys/kernel/btf/zram
# after `modprobe zram`) from a booted guest into tests/data/btf/<suite>/ (committed:
# the tool's unit tests read them).
#
#   tests/vm/capture-btf.sh [bookworm|trixie|sid|all]...   (default: all)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_root

suites=("$@")
[ ${#suites[@]} -eq 0 ] || [ "${suites[0]}" = all ] && suites=("${SWAPTAB_SUITES[@]}")
for s in "${suites[@]}"; do
	check_suite "$s"
	out=$SWAPTAB_BUILD/vm/capture-btf-$s
	SWAPTAB_VM_OUT=$out "$(dirname "$0")/run.sh" "$s" tests/vm/guest/capture-btf.sh
	dest=$SWAPTAB_REPO/tests/data/btf/$s
	mkdir -p "$dest"
	install -m 644 "$out/capture-btf/vmlinux" "$out/capture-btf/zram" "$dest/"
	(kernel_env "$s"; echo "$KVER $KPKG_VERSION") >"$dest/KERNEL"
	log "$s: BTF in $dest ($(du -sh "$dest" | cut -f1))"
done
