#!/bin/bash
# Build swaptab.ko against one matrix kernel (or all), with the compiler that
# kernel's headers were built with: the host's gcc for bookworm, the suite's
# build chroot for trixie and sid.
#
#   tests/vm/build-module.sh bookworm|trixie|sid|all
#
# Sources (Kbuild, module/, include/) are copied to build/kmod/<suite>/src/ and built
# there with `make -C <headers> M=build/kmod/<suite>/src W=1`, so the kernels' outputs
# never collide. Result: build/kmod/<suite>/swaptab.ko (replaced atomically), log in
# build/kmod/<suite>/build.log.
# Fails on any compiler or modpost warning.
# SWAPTAB_KMOD_SRC=<dir> builds another tree laid out the same way (harness tests).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_root

SRC=${SWAPTAB_KMOD_SRC:-$SWAPTAB_REPO}

# cc_of KDIR_ON_DISK: the compiler named in the kernel config, e.g.
# "x86_64-linux-gnu-gcc-14 (Debian 14.2.0-19) 14.2.0" -> x86_64-linux-gnu-gcc-14.
cc_of() {
	local text
	text=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"$/\1/p' "$1/.config")
	[ -n "$text" ] || die "no CONFIG_CC_VERSION_TEXT in $1/.config"
	echo "${text%% *}"
}

build_one() {
	local suite=$1
	"$(dirname "$0")/kernels.sh" "$suite"
	kernel_env "$suite"
	take_lock "kmod-$suite"
	# Build in build/kmod/<suite>/src; only a finished module replaces
	# build/kmod/<suite>/swaptab.ko (atomically), so a guest booting meanwhile
	# never finds it missing.
	local top=$SWAPTAB_BUILD/kmod/$suite
	local out=$top/src
	rm -rf "$out"
	mkdir -p "$out"
	[ -f "$SRC/Kbuild" ] || die "no Kbuild in $SRC"
	local d
	for d in Kbuild Makefile VERSION module include; do
		[ -e "$SRC/$d" ] && cp -a "$SRC/$d" "$out/"
	done
	local cc rc=0 log=$top/build.log
	cc=$(cc_of "${BUILD_CHROOT}$KDIR")
	log "$suite: building swaptab.ko against $KVER with $cc"
	if [ -z "$BUILD_CHROOT" ]; then
		make -C "$KDIR" M="$out" W=1 CC="$cc" -j2 modules >"$log" 2>&1 || rc=$?
	else
		local inner=/tmp/swaptab-kmod
		rm -rf "${BUILD_CHROOT:?}$inner"
		cp -a "$out" "$BUILD_CHROOT$inner"
		in_chroot "$BUILD_CHROOT" make -C "$KDIR" M="$inner" W=1 CC="$cc" -j2 modules >"$log" 2>&1 || rc=$?
		cp -a "$BUILD_CHROOT$inner/." "$out/"
		rm -rf "${BUILD_CHROOT:?}$inner"
	fi
	# A failed build must not leave an older module around to be tested by mistake.
	[ $rc -eq 0 ] && ! grep -qiE 'warning:|warning ' "$log" || rm -f "$top/swaptab.ko" "$top/kver"
	if [ $rc -ne 0 ]; then
		cat "$log" >&2
		die "$suite: module build failed (make exit $rc)"
	fi
	if grep -qiE 'warning:|warning ' "$log"; then
		grep -iE -A3 'warning:|warning ' "$log" >&2
		die "$suite: module build produced warnings (see $log)"
	fi
	[ -f "$out/swaptab.ko" ] || die "$suite: build succeeded but $out/swaptab.ko is missing"
	cp "$out/swaptab.ko" "$top/.swaptab.ko.tmp"
	mv -f "$top/.swaptab.ko.tmp" "$top/swaptab.ko"
	echo "$KVER" >"$top/kver"
	log "$suite: $top/swaptab.ko built"
}

[ $# -eq 1 ] || die "usage: $0 bookworm|trixie|sid|all"
if [ "$1" = all ]; then
	rc=0
	for s in "${SWAPTAB_SUITES[@]}"; do (build_one "$s") || rc=1; done
	exit $rc
fi
check_suite "$1"
build_one "$1"
