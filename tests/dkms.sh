#!/bin/bash
# Check dkms.conf: `dkms add` + `dkms build` for the bookworm kernel in a temporary
# dkms tree and source tree (nothing under /var/lib/dkms or /usr/src is touched),
# then compare the result with build/kmod/bookworm/swaptab.ko (modinfo, symbols)
# when that exists; `dkms remove`, and delete the temporary trees.
#
#   tests/dkms.sh [kernel-release]   (default: the host's linux-headers-amd64, 6.1)
set -euo pipefail
. "$(dirname "$0")/vm/lib.sh"
need_root

kver=${1:-$(dpkg-query -W -f='${Depends}' linux-headers-amd64 |
	sed -n 's/.*linux-headers-\([0-9][^ ,]*-amd64\).*/\1/p')}
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"/\1/p' "$SWAPTAB_REPO/dkms.conf")
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$SWAPTAB_REPO/dkms.conf")
tmp=$(mktemp -d /tmp/swaptab-dkms.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
src=$tmp/src/$name-$ver
mkdir -p "$src" "$tmp/tree"
cp -a "$SWAPTAB_REPO"/{dkms.conf,Kbuild,VERSION,module,include} "$src/"
dk=(dkms --dkmstree "$tmp/tree" --sourcetree "$tmp/src")

log "dkms: add + build $name/$ver for $kver"
"${dk[@]}" add -m "$name" -v "$ver" >"$tmp/add.log" 2>&1 || { cat "$tmp/add.log"; die "dkms add failed"; }
if ! "${dk[@]}" build -m "$name" -v "$ver" -k "$kver" >"$tmp/build.log" 2>&1; then
	cat "$tmp/build.log"
	cat "$tmp/tree/$name/$ver/build/make.log" 2>/dev/null || true
	die "dkms build failed"
fi
ko=$(find "$tmp/tree/$name/$ver/$kver" -name "$name.ko*" | head -n1)
[ -n "$ko" ] || die "dkms build produced no $name.ko"
case "$ko" in *.xz) xz -dk "$ko"; ko=${ko%.xz} ;; *.zst) zstd -qd "$ko"; ko=${ko%.zst} ;; esac
log "dkms: built $(modinfo -F vermagic "$ko" | cut -d' ' -f1) srcversion $(modinfo -F srcversion "$ko")"
ref=$SWAPTAB_BUILD/kmod/bookworm/swaptab.ko
if [ -f "$ref" ] && [ "$(cat "$SWAPTAB_BUILD/kmod/bookworm/kver" 2>/dev/null)" = "$kver" ]; then
	for f in srcversion vermagic depends; do
		[ "$(modinfo -F $f "$ko")" = "$(modinfo -F $f "$ref")" ] ||
			die "dkms module differs from $ref in $f: '$(modinfo -F $f "$ko")' vs '$(modinfo -F $f "$ref")'"
	done
	syms() { nm --defined-only "$1" | awk '{print $2, $3}' | sort | sha256sum; }
	[ "$(syms "$ko")" = "$(syms "$ref")" ] || die "dkms module defines other symbols than $ref"
	log "dkms: same module as $ref (srcversion, vermagic, depends, symbols)"
fi
"${dk[@]}" remove -m "$name" -v "$ver" --all >"$tmp/remove.log" 2>&1 || { cat "$tmp/remove.log"; die "dkms remove failed"; }
[ ! -e "$tmp/tree/$name/$ver" ] || die "dkms remove left $tmp/tree/$name/$ver behind"
log "dkms: add/build/remove OK"
