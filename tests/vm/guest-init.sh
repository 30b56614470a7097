#!/bin/bash
# PID 1 of a test guest (the initramfs mounted / , /src and /out and switched here;
# no systemd). Runs the scenarios listed in /out/run.env one after the other, records
# each one's output and exit status in /out, then the taint flags and dmesg, and
# powers off. See tests/vm/README.md for the scenario contract.
set -u
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 TERM=dumb

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
hostname swaptab-guest
ln -sf /proc/self/fd /dev/fd 2>/dev/null

# The kernel booted with maxcpus=1 (see run.sh): bring the other vCPUs up now.
for cpu in /sys/devices/system/cpu/cpu[0-9]*; do
	[ -w "$cpu/online" ] && [ "$(cat "$cpu/online")" = 0 ] && echo 1 >"$cpu/online"
done

# Does the emulator keep RFLAGS across cmpxchg16b (run.sh reports it)?
cx16=/src/build/host/tests/workload/cmpxchg16b-flags
if [ -x "$cx16" ]; then
	"$cx16" >/out/emulator.txt 2>&1
	echo $? >/out/emulator.rc
	cat /out/emulator.txt
fi

# shellcheck disable=SC1091
. /out/run.env
echo "guest: suite $SUITE, kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo)"

for sc in $SCENARIOS; do
	name=$(basename "$sc" .sh)
	mkdir -p "/out/$name"
	echo "=== scenario $name: start"
	t0=$(date +%s)
	(
		cd /tmp || exit 1
		export SUITE KVER SWAPTAB_QUICK SRC=/src OUT="/out/$name"
		export SWAPTAB_KO="/src/build/kmod/$SUITE/swaptab.ko"
		export SWAPTABCTL=/src/build/host/tool/swaptabctl
		exec timeout -k 10 "$SCENARIO_TIMEOUT" bash "/src/$sc"
	) </dev/null 2>&1 | tee "/out/$name.log"
	rc=${PIPESTATUS[0]}
	echo "$rc" >"/out/$name.rc"
	echo "$(( $(date +%s) - t0 ))" >"/out/$name.seconds"
	echo "=== scenario $name: exit $rc ($(cat "/out/$name.seconds") s)"
done

cat /proc/sys/kernel/tainted >/out/tainted
dmesg >/out/dmesg.txt
echo "done" >/out/done
sync
echo "guest: powering off"
busybox poweroff -f
