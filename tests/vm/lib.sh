# shellcheck shell=bash
# Common paths, logging and helpers for the swaptab test scripts. Source it; do not run it.
#
# Caches (kernels, chroots, rootfs) live outside the clone, in $SWAPTAB_CACHE
# (default /var/cache/swaptab); build outputs go to the repo's gitignored build/.

SWAPTAB_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SWAPTAB_CACHE=${SWAPTAB_CACHE:-/var/cache/swaptab}
SWAPTAB_BUILD=${SWAPTAB_BUILD:-$SWAPTAB_REPO/build}
SWAPTAB_MIRROR=${SWAPTAB_MIRROR:-http://deb.debian.org/debian}
# The kernel matrix, each kernel named by the Debian suite it comes from:
# bookworm (host headers, 6.1), trixie (6.12), sid (newest), which run every
# test, and trixie-backports (the newest kernel Debian builds for trixie),
# which runs the core subset (tests/vm/README.md).  Versions are resolved at
# run time (kernels.sh).
SWAPTAB_FULL_SUITES=(bookworm trixie sid)
# trixie-backports builds W=1 clean but has not booted in tests/all yet:
# opt in with SWAPTAB_CORE=trixie-backports until it has.
read -r -a SWAPTAB_CORE_SUITES <<<"${SWAPTAB_CORE:-}"
SWAPTAB_SUITES=("${SWAPTAB_FULL_SUITES[@]}" "${SWAPTAB_CORE_SUITES[@]}")
# The archive copy reachable here serves Release files past their Valid-Until.
APT_OPTS=(-o Acquire::Check-Valid-Until=false -o APT::Sandbox::User=root -q -y)

log()  { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

need_root() { [ "$(id -u)" = 0 ] || die "$(basename "$0") must run as root"; }

check_suite() {
	case "$1" in
	bookworm|trixie|sid|trixie-backports) ;;
	*) die "unknown suite '$1' (expected one of: ${SWAPTAB_SUITES[*]})" ;;
	esac
}

# take_lock NAME: serialize cache updates between concurrent users of the cache.
# The lock is held until the calling shell exits.
take_lock() {
	mkdir -p "$SWAPTAB_CACHE/locks"
	local fd
	exec {fd}>"$SWAPTAB_CACHE/locks/$1.lock"
	flock "$fd"
}

# hash_files FILE...: one short hash over the contents of the given files.
hash_files() { cat "$@" | sha256sum | cut -c1-16; }

# Cache layout.
chroot_dir()  { echo "$SWAPTAB_CACHE/chroot/$1"; }       # build chroot (all but bookworm)
kernel_dir()  { echo "$SWAPTAB_CACHE/kernels/$1"; }      # vmlinuz, config, lib/modules/V, kernel.env
rootfs_dir()  { echo "$SWAPTAB_CACHE/rootfs"; }          # rootfs.img, initramfs-<suite>.cpio.gz

# chroot_qemu_cmd SUITE PATH...: the command (one word a line) that runs the
# qemu-system-x86_64 of SUITE's build chroot with each PATH (and /dev) bound
# at the same place inside, in a private mount namespace; QEMU's arguments
# follow it.  Installs QEMU into the chroot the first time.
chroot_qemu_cmd() {
	local ch
	ch=$(chroot_dir "$1")
	shift
	[ -d "$ch" ] || die "no $ch: run tests/vm/kernels.sh first"
	if [ ! -x "$ch/usr/bin/qemu-system-x86_64" ]; then
		take_lock "qemu-$(basename "$ch")"
		[ -x "$ch/usr/bin/qemu-system-x86_64" ] ||
			{ in_chroot "$ch" apt-get "${APT_OPTS[@]}" install qemu-system-x86 >/dev/null &&
				in_chroot "$ch" apt-get "${APT_OPTS[@]}" clean; } ||
			die "cannot install qemu-system-x86 into $ch"
	fi
	# shellcheck disable=SC2016 # the inner script expands its own arguments
	printf '%s\n' unshare -m --propagation private /bin/sh -c \
		'ch=$0; while [ "$1" != -- ]; do mkdir -p "$ch$1" && mount --rbind "$1" "$ch$1" || exit 1; shift; done; shift; mount -t proc proc "$ch/proc" && exec chroot "$ch" /usr/bin/qemu-system-x86_64 "$@"' \
		"$ch" /dev "$@" --
}

# bench_table OUT: the ratio table of the benchmark run whose output
# directory is OUT (bench/zram.sh's summary), nothing if it has none.
bench_table() {
	sed -n '/swaptab vs zram/,/RAM per GiB/p' "$1/zram.log" 2>/dev/null || true
}

# kernel_env SUITE: load SUITE, KVER, KPKG_VERSION, KDIR (headers, as seen by the
# builder), BUILD_CHROOT (empty for the host) of a prepared kernel.
kernel_env() {
	local env
	env="$(kernel_dir "$1")/kernel.env"
	[ -f "$env" ] || die "kernel '$1' is not prepared: run tests/vm/kernels.sh $1"
	# shellcheck disable=SC1090
	. "$env"
}

# in_chroot DIR CMD...: run CMD inside the chroot DIR with /proc mounted (in a
# private mount namespace, so concurrent users never unmount each other's /proc).
in_chroot() {
	local dir=$1
	shift
	unshare -m --propagation private /bin/sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' \
		"$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# vm_accel: the accelerator for test guests. SWAPTAB_VM_ACCEL=tcg|kvm forces one;
# the default (auto) uses KVM only when a short probe boot really reaches userspace
# (on some hosts /dev/kvm exists but guests hang). The probe's verdict is cached per
# host boot in $SWAPTAB_CACHE/kvm-probe.
vm_accel() {
	local want=${SWAPTAB_VM_ACCEL:-auto}
	if [ "$want" != auto ]; then echo "$want"; return; fi
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || { echo tcg; return; }
	local boot cache=$SWAPTAB_CACHE/kvm-probe
	boot=$(cat /proc/sys/kernel/random/boot_id)
	(
		take_lock kvm-probe
		if [ "$(sed -n 1p "$cache" 2>/dev/null)" != "$boot" ]; then
			local kd con verdict=tcg
			kd=$(kernel_dir bookworm)
			con=$(mktemp)
			timeout 20 qemu-system-x86_64 -machine q35 -accel kvm -cpu host -smp 1 -m 256 \
				-display none -monitor none -no-reboot -nodefaults -serial "file:$con" \
				-kernel "$kd/vmlinuz" -initrd "$(rootfs_dir)/initramfs-bookworm.cpio.gz" \
				-append "console=ttyS0 panic=-1 rdinit=/bin/busybox" >/dev/null 2>&1 || true
			grep -q 'BusyBox v' "$con" && verdict=kvm
			rm -f "$con"
			printf '%s\n%s\n' "$boot" "$verdict" >"$cache"
			log "KVM probe: guests boot with ${verdict/tcg/TCG (KVM hangs or is missing)}"
		fi
	)
	sed -n 2p "$cache"
}
