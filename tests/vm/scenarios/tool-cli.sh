#!/bin/bash
# tool-cli: every swaptabctl command against the real module, with zram and the kernel's
# swap layer present: add/list/stats/set/reset/remove, --swapon, overhead, watch, monitor,
# the three output formats, the error cases (module not loaded, not root, bad size,
# unknown algorithm with the kernel's extack text, busy device), and the overhead figures
# checked against MemFree deltas (within 10%).
set -u
. "$SRC/tests/vm/scenario-lib.sh"
CTL=$SWAPTABCTL

# jq-less JSON checks: python3 EXPR over the parsed document `d`.
json_check() {
	local name=$1 expr=$2 file=$3
	if python3 -c "import json,sys; d=json.load(open('$file')); sys.exit(0 if ($expr) else 1)" 2>"$OUT/py.err"; then
		pass "$name"
	else
		fail "$name" "$expr is false for $file: $(head -c 300 "$file" | tr '\n' ' ') $(tail -n 1 "$OUT/py.err")"
	fi
}
json_get() { python3 -c "import json; d=json.load(open('$2')); print($1)"; }
# within10 CASE EXPECTED_BYTES MEASURED_KIB: the measurement is within 10% of the model.
within10() {
	local name=$1 expect=$2 kib=$3 msg
	msg=$(python3 -c "
e, m = int('$expect'), int('$kib') * 1024
r = m / e if e else float('inf')
print(f'model {e / 2**20:.2f} MiB, MemFree delta {m / 2**20:.2f} MiB, ratio {r:.3f}')
raise SystemExit(0 if 0.9 <= r <= 1.1 else 1)")
	local ok=$?
	echo "$name: $msg"
	if [ $ok -eq 0 ]; then pass "$name"; else fail "$name" "$msg"; fi
}
cleanup() {
	for s in $(awk 'NR > 1 && $1 ~ /swaptab|zram/ { print $1 }' /proc/swaps); do swapoff "$s"; done
	if module_loaded; then
		for d in /sys/block/swaptab*; do
			[ -e "$d" ] && $CTL remove "$(basename "$d")" >/dev/null 2>&1
		done
		unload_module
	fi
	[ -e /sys/block/zram0 ] && echo 1 >/sys/block/zram0/reset 2>/dev/null
	true
}
trap cleanup EXIT

[ -x "$CTL" ] || { fail present "no $CTL (build it on the host)"; finish; }
check version $CTL --version

# --- before the module is there ---
unload_module
run_rc not-loaded 3 "swaptab module not loaded, and the kernel could not load it" $CTL list
run_rc usage-no-command 2 "Usage" $CTL
run_rc usage-unknown-option 2 "Usage" $CTL list --bogus
run_rc usage-missing-size 2 "size is required" $CTL add
run_rc usage-bad-size 2 "invalid size '12Q'" $CTL add --size 12Q
run_rc usage-bad-layout 2 "Usage" $CTL add --size 1G --layout sparse
run_rc usage-remove-no-dev 2 "Usage" $CTL remove
run_rc usage-bad-dev 2 "invalid device" $CTL remove sda
run_rc overhead-without-module 0 "kernel swap layer" $CTL overhead -d

check load load_module
module_loaded || finish
modprobe zram num_devices=1 2>/dev/null
[ -e /sys/block/zram0 ] && pass zram-present || fail zram-present "no zram0"

# wait_line FILE REGEX SECONDS: until a line of FILE matches REGEX (at most SECONDS).
wait_line() {
	for _ in $(seq $(($3 * 10))); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
# wait_listening FILE: until a background monitor has joined the group (it says so).
wait_listening() { wait_line "$1" listening 30; }

# --- monitor in the background, collecting the events of what follows ---
$CTL monitor -J -c 2 -t 600 >"$OUT/events.json" 2>"$OUT/events.err" &
monpid=$!
wait_listening "$OUT/events.err" || fail monitor-listening "$(cat "$OUT/events.err")"

# --- add / list / stats / set / reset ---
export SWAPTABCTL_CAPTURE=$OUT/nl-add
dev=$($CTL add --size 1G --algorithm lz4 2>"$OUT/add.err")
rc=$?
unset SWAPTABCTL_CAPTURE
echo "add -> $rc: $dev $(cat "$OUT/add.err")"
if [ "$rc" -eq 0 ] && [ "$dev" = /dev/swaptab0 ]; then pass add; else fail add "rc $rc '$dev'"; fi
udevadm settle 2>/dev/null || sleep 1
[ -b /dev/swaptab0 ] && pass add-blockdev || fail add-blockdev "no /dev/swaptab0"

$CTL list | tee "$OUT/list.txt"
check list-header grep -q "^NAME *DISKSIZE *DATA *COMPR *ALGORITHM *TOTAL *MEM-LIMIT *META-STATIC *META-DYN *B/SLOT$" "$OUT/list.txt"
check list-row grep -q "^/dev/swaptab0 *1G .* lz4 " "$OUT/list.txt"
run_rc list-raw-bytes 0 "^/dev/swaptab0 1073741824 lz4 table$" $CTL list -n --raw -b -o NAME,DISKSIZE,ALGORITHM,LAYOUT
run_rc list-output-all 0 "CLUSTERS" $CTL list --output-all
run_rc list-bad-column 2 "unknown column" $CTL list -o NAME,FOO
SWAPTABCTL_CAPTURE=$OUT/nl-dump $CTL list -J >"$OUT/list.json"
json_check list-json "d['devices'][0]['name'] == '/dev/swaptab0' and d['devices'][0]['disksize'] == 1 << 30 and 'b/slot' in d['devices'][0]" "$OUT/list.json"
run_rc list-unprivileged 0 "/dev/swaptab0" $NOBODY $CTL list

# some data on the device so the counters move
dd if=/dev/zero of=/dev/swaptab0 bs=1M count=8 oflag=direct 2>/dev/null
python3 -c "import os
with open('/dev/swaptab0', 'r+b', buffering=0) as f:
    for i in range(2048):
        f.seek((2048 + i) * 4096); f.write((b'swaptab %d ' % i) * 300 + b'\0' * (4096 - 300 * len(b'swaptab %d ' % i)))" 2>/dev/null
SWAPTABCTL_CAPTURE=$OUT/nl-get $CTL stats swaptab0 | tee "$OUT/stats.txt"
check stats-human grep -q "^  stored_pages  *[1-9]" "$OUT/stats.txt"
$CTL stats -J >"$OUT/stats.json"
json_check stats-json-keys "set(d['devices'][0]['stats']) >= {'reads','writes','failed_reads','failed_writes','notify_free','missed_free','discards','stored_pages','same_pages','huge_pages','orig_bytes','compr_bytes','pool_bytes','pool_peak_bytes','meta_static_bytes','meta_dynamic_bytes','clusters_used','mem_limit_rejects','fixed_bytes'}" "$OUT/stats.json"
json_check stats-json-writes "d['devices'][0]['stats']['writes'] >= 4096 and d['devices'][0]['stats']['same_pages'] >= 2048" "$OUT/stats.json"
$CTL stats --format prometheus >"$OUT/stats.prom"
check stats-prom grep -q '^swaptab_writes_total{device="swaptab0"} [1-9]' "$OUT/stats.prom"
check stats-prom-type grep -q '^# TYPE swaptab_stored_pages gauge$' "$OUT/stats.prom"
run_rc list-prom 0 'swaptab_disksize_bytes{device="swaptab0"} 1073741824' $CTL list --format prometheus

run_rc set-mem-limit 0 "" $CTL set swaptab0 --mem-limit 64M
$CTL stats -J swaptab0 >"$OUT/stats-limit.json"
json_check set-mem-limit-applied "d['devices'][0]['mem_limit'] == 64 << 20" "$OUT/stats-limit.json"
run_rc set-nothing 2 "nothing to set" $CTL set swaptab0
run_rc set-algo-not-empty 6 "cannot configure swaptab0: algorithm and level can change only while" $CTL set swaptab0 --algorithm zstd
run_rc set-unprivileged 4 "CAP_SYS_ADMIN" $NOBODY $CTL set swaptab0 --mem-limit 1G
run_rc reset 0 "" $CTL reset swaptab0
$CTL stats -J swaptab0 >"$OUT/stats-reset.json"
json_check reset-empty "d['devices'][0]['stats']['stored_pages'] == 0" "$OUT/stats-reset.json"

# --- kernel rejections: extack text shown verbatim, never a bare errno ---
SWAPTABCTL_CAPTURE=$OUT/nl-err run_rc add-unknown-algorithm 1 "cannot add a device: .*available" $CTL add --size 1G --algorithm nope
run_rc add-unprivileged 4 "cannot add a device: changing swaptab devices needs CAP_SYS_ADMIN" $NOBODY $CTL add --size 1G
# a policy's bare "integer out of range" gets the bounds the kernel sent with it
run_rc add-too-large 1 "integer out of range (allowed: 4096 to 281474976710656)" $CTL add --size 300T
run_rc remove-unprivileged 4 "CAP_SYS_ADMIN" $NOBODY $CTL remove swaptab0
run_rc remove-nodev 5 "swaptab77" $CTL remove swaptab77
run_rc stats-nodev 5 "swaptab77" $CTL stats swaptab77
run_rc reset-nodev 5 "" $CTL reset swaptab77

# --- swapon, busy, overhead with all three kinds present ---
sdev=$($CTL add --size 512M --algorithm lz4 --swapon --priority 5)
rc=$?
echo "add --swapon -> $rc: $sdev"
udevadm settle 2>/dev/null
if [ "$rc" -eq 0 ] && awk -v d="$sdev" '$1 == d && $5 == 5 { f = 1 } END { exit !f }' /proc/swaps; then
	pass add-swapon
else
	fail add-swapon "rc $rc '$sdev': $(cat /proc/swaps | tr '\n' ' ')"
fi
sname=${sdev#/dev/}
run_rc remove-busy 6 "device is open" $CTL remove "$sname"
run_rc reset-busy 6 "" $CTL reset "$sname"
echo 256M >/sys/block/zram0/disksize 2>/dev/null && mkswap /dev/zram0 >/dev/null && swapon -p 1 /dev/zram0 &&
	pass zram-swapon || fail zram-swapon "cannot swapon zram0"
$CTL overhead -d | tee "$OUT/overhead.txt"
check overhead-swaptab grep -q "^swaptab0 *swaptab " "$OUT/overhead.txt"
check overhead-zram grep -q "^zram0 *zram " "$OUT/overhead.txt"
check overhead-swap-area grep -q "^$sdev *swap " "$OUT/overhead.txt"
check overhead-area-total grep -q "^= $sdev *total " "$OUT/overhead.txt"
check overhead-zram-total grep -q "^= /dev/zram0 *total " "$OUT/overhead.txt"
$CTL overhead -J >"$OUT/overhead.json"
json_check overhead-json "d['swap_layer'] is not None and d['zram']['table_entry_size'] in (16, 24) and any(r['kind'] == 'total' for r in d['rows'])" "$OUT/overhead.json"
case "$(json_get "d['swap_layer']['design']" "$OUT/overhead.json")" in
swap_map) json_check overhead-swap-layer-61 "2.7 < d['swap_layer']['static_bytes_per_slot'] < 3.3" "$OUT/overhead.json" ;;
swap_table) json_check overhead-swap-layer-table "0.05 < d['swap_layer']['static_bytes_per_slot'] < 0.15" "$OUT/overhead.json" ;;
*) fail overhead-design "unknown design" ;;
esac
run_rc overhead-prom 0 "swaptab_overhead_static_bytes{name=\"zram0\",kind=\"zram\"}" $CTL overhead --format prometheus

# watch without a tty prints frames and stops after --count (the limit only
# catches a hang: parsing BTF takes seconds on a loaded TCG host)
timeout 120 $CTL watch -i 0.5 -c 2 >"$OUT/watch.txt" 2>&1
rc=$?
[ "$rc" -eq 0 ] && [ "$(grep -c '^swaptabctl watch' "$OUT/watch.txt")" -eq 2 ] && grep -q "^$sname " "$OUT/watch.txt" &&
	pass watch || fail watch "rc $rc: $(head -n 5 "$OUT/watch.txt" | tr '\n' ' ')"
# Ctrl-C ends it cleanly. The signal is sent once the first frame is out:
# watch blocks SIGINT for its signalfd before that frame, and a signal sent
# earlier would be lost (a background job starts with SIGINT ignored).
$CTL watch -i 1 >"$OUT/watch-sigint.txt" 2>&1 &
wpid=$!
wait_line "$OUT/watch-sigint.txt" '^swaptabctl watch' 60
kill -INT $wpid
for _ in $(seq 300); do kill -0 $wpid 2>/dev/null || break; sleep 0.1; done
kill -0 $wpid 2>/dev/null && kill -KILL $wpid
wait $wpid
rc=$?
[ "$rc" -eq 0 ] && pass watch-sigint || fail watch-sigint "exit $rc after SIGINT"

# on a tty: q quits and the terminal is restored (alternate screen left, cursor shown)
if command -v script >/dev/null; then
	(sleep 3; printf q) | timeout 120 script -qfec "$CTL watch -i 0.5" /dev/null >"$OUT/watch-tty.txt" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && grep -q $'\e\[?25h\e\[?1049l' "$OUT/watch-tty.txt"; then
		pass watch-tty-q
	else
		fail watch-tty-q "exit $rc: $(tail -c 200 "$OUT/watch-tty.txt" | cat -v | tr '\n' ' ')"
	fi
fi

run_rc remove-swapoff 0 "" $CTL remove "$sname" --swapoff
awk -v d="$sdev" '$1 == d { f = 1 } END { exit f }' /proc/swaps && pass swapped-off || fail swapped-off "$sdev still in /proc/swaps"
swapoff /dev/zram0
echo 1 >/sys/block/zram0/reset

# the monitor saw the first add and the --swapon device's add
wait $monpid
rc=$?
cat "$OUT/events.json"
[ "$rc" -eq 0 ] && [ "$(grep -c '"event":"add"' "$OUT/events.json")" -eq 2 ] &&
	grep -q '"name":"swaptab0","disksize":1073741824' "$OUT/events.json" &&
	pass monitor || fail monitor "rc $rc: $(cat "$OUT/events.json" "$OUT/events.err" | tr '\n' ' ')"
$CTL monitor -c 1 -t 120 >"$OUT/events-del.txt" 2>"$OUT/events-del.err" &
monpid=$!
wait_listening "$OUT/events-del.err" || fail monitor-listening-del "$(cat "$OUT/events-del.err")"
run_rc remove 0 "" $CTL remove swaptab0
wait $monpid
check monitor-del grep -q "^del /dev/swaptab0$" "$OUT/events-del.txt"

# --- overhead figures against MemFree deltas ---
# Sizes make each modelled figure 50-100 MiB, so fixed per-device costs (pool, compressor
# contexts, gendisk: a few hundred KiB) stay far inside the 10%; each delta is the median of
# three trials because MemFree moves by a few MiB on its own in a TCG guest.

# median_delta SETUP UNDO: sets MEDIAN to the KiB that SETUP takes from MemFree (median of
# 3 trials); UNDO reverts it between trials, and SETUP stays in effect after the last. Runs
# in this shell (not a subshell) so SETUP's variables survive.
median_delta() {
	local setup=$1 undo=$2 i b a ds=()
	for i in 1 2 3; do
		b=$(($(free_bytes) / 1024))
		eval "$setup"
		a=$(($(free_bytes) / 1024))
		ds+=($((b - a)))
		[ "$i" -lt 3 ] && eval "$undo"
	done
	echo "trials (KiB): ${ds[*]}"
	MEDIAN=$(printf '%s\n' "${ds[@]}" | sort -n | sed -n 2p)
}
row_static() { json_get "[r['static_bytes'] for r in d['rows'] if r['name'] == '$1' and r['kind'] == '$2'][0]" "$3"; }

# zram's table: slots x sizeof(struct zram_table_entry) from BTF.
median_delta "echo 16G >/sys/block/zram0/disksize" "echo 1 >/sys/block/zram0/reset"
$CTL overhead -J >"$OUT/overhead-zram.json"
within10 memfree-zram-table "$(row_static zram0 zram "$OUT/overhead-zram.json")" "$MEDIAN"
echo 1 >/sys/block/zram0/reset

# a flat swaptab device: one zram-sized entry per slot at creation.
fdev=
median_delta 'fdev=$($CTL add --size 16G --layout flat)' '$CTL remove "$fdev"'
$CTL overhead -J >"$OUT/overhead-flat.json"
within10 memfree-swaptab-flat "$(row_static "${fdev#/dev/}" swaptab "$OUT/overhead-flat.json")" "$MEDIAN"
# ... as large as this kernel's struct zram_table_entry, read from zram's BTF
json_check flat-entry-is-zrams "abs([r['static_bytes_per_slot'] for r in d['rows'] if r['name'] == '${fdev#/dev/}' and r['kind'] == 'swaptab'][0] - d['zram']['table_entry_size']) < 0.5" "$OUT/overhead-flat.json"
check remove-flat $CTL remove "$fdev"

# the kernel's swap layer at swapon, on a swaptab device of the table layout (which costs
# almost nothing itself): 64G for the swap_map design, 4T for swap tables.
design=$(json_get "d['swap_layer']['design']" "$OUT/overhead-flat.json")
[ "$design" = swap_map ] && asize=64G || asize=4T
adev=$($CTL add --size $asize)
udevadm settle 2>/dev/null || sleep 1
mkswap "$adev" >/dev/null
median_delta 'swapon "$adev"' 'swapoff "$adev"'
$CTL overhead -J >"$OUT/overhead-area.json"
within10 memfree-swap-layer-$design "$(row_static "$adev" swap "$OUT/overhead-area.json")" "$MEDIAN"
swapoff "$adev"
check remove-area $CTL remove "$adev"

run_rc list-empty 0 "" $CTL list
trap - EXIT
cleanup
module_loaded && fail rmmod "swaptab still loaded" || pass rmmod
finish
