#!/bin/bash
# Install everything the project needs on a Debian 12 host (idempotent; a no-op in
# well under a second when all is installed). Kernels of other suites are never
# installed on the host: tests/vm/kernels.sh keeps them in /var/cache/swaptab.
#
#   tests/setup-host.sh
set -euo pipefail
. "$(dirname "$0")/vm/lib.sh"
need_root

PKGS=(
	# host build of swaptabctl, unit tests and benchmarks
	build-essential cmake pkg-config git libcli11-dev libmnl-dev libbpf-dev
	libgtest-dev libgmock-dev libbenchmark-dev python3-yaml
	# kernel module against bookworm's 6.1, dkms, lint
	linux-headers-amd64 linux-source-6.1 kmod bc flex bison libelf-dev dwarves
	sparse dkms clang-format clang-tidy perl shellcheck
	# kernel matrix, rootfs and VMs
	qemu-system-x86 qemu-utils debootstrap e2fsprogs xz-utils zstd cpio util-linux
)

missing=()
for p in "${PKGS[@]}"; do
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	log "setup-host: all ${#PKGS[@]} packages installed"
	exit 0
fi
log "setup-host: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Third-party sources may be unreachable: a failed update of those is not fatal,
# the install below is.
apt-get "${APT_OPTS[@]}" update || log "setup-host: apt-get update reported errors (continuing)"
apt-get "${APT_OPTS[@]}" install "${missing[@]}"
log "setup-host: done"
