#!/bin/bash
# Boot one matrix kernel in QEMU and run scenarios in that single boot.
#
#   tests/vm/run.sh <suite> <scenario>...
#
# <scenario>: a name in tests/vm/scenarios/ (smoke, or smoke.sh) or a path to a
# script inside the repo. The guest (TCG, no systemd) sees the repo read-only at
# /src and a fresh per-run output directory at /out; the rootfs is used with
# -snapshot and never changes. Afterwards the console is checked for oopses,
# BUGs, WARNs, hung tasks and call traces, and the taint flags for anything
# other than O/E. Prints PASS:/FAIL: lines prefixed with the suite, then
# "<suite>: N passed, N failed"; exits non-zero on any failure.
#
# Environment: SWAPTAB_VM_MEM (MiB, default 1024), SWAPTAB_VM_CPUS (2),
# SWAPTAB_VM_TIMEOUT (whole boot, seconds, default 1800), SWAPTAB_SCENARIO_TIMEOUT
# (per scenario, default 900), SWAPTAB_VM_ACCEL (auto: KVM only if a probe boot
# works, else TCG; or tcg/kvm),
# SWAPTAB_VM_VERBOSE=1 (stream the console), SWAPTAB_VM_APPEND (extra kernel args),
# SWAPTAB_QUICK=1 (passed to scenarios: keep long benchmarks short; tests/all sets it),
# SWAPTAB_VM_ICOUNT (QEMU -icount options, e.g. shift=0,sleep=off: the guest's clock
# counts the instructions it executed, on one host thread, so same-boot A/B probes
# repeat within ~1%, whatever else loads the host).
# SWAPTAB_VM_QEMU: whose qemu-system-x86_64 boots the guest: trixie (default:
# QEMU 10.0 from the trixie build chroot, installed there on first use) or
# host (Debian 12's QEMU 7.2).  Not 7.2 by default: its TCG corrupts RFLAGS at
# an unlocked cmpxchg16b (SLUB's per-CPU fast path) in some translation
# blocks, which double-faulted guests (issue 18's crash under whole-folio swap,
# and about one icount boot in fourteen before it); the guest checks its
# emulator first (tests/workload/cmpxchg16b-flags.c) and the run fails if
# it is broken.
# SWAPTAB_VM_PLUGIN: a TCG plugin and its arguments for QEMU's -plugin (the
# host's QEMU; see tests/vm/prof/run.sh).
# SWAPTAB_BENCH_* and SWAPTAB_SOAK_* variables are passed to the guest's scenarios.
# Output: build/vm/<suite>/<run>/ (console.log, <scenario>.log, <scenario>/, dmesg.txt),
# build/vm/<suite>/latest points at the newest run; SWAPTAB_VM_OUT=<dir> picks the
# output directory instead.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_root

[ $# -ge 2 ] || die "usage: $0 <suite> <scenario>..."
suite=$1
shift
check_suite "$suite"

MEM=${SWAPTAB_VM_MEM:-1024}
CPUS=${SWAPTAB_VM_CPUS:-2}
TIMEOUT=${SWAPTAB_VM_TIMEOUT:-1800}
SC_TIMEOUT=${SWAPTAB_SCENARIO_TIMEOUT:-900}
QEMU_FROM=${SWAPTAB_VM_QEMU:-trixie}
ACCEL=

# Scenarios as paths relative to the repo (what the guest finds under /src).
scenarios=()
for sc in "$@"; do
	case "$sc" in
	*/*) p=$(realpath -m "$sc") ;;
	*)   p=$SWAPTAB_REPO/tests/vm/scenarios/${sc%.sh}.sh ;;
	esac
	[ -f "$p" ] || die "no scenario script $p"
	case "$p" in "$SWAPTAB_REPO"/*) ;; *) die "scenario $p is outside the repo (the guest sees only the repo)" ;; esac
	scenarios+=("${p#"$SWAPTAB_REPO"/}")
done

"$(dirname "$0")/rootfs.sh"
kernel_env "$suite"
RD=$(rootfs_dir)
ACCEL=$(vm_accel)

base=$SWAPTAB_BUILD/vm/$suite
mkdir -p "$base"
if [ -n "${SWAPTAB_VM_OUT:-}" ]; then
	out=$SWAPTAB_VM_OUT
	rm -rf "$out"
	mkdir -p "$out"
else
	out=$(mktemp -d "$base/$(date -u +%Y%m%dT%H%M%S)-XXXX")
fi
chmod 755 "$out"
ln -sfn "$out" "$base/latest"
cat >"$out/run.env" <<ENV
SUITE=$suite
KVER=$KVER
SCENARIOS="${scenarios[*]}"
SCENARIO_TIMEOUT=$SC_TIMEOUT
SWAPTAB_QUICK=${SWAPTAB_QUICK:-0}
ENV
for v in $(compgen -v SWAPTAB_BENCH_) $(compgen -v SWAPTAB_SOAK_); do
	printf 'export %s=%q\n' "$v" "${!v}" >>"$out/run.env"
done

log "$suite: booting $KVER ($ACCEL${SWAPTAB_VM_ICOUNT:+ icount $SWAPTAB_VM_ICOUNT}, $QEMU_FROM QEMU, $CPUS CPUs, $MEM MiB), scenarios: ${scenarios[*]}; output in $out"
cpu=max
[ "$ACCEL" = kvm ] && cpu=host
# Under TCG a vCPU can go unscheduled, or crawl through a long clear_page
# loop, for tens of seconds when the host is busy; with no steal-time
# accounting the guest reports that as a soft lockup or an RCU stall (seen:
# zram's disksize vmalloc on trixie; most likely too the two bare call
# traces at one instant, with no BUG, WARN or taint, that failed trixie's
# swap workload once on the check machine).
# Both detectors watch for a CPU that does not get through the scheduler,
# so both get the same 120 s: watchdog_thresh=60 and an RCU stall timeout
# of 120 s.  A real hang still meets the detectors, the hung-task check
# and the scenario timeout.
# The clock is the TSC, trusted without a watchdog: QEMU's TCG TSC follows
# the host's clock on every vCPU.  The HPET (the kernel's choice once it
# distrusts the TSC) is an emulated device read under QEMU's global lock:
# it took 7-10% of a fio run's CPU and capped 4K random reads at ~57k IOPS
# against ~90k with the TSC, hiding the devices' own costs in the benchmark.
append="console=ttyS0 panic=-1 mitigations=off no_timer_check tsc=reliable clocksource=tsc"
append+=" watchdog_thresh=60 rcupdate.rcu_cpu_stall_timeout=120"
# Boot on one vCPU; guest-init.sh brings the others up.  With the TSC
# trusted, late boot switches the sched_clock-stable static key, and the
# 7.x kernels' text patching of it, done while the second vCPU idles, can
# leave that vCPU running a stale int3 under QEMU 7.2's multi-threaded TCG
# ("Oops: int3" in sched_clock_idle_wakeup_event, about 1 boot in 50 on
# sid).  Patched with one vCPU online, there is nobody to race.
append+=" maxcpus=1"
qemu=(qemu-system-x86_64 -machine q35 -accel "$ACCEL" -cpu "$cpu" -smp "$CPUS" -m "$MEM"
	-display none -monitor none -no-reboot -nodefaults
	-serial "file:$out/console.log"
	-kernel "$(kernel_dir "$suite")/vmlinuz" -initrd "$RD/initramfs-$suite.cpio.gz"
	-append "$append ${SWAPTAB_VM_APPEND:-}"
	-drive "file=$RD/rootfs.img,if=virtio,format=raw,snapshot=on"
	-virtfs "local,path=$SWAPTAB_REPO,mount_tag=src,security_model=none,readonly=on"
	-virtfs "local,path=$out,mount_tag=out,security_model=none"
	-device virtio-rng-pci)
[ "$ACCEL" = tcg ] && qemu[4]=tcg,thread=multi
# icount needs single-threaded TCG: the vCPUs take turns on one host thread.
if [ -n "${SWAPTAB_VM_ICOUNT:-}" ]; then
	[ "$ACCEL" = tcg ] || die "SWAPTAB_VM_ICOUNT needs TCG (SWAPTAB_VM_ACCEL=tcg)"
	qemu[4]=tcg,thread=single
	qemu+=(-icount "$SWAPTAB_VM_ICOUNT")
fi
[ -n "${SWAPTAB_VM_PLUGIN:-}" ] && qemu+=(-plugin "$SWAPTAB_VM_PLUGIN")
if [ "$QEMU_FROM" != host ]; then
	check_suite "$QEMU_FROM"
	mapfile -t qemu_cmd < <(chroot_qemu_cmd "$QEMU_FROM" "$SWAPTAB_REPO" \
		"$(kernel_dir "$suite")" "$RD" "$out")
	[ ${#qemu_cmd[@]} -gt 0 ] || die "no QEMU from $QEMU_FROM"
	qemu=("${qemu_cmd[@]}" "${qemu[@]:1}")
fi
start=$(date +%s)
if [ "${SWAPTAB_VM_VERBOSE:-0}" = 1 ]; then
	touch "$out/console.log"
	tail -F "$out/console.log" 2>/dev/null &
	tailpid=$!
fi
qrc=0
# --foreground keeps qemu in our process group, so killing this script's group
# (Ctrl-C, a killed tests/all) takes qemu down too; the trap covers plain kills.
timeout --foreground -k 10 "$TIMEOUT" "${qemu[@]}" >"$out/qemu.log" 2>&1 &
qpid=$!
trap 'kill $qpid 2>/dev/null; pkill -P $qpid 2>/dev/null' EXIT INT TERM
wait $qpid || qrc=$?
trap - EXIT INT TERM
[ -n "${tailpid:-}" ] && { sleep 1; kill "$tailpid" 2>/dev/null || true; }
log "$suite: guest ran $(( $(date +%s) - start )) s"

passed=0 failed=0
pass() { echo "PASS: $suite: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $suite: $*"; failed=$((failed + 1)); }

if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
	fail "boot: timed out after ${TIMEOUT}s (qemu killed)"
elif [ $qrc -ne 0 ]; then
	fail "boot: qemu exited $qrc: $(tail -n 3 "$out/qemu.log" | tr '\n' ' ')"
fi
[ -f "$out/done" ] || fail "boot: the guest did not finish its run (see $out/console.log)"

# The emulator: guest-init.sh ran cmpxchg16b-flags before any scenario.
if [ -f "$out/emulator.rc" ]; then
	if [ "$(cat "$out/emulator.rc")" = 0 ]; then
		pass "emulator: $(cat "$out/emulator.txt")"
	else
		fail "emulator: $QEMU_FROM QEMU corrupts the guest's RFLAGS, its kernel may double-fault: $(cat "$out/emulator.txt")"
	fi
fi

# Scenario results.
for sc in "${scenarios[@]}"; do
	name=$(basename "$sc" .sh)
	logf=$out/$name.log
	if [ ! -f "$out/$name.rc" ]; then
		fail "$name: did not complete"
		continue
	fi
	rc=$(cat "$out/$name.rc")
	np=$(grep -c '^PASS: ' "$logf" || true)
	nf=$(grep -c '^FAIL: ' "$logf" || true)
	while IFS= read -r line; do
		case "$line" in
		PASS:\ *) pass "$name: ${line#PASS: }" ;;
		FAIL:\ *) fail "$name: ${line#FAIL: }" ;;
		esac
	done <"$logf"
	if [ "$rc" -ne 0 ] && [ "$nf" -eq 0 ]; then
		case "$rc" in
		124|137) fail "$name: timed out after ${SC_TIMEOUT}s" ;;
		*) fail "$name: exited $rc without a FAIL line" ;;
		esac
	elif [ "$rc" -eq 0 ] && [ "$nf" -gt 0 ]; then
		fail "$name: reported failures but exited 0"
	elif [ "$np" -eq 0 ] && [ "$nf" -eq 0 ]; then
		fail "$name: reported no test cases"
	fi
done

# Kernel health: console and taint.
bad='Oops|BUG:|kernel BUG at|WARNING: CPU:|WARNING: at |cut here|general protection fault|hung task|blocked for more than|Call Trace'
# A bare "Call Trace:" says nothing of why (an RCU stall, an allocation
# failure, the OOM killer...): name each one by the line before the dump's
# "CPU: N ... PID" or "task:" line, which is the report's headline, and by
# that line itself (who was running).
trace_heads() {
	tr -d '\r' <"$1" | awk '
		BEGIN { head = "(no headline)" }
		{ line = $0; sub(/^\[ *[0-9.]+\] /, "", line) }
		line ~ /^(CPU: [0-9]+ .*PID|task:)/ { head = prev " / " substr(line, 1, 60) }
		line ~ /^Call Trace:/ { print "Call Trace after: " head; head = "(no headline)" }
		line !~ /^Modules linked in:/ { prev = line }' | head -n 4
}
if [ -f "$out/console.log" ] && grep -qE "$bad" "$out/console.log"; then
	fail "console: kernel reported problems: $({ grep -E "$bad" "$out/console.log" |
		grep -v 'Call Trace:' | head -n 5 | tr -d '\r'; trace_heads "$out/console.log"; } |
		tr '\n' '|')"
else
	pass "console: no oops, BUG, WARN, hung task or call trace"
fi
if [ -f "$out/tainted" ]; then
	t=$(cat "$out/tainted")
	# Allowed: O (4096, out-of-tree module) and E (8192, unsigned module).
	if [ $((t & ~(4096 | 8192))) -ne 0 ]; then
		fail "taint: tainted=$t has flags other than O/E"
	else
		pass "taint: tainted=$t (only O/E allowed)"
	fi
fi

times=
for sc in "${scenarios[@]}"; do
	name=$(basename "$sc" .sh)
	[ -f "$out/$name.seconds" ] && times="$times $name=$(cat "$out/$name.seconds")s"
done
[ -n "$times" ] && echo "$suite: scenario times:$times"
echo "passed=$passed failed=$failed" >"$out/result"
echo "$suite: $passed passed, $failed failed ($out)"
[ "$failed" -eq 0 ]
