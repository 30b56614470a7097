#!/bin/bash
# Build the slot-table self-test module for one matrix kernel and run it in
# a QEMU guest (as root; uses tests/vm):
#
#   tests/unit/table/kernel/run.sh bookworm|trixie|sid
#
# The module is module/table.c + st_selftest.c, laid out like the real tree
# in a temporary directory and built by tests/vm/build-module.sh into
# build/table-selftest/kmod/<suite>/swaptab.ko (never the real module's
# place); the guest runs selftest.sh.  Don't load it next to swaptab.ko.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../../.." && pwd)
suite=${1:?usage: $0 bookworm|trixie|sid}

tree=$(mktemp -d /tmp/st-selftest.XXXXXX)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/module"
cat >"$tree/Kbuild" <<'KBUILD'
obj-m := swaptab.o
swaptab-y := module/table.o module/st_selftest.o
include $(src)/module/build.mk
KBUILD
cp -a "$repo/include" "$repo/VERSION" "$tree/"
cp -a "$repo"/module/table.c "$repo"/module/table.h "$repo"/module/table_internal.h \
   "$repo"/module/compat.h "$repo"/module/build.mk "$repo"/module/probes \
   "$here/st_selftest.c" "$tree/module/"

SWAPTAB_BUILD=$repo/build/table-selftest SWAPTAB_KMOD_SRC=$tree \
	"$repo/tests/vm/build-module.sh" "$suite"
SWAPTAB_BUILD=$repo/build/table-selftest \
	"$repo/tests/vm/run.sh" "$suite" tests/unit/table/kernel/selftest.sh
