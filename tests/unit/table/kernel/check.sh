#!/bin/bash
# Static checks of the slot-table core against one kernel build tree
# (default: bookworm's 6.1 headers): W=1 build with sparse (C=1) of a copy
# of module/table.c plus a trivial module, and checkpatch --strict.
#
#   tests/unit/table/kernel/check.sh [KDIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../../.." && pwd)
kdir=${1:-/lib/modules/6.1.0-56-amd64/build}
checkpatch=${CHECKPATCH:-/var/cache/swaptab/linux-source-6.1/scripts/checkpatch.pl}

tree=$(mktemp -d /tmp/st-check.XXXXXX)
trap 'rm -rf "$tree"' EXIT
cp "$repo"/module/table.c "$repo"/module/table.h "$repo"/module/table_internal.h \
   "$here/st_selftest.c" "$tree/"
cat >"$tree/Kbuild" <<KBUILD
obj-m := st_check.o
st_check-y := table.o st_selftest.o
ccflags-y := -I$repo/include/uapi -I\$(src)
KBUILD
make -C "$kdir" M="$tree" W=1 C=1 modules >"$tree/build.log" 2>&1 ||
	{ cat "$tree/build.log"; exit 1; }
if grep -E 'warning|error' "$tree/build.log"; then
	echo "check: compiler or sparse warnings" >&2
	exit 1
fi
echo "check: W=1 + sparse clean against $kdir"
"$checkpatch" --strict --no-tree --quiet -f "$repo"/module/table.c \
	"$repo"/module/table.h "$here/st_selftest.c"
echo "check: checkpatch --strict clean"
