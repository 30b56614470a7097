#!/bin/bash
# Build the guest root filesystem and one initramfs per matrix kernel, in the cache.
#
#   tests/vm/rootfs.sh
#
# Output in $SWAPTAB_CACHE/rootfs/:
#   rootfs.img                ext4 (mke2fs -d, no loop mounts): a bookworm minbase with
#                             fio, python3, util-linux, procps, kmod, perf, swaptabctl's
#                             runtime libraries, and /lib/modules/<V> of every matrix kernel
#   initramfs-<suite>.cpio.gz busybox + the few modules needed to reach the root disk and
#                             the 9p shares (decompressed, loaded in dependency order)
# Rebuilt when missing or stale: when this script, the package list or a kernel changes.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_root

# Runtime of the guest: the scenarios' tools, swaptabctl's shared libraries,
# and perf for the benchmark's driver profile (bookworm's perf reads the
# newer kernels' samples as well).
ROOTFS_PKGS=(fio python3 util-linux procps kmod libmnl0 libbpf1 libstdc++6 busybox-static
	e2fsprogs coreutils findutils grep gawk sed linux-perf)
# Modules the initramfs loads (missing or built-in ones are skipped).
INITRAMFS_MODULES=(virtio_pci virtio_blk crc32c_generic crc32c ext4 9pnet_virtio 9p)

RD=$(rootfs_dir)
TREE=$RD/tree

# build_base: debootstrap the bookworm tree once per package list.
build_base() {
	local want="${ROOTFS_PKGS[*]}"
	if [ -f "$TREE/.swaptab-base" ] && [ "$(cat "$TREE/.swaptab-base")" = "$want" ]; then
		return 0
	fi
	log "rootfs: debootstrap bookworm (${ROOTFS_PKGS[*]})"
	rm -rf "$TREE" "$TREE.new"
	mkdir -p "$RD"
	local inc
	inc=$(IFS=,; echo "${ROOTFS_PKGS[*]}")
	debootstrap --variant=minbase --include="$inc" bookworm "$TREE.new" "$SWAPTAB_MIRROR" \
		>"$RD/debootstrap.log" 2>&1 || die "debootstrap of the rootfs failed: see $RD/debootstrap.log"
	rm -rf "$TREE.new"/var/cache/apt/archives/*.deb "$TREE.new"/var/lib/apt/lists/*_Packages
	mkdir -p "$TREE.new/src" "$TREE.new/out"
	echo swaptab-guest >"$TREE.new/etc/hostname"
	echo "$want" >"$TREE.new/.swaptab-base"
	mv "$TREE.new" "$TREE"
}

# install_modules: the tree holds exactly the matrix kernels' module trees.
install_modules() {
	rm -rf "$TREE"/lib/modules/*
	mkdir -p "$TREE/lib/modules"
	local s
	for s in "${SWAPTAB_SUITES[@]}"; do
		(
			kernel_env "$s"
			cp -a "$(kernel_dir "$s")/lib/modules/$KVER" "$TREE/lib/modules/"
			depmod -b "$TREE" "$KVER"
		)
	done
}

# build_image OUT: ext4 image of the tree, sized to fit with room to spare.
build_image() {
	local out=$1 mb
	mb=$(du -sm "$TREE" | cut -f1)
	mb=$((mb + mb / 4 + 512))
	rm -f "$out"
	truncate -s "${mb}M" "$out"
	mke2fs -q -t ext4 -L swaptab-root -d "$TREE" -F "$out" >/dev/null
}

# build_initramfs SUITE OUT
build_initramfs() {
	local suite=$1 out=$2 work
	kernel_env "$suite"
	work=$(mktemp -d)
	mkdir -p "$work"/{bin,dev,proc,sys,newroot,m}
	cp "$TREE/bin/busybox" "$work/bin/busybox"
	local m line path n=10 seen=" "
	for m in "${INITRAMFS_MODULES[@]}"; do
		{ modprobe -d "$TREE" -S "$KVER" --show-depends "$m" 2>/dev/null || true; } | while read -r line; do
			case "$line" in insmod\ *) echo "${line#insmod }" ;; esac
		done
	done | while read -r path; do
		path=${path%% *}
		path=${path#"$TREE"}
		case "$seen" in *" $path "*) continue ;; esac
		seen="$seen$path "
		local base
		base=$(basename "$path")
		base=${base%.xz}; base=${base%.zst}; base=${base%.gz}
		case "$path" in
		*.xz)  xz -dc "$TREE$path" ;;
		*.zst) zstd -qdc "$TREE$path" ;;
		*.gz)  gzip -dc "$TREE$path" ;;
		*)     cat "$TREE$path" ;;
		esac >"$work/m/$n-$base"
		n=$((n + 1))
	done
	cp "$(dirname "$0")/initramfs-init" "$work/init"
	chmod +x "$work/init"
	(cd "$work" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
	log "rootfs: initramfs for $suite ($KVER): $(cd "$work/m" && echo *)"
	rm -rf "$work"
}

take_lock rootfs
"$(dirname "$0")/kernels.sh" all
kvers=$(for s in "${SWAPTAB_SUITES[@]}"; do (kernel_env "$s"; echo "$s=$KVER"); done)
want="$(hash_files "$0" "$(dirname "$0")/initramfs-init") ${ROOTFS_PKGS[*]} $(echo $kvers)"
if [ -f "$RD/stamp" ] && [ "$(cat "$RD/stamp")" = "$want" ] && [ -f "$RD/rootfs.img" ]; then
	log "rootfs: up to date ($RD)"
	exit 0
fi
rm -f "$RD/stamp"
build_base
install_modules
log "rootfs: making rootfs.img"
build_image "$RD/rootfs.img.new"
mv "$RD/rootfs.img.new" "$RD/rootfs.img"
for s in "${SWAPTAB_SUITES[@]}"; do
	build_initramfs "$s" "$RD/initramfs-$s.cpio.gz.new"
	mv "$RD/initramfs-$s.cpio.gz.new" "$RD/initramfs-$s.cpio.gz"
done
echo "$want" >"$RD/stamp"
log "rootfs: ready in $RD"
