#!/bin/bash
# Prepare the kernel matrix in the cache: for each suite, the stock Debian kernel
# (vmlinuz, config, /lib/modules/V) and, for trixie and sid, a debootstrap'd build
# chroot holding that kernel's headers and the gcc they were built with.
#
#   tests/vm/kernels.sh [bookworm|trixie|sid|all]...   (default: all)
#
# Output, per suite, in $SWAPTAB_CACHE/kernels/<suite>/:
#   vmlinuz  config  lib/modules/<V>/  kernel.env (SUITE KVER KPKG_VERSION KDIR BUILD_CHROOT)
# Rebuilt when missing, when this script changed, or when the suite's newest kernel
# changed (package lists are refreshed every SWAPTAB_REFRESH_HOURS, default 24;
# SWAPTAB_REFRESH=1 forces it). Nothing is installed on the host.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_root

# (lib.sh is left out: editing a helper must not refetch every kernel.)
SELF_HASH=$(hash_files "$0")
REFRESH_HOURS=${SWAPTAB_REFRESH_HOURS:-24}
# What a build chroot needs besides the headers metapackage (which pulls its gcc).
# (perl: scripts/kernel-doc needs Pod::Usage, which perl-base lacks; binutils:
# the backports headers pull gcc without it, and Kbuild's option tests need as.)
CHROOT_PKGS=(linux-headers-amd64 binutils make xz-utils kmod dwarves perl ca-certificates)
# Bump when the way chroots are made changes (forces a new debootstrap).
CHROOT_STAMP=v1

# lists_stale CHROOT: true when the chroot's package lists are due a refresh.
lists_stale() {
	[ "${SWAPTAB_REFRESH:-0}" = 1 ] && return 0
	local stamp=$1/var/lib/apt/lists/.swaptab-updated
	[ -f "$stamp" ] || return 0
	[ -n "$(find "$stamp" -mmin +$((REFRESH_HOURS * 60)))" ]
}

# prepare_chroot SUITE: debootstrap (once) and bring the headers up to date.
# A backports suite's chroot is its release's, with the backports added and
# the kernel's packages taken from them.
prepare_chroot() {
	local suite=$1 ch dist=${1%-backports} from=()
	[ "$dist" = "$suite" ] || from=(-t "$suite")
	ch=$(chroot_dir "$suite")
	if [ ! -f "$ch/.swaptab-chroot" ] || [ "$(cat "$ch/.swaptab-chroot")" != "$CHROOT_STAMP" ]; then
		log "$suite: debootstrap --variant=minbase into $ch"
		rm -rf "$ch" "$ch.new"
		mkdir -p "$(dirname "$ch")"
		# The sid script serves every suite from bookworm on.
		debootstrap --variant=minbase "$dist" "$ch.new" "$SWAPTAB_MIRROR" \
			/usr/share/debootstrap/scripts/sid >"$SWAPTAB_CACHE/debootstrap-$suite.log" 2>&1 ||
			die "debootstrap $suite failed: see $SWAPTAB_CACHE/debootstrap-$suite.log"
		echo 'Acquire::Check-Valid-Until "false";' >"$ch.new/etc/apt/apt.conf.d/99swaptab"
		printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' \
			>"$ch.new/etc/apt/apt.conf.d/99norecommends"
		[ "$dist" = "$suite" ] ||
			echo "deb $SWAPTAB_MIRROR $suite main" >"$ch.new/etc/apt/sources.list.d/$suite.list"
		echo "$CHROOT_STAMP" >"$ch.new/.swaptab-chroot"
		mv "$ch.new" "$ch"
		rm -f "$ch/var/lib/apt/lists/.swaptab-updated"
	fi
	if lists_stale "$ch" || [ "$(cat "$ch/.swaptab-pkgs" 2>/dev/null)" != "${CHROOT_PKGS[*]}" ]; then
		log "$suite: apt-get update + install ${CHROOT_PKGS[*]}"
		in_chroot "$ch" apt-get "${APT_OPTS[@]}" update >/dev/null
		in_chroot "$ch" apt-get "${APT_OPTS[@]}" "${from[@]}" install "${CHROOT_PKGS[@]}" >/dev/null
		in_chroot "$ch" apt-get "${APT_OPTS[@]}" clean
		touch "$ch/var/lib/apt/lists/.swaptab-updated"
		echo "${CHROOT_PKGS[*]}" >"$ch/.swaptab-pkgs"
	fi
}

# headers_kver ROOT: the kernel version the linux-headers-amd64 metapackage points at.
headers_kver() {
	local root=$1 dep
	if [ "$root" = / ]; then
		dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64)
	else
		dep=$(chroot "$root" dpkg-query -W -f='${Depends}' linux-headers-amd64)
	fi
	dep=$(tr ',' '\n' <<<"$dep" | sed -n 's/^ *linux-headers-\([0-9][^ ]*-amd64\).*/\1/p' | head -n1)
	[ -n "$dep" ] || die "cannot tell which kernel linux-headers-amd64 points at in $root"
	echo "$dep"
}

# image_debs ROOT KVER DESTDIR: apt-get download the image of KVER and the
# same-version packages it is split into (sid: linux-binary/modules/base-V).
image_debs() {
	local root=$1 kver=$2 dest=$3 pkgs run
	if [ "$root" = / ]; then run=(); else run=(chroot "$root"); fi
	pkgs=$("${run[@]}" apt-cache depends "linux-image-$kver" |
		sed -n "s/^ *|\\{0,1\\}\\(Pre\\)\\{0,1\\}Depends: \\(linux-[a-z]*-$kver\\)\$/\\2/p" | sort -u)
	pkgs=$(echo "linux-image-$kver" $pkgs)
	log "downloading: $pkgs"
	if [ "$root" = / ]; then
		(cd "$dest" && apt-get "${APT_OPTS[@]}" download $pkgs >/dev/null)
	else
		local tmp=/tmp/swaptab-debs
		rm -rf "${root:?}$tmp"
		mkdir -p "$root$tmp"
		chroot "$root" sh -c "cd $tmp && apt-get -o Acquire::Check-Valid-Until=false -o APT::Sandbox::User=root -q download $pkgs" >/dev/null
		mv "$root$tmp"/*.deb "$dest"/
		rm -rf "${root:?}$tmp"
	fi
}

# prepare_kernel SUITE
prepare_kernel() {
	local suite=$1 root kver kdir chroot_path kd
	kd=$(kernel_dir "$suite")
	if [ "$suite" = bookworm ]; then
		root=/ chroot_path=
	else
		prepare_chroot "$suite"
		root=$(chroot_dir "$suite") chroot_path=$root
	fi
	kver=$(headers_kver "$root")
	kdir=/usr/src/linux-headers-$kver
	[ -f "${chroot_path}$kdir/Makefile" ] || die "$suite: headers of $kver missing at ${chroot_path}$kdir"
	local want="$SELF_HASH $kver"
	if [ -f "$kd/stamp" ] && [ "$(cat "$kd/stamp")" = "$want" ]; then
		log "$suite: kernel $kver up to date"
		return 0
	fi
	log "$suite: fetching kernel $kver"
	local stage=$kd.new
	rm -rf "$stage"
	mkdir -p "$stage/debs" "$stage/x"
	image_debs "$root" "$kver" "$stage/debs"
	local deb pkgver=
	for deb in "$stage"/debs/*.deb; do
		dpkg -x "$deb" "$stage/x"
		case "$(basename "$deb")" in
		linux-image-"$kver"_*) pkgver=$(dpkg-deb -f "$deb" Version) ;;
		esac
	done
	# Layouts differ: bookworm/trixie keep vmlinuz and config in /boot and modules
	# in /lib/modules; sid keeps all three under /usr/lib/modules/V.
	local mods=
	for mods in "$stage/x/lib/modules/$kver" "$stage/x/usr/lib/modules/$kver"; do
		[ -d "$mods/kernel" ] && break
	done
	[ -d "$mods/kernel" ] || die "$suite: no modules tree for $kver in the packages"
	local f
	for f in "$stage/x/boot/vmlinuz-$kver" "$mods/vmlinuz"; do
		[ -f "$f" ] && { mv "$f" "$stage/vmlinuz"; break; }
	done
	for f in "$stage/x/boot/config-$kver" "$mods/config"; do
		[ -f "$f" ] && { cp "$f" "$stage/config"; break; }
	done
	[ -f "$stage/vmlinuz" ] || die "$suite: no vmlinuz for $kver in the packages"
	[ -f "$stage/config" ] || die "$suite: no config for $kver in the packages"
	mkdir -p "$stage/lib/modules"
	mv "$mods" "$stage/lib/modules/$kver"
	rm -f "$stage/lib/modules/$kver/build" "$stage/lib/modules/$kver/source"
	depmod -b "$stage" "$kver"
	rm -rf "$stage/x" "$stage/debs"
	cat >"$stage/kernel.env" <<-ENV
	SUITE=$suite
	KVER=$kver
	KPKG_VERSION=$pkgver
	KDIR=$kdir
	BUILD_CHROOT=$chroot_path
	ENV
	echo "$want" >"$stage/stamp"
	rm -rf "$kd"
	mv "$stage" "$kd"
	log "$suite: kernel $kver ($pkgver) ready in $kd"
}

suites=("$@")
[ ${#suites[@]} -eq 0 ] || [ "${suites[0]}" = all ] && suites=("${SWAPTAB_SUITES[@]}")
for s in "${suites[@]}"; do
	check_suite "$s"
	(take_lock "kernel-$s" && prepare_kernel "$s")
done
