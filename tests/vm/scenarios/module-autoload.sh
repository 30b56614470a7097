#!/bin/bash
# module-autoload: resolving the "swaptab" generic netlink family loads an installed
# module, as on a machine after `dkms install` (or `make modules_install`): swaptab.ko is
# installed in /lib/modules/$KVER/updates/dkms (dkms.conf's DEST_MODULE_LOCATION), `depmod
# -a` indexes its MODULE_ALIAS_GENL_FAMILY alias, and the real tool, with nothing loaded by
# hand, makes the kernel's nlctrl call request_module("net-pf-16-proto-16-family-swaptab"),
# whose modprobe loads the module's dependencies (zsmalloc, the compressors) and then the
# module: `swaptabctl list` and `swaptabctl add` each succeed from an unloaded module. Then
# the user's failure path: uninstalled (file removed, depmod -a), `swaptabctl list` still
# makes the kernel try, and says in a sentence that the module is not loaded (exit 3).
#
# Where it installs: the guest's root is ext4 on /dev/vda, mounted read-write by
# initramfs-init; run.sh attaches the image with snapshot=on, so every write lands in
# QEMU's temporary overlay and is gone at power-off, and the cached rootfs.img never
# changes. /lib/modules/$KVER is therefore writable and the module goes exactly where a
# user's would. Later scenarios of the same boot do see what is written (tool-cli expects
# `list` to find no module, and would autoload an installed one), so the EXIT trap removes
# the file, runs depmod -a again and puts back the original index files byte for byte.
# Should the tree ever be read-only (another rootfs, SWAPTAB_AUTOLOAD_OVERLAY=1 to try it),
# an overlay with a tmpfs upper layer is mounted on /lib/modules/$KVER for the scenario
# and unmounted by the trap: the same paths for depmod and for the kernel's modprobe (same
# mount namespace), nothing written below it.
#
# Proof that the kernel loaded it: a tracing instance records module:module_request (the
# alias asked for, in swaptabctl's context) and module:module_load (each module loaded);
# the dependencies are unloaded first when nothing else uses them, so their module_load
# events and /sys/module/<dep>/holders/swaptab show that modprobe pulled them in.
set -u
. "$SRC/tests/vm/scenario-lib.sh"
CTL=$SWAPTABCTL
ALIAS=net-pf-16-proto-16-family-swaptab
MODDIR=/lib/modules/$KVER
DEST=updates/dkms
TR=/sys/kernel/tracing/instances/swaptab-autoload
WORK=$(mktemp -d /tmp/swaptab-autoload.XXXXXX)
INSTALLED=0 OVERLAY=0 OVERLAY_MOD=0 TRACING=0 ENTRIES=
CREATED_DIRS=()

trace_clear() { [ "$TRACING" = 1 ] && : >"$TR/trace"; }
trace_save() {
	if [ "$TRACING" = 1 ]; then grep -v '^#' "$TR/trace" >"$OUT/$1.trace"; else : >"$OUT/$1.trace"; fi
	sed 's/^/  trace| /' "$OUT/$1.trace"
}
# requested FILE: the trace shows swaptabctl's family lookup asking for the alias.
requested() { grep -E "swaptabctl-[0-9]+ .*module_request: $ALIAS " "$1"; }
loaded_event() { grep -qE "module_load: $2( |$)" "$1"; }
# resolvable: modprobe finds an installed swaptab through the family alias.
resolvable() { [ "$(modprobe -R "$ALIAS" 2>/dev/null)" = swaptab ]; }
index_sums() { (cd "$MODDIR" && sha256sum modules.*); }
# unload_deps: the dependencies nothing else holds (twice: one may hold another).
unload_deps() {
	local d
	for _ in 1 2; do
		for d in ${DEPS//,/ }; do
			grep -q "^$d " /proc/modules && modprobe -r -q "$d"
		done
	done
	true
}

install_module() {
	local d=$MODDIR
	for part in ${DEST//\// }; do
		d=$d/$part
		[ -d "$d" ] || { mkdir "$d" && CREATED_DIRS=("$d" "${CREATED_DIRS[@]}"); } || return 1
	done
	INSTALLED=1
	install -m 0644 "$SWAPTAB_KO" "$MODDIR/$DEST/swaptab.ko" && depmod -a
}
uninstall_module() {
	local d
	rm -f "$MODDIR/$DEST/swaptab.ko"
	for d in "${CREATED_DIRS[@]}"; do rmdir "$d" 2>/dev/null; done
	CREATED_DIRS=()
	INSTALLED=0
	depmod -a
}

cleanup() {
	local d
	if module_loaded; then
		for d in /sys/block/swaptab*; do
			[ -e "$d" ] && $CTL remove "${d##*/}" >/dev/null 2>&1
		done
		rmmod swaptab
	fi
	[ "$INSTALLED" = 1 ] && uninstall_module
	# depmod -a rebuilt the index as it was; if not byte for byte, put the original back.
	if [ -f "$WORK/index.sums" ] && ! (cd "$MODDIR" && sha256sum -c --quiet "$WORK/index.sums" >/dev/null 2>&1); then
		echo "note: depmod -a rebuilt $MODDIR/modules.* differently; restoring the originals"
		cp -p "$WORK"/index/modules.* "$MODDIR/"
	fi
	if [ "$OVERLAY" = 1 ] && umount "$MODDIR"; then
		OVERLAY=0
		[ "$OVERLAY_MOD" = 1 ] && modprobe -r -q overlay
	fi
	# The dependencies modprobe pulled in, where nothing else holds them.
	unload_deps
	if [ "$TRACING" = 1 ]; then
		echo 0 >"$TR/events/module/enable" 2>/dev/null
		rmdir "$TR" && TRACING=0
	fi
	rm -rf "$WORK"
	true
}
DEPS=
trap cleanup EXIT
trap 'exit 143' TERM INT

[ -x "$CTL" ] || { fail present "no $CTL (build it on the host)"; finish; }
[ -f "$SWAPTAB_KO" ] || { fail present "no $SWAPTAB_KO (run tests/vm/build-module.sh $SUITE)"; finish; }
pass present
check alias-in-module grep -qx "$ALIAS" <(modinfo -F alias "$SWAPTAB_KO")
DEPS=$(modinfo -F depends "$SWAPTAB_KO")
echo "dependencies: ${DEPS:-none}"

# --- a clean start: nothing loaded, nothing installed ---
unload_module
if module_loaded; then fail unloaded-before "swaptab cannot be unloaded"; finish; fi
if resolvable || modprobe -n -q swaptab 2>/dev/null; then
	fail not-installed-before "swaptab is already installed: $(modinfo -n swaptab 2>&1)"
	finish
fi
pass not-installed-before
absent=()
unload_deps
for d in ${DEPS//,/ }; do
	if grep -q "^$d " /proc/modules; then
		echo "note: dependency $d stays loaded (used by: $(ls /sys/module/"$d"/holders 2>/dev/null | tr '\n' ' '))"
	else
		absent+=("$d")
	fi
done
echo "dependencies not loaded before: ${absent[*]:-none}"

if mkdir "$TR" 2>/dev/null; then
	TRACING=1
	if echo 1 >"$TR/events/module/module_request/enable" && echo 1 >"$TR/events/module/module_load/enable"; then
		pass trace-events
	else
		fail trace-events "no module:module_request/module_load events"
	fi
else
	fail trace-events "cannot create tracing instance $TR"
fi

# --- install as DKMS would ---
if [ ! -w "$MODDIR" ] || [ "${SWAPTAB_AUTOLOAD_OVERLAY:-0}" = 1 ]; then
	echo "$MODDIR is not writable (or the overlay is asked for): tmpfs overlay on it"
	mkdir -p "$WORK/upper" "$WORK/ovlwork"
	grep -q "^overlay " /proc/modules || OVERLAY_MOD=1
	if mount -t overlay overlay -o "lowerdir=$MODDIR,upperdir=$WORK/upper,workdir=$WORK/ovlwork" "$MODDIR"; then
		OVERLAY=1
		pass overlay
	else
		fail overlay "cannot mount an overlay on $MODDIR"
		finish
	fi
fi
ENTRIES=$(ls -A "$MODDIR")
mkdir -p "$WORK/index"
cp -p "$MODDIR"/modules.* "$WORK/index/"
index_sums >"$WORK/index.sums"
# (not through `check`: that runs its command in a subshell, and the trap needs the state)
if install_module; then pass install; else fail install "installing into $MODDIR/$DEST or depmod -a failed"; fi
check depmod-indexed test "$(modinfo -n swaptab 2>&1)" = "$MODDIR/$DEST/swaptab.ko"
check alias-resolves resolvable
modprobe --show-depends swaptab | sed 's/^/  deps| /'

# --- autoload through the real tool: list ---
trace_clear
run_rc autoload-list 0 "" "$CTL" list
trace_save autoload-list
# (no devices yet: list prints nothing, and certainly no "swaptabctl: ..." error)
if echo "$RUN_OUT" | grep -q '^swaptabctl:'; then
	fail autoload-list-no-error "$RUN_OUT"
else
	pass autoload-list-no-error
fi
if module_loaded && [ "$(cat /sys/module/swaptab/initstate 2>/dev/null)" = live ]; then
	pass autoload-list-loaded
else
	fail autoload-list-loaded "swaptab not loaded after 'swaptabctl list'"
fi
if requested "$OUT/autoload-list.trace" >/dev/null; then
	pass autoload-list-requested
else
	fail autoload-list-requested "no module_request for $ALIAS from swaptabctl in the trace"
fi
if loaded_event "$OUT/autoload-list.trace" swaptab; then
	pass autoload-list-load-event
else
	fail autoload-list-load-event "no module_load of swaptab in the trace"
fi

# --- the dependencies came with it ---
missing=
for d in ${DEPS//,/ }; do
	[ -e "/sys/module/$d/holders/swaptab" ] || missing="$missing $d(not a holder)"
done
for d in "${absent[@]}"; do
	loaded_event "$OUT/autoload-list.trace" "$d" || missing="$missing $d(no load event)"
done
if [ -z "$missing" ]; then
	pass "autoload-dependencies${DEPS:+: ${DEPS//,/ }}"
else
	fail autoload-dependencies "$missing"
fi

# --- autoload through add, then the device works ---
check rmmod-after-list rmmod swaptab
trace_clear
run_rc autoload-add 0 "" "$CTL" add --size 64M --algorithm lz4
trace_save autoload-add
dev=$(echo "$RUN_OUT" | tail -n 1)
if module_loaded && requested "$OUT/autoload-add.trace" >/dev/null; then
	pass autoload-add-loaded
else
	fail autoload-add-loaded "module loaded: $(module_loaded && echo yes || echo no); trace: $(tr '\n' ' ' <"$OUT/autoload-add.trace")"
fi
case "$dev" in
/dev/swaptab*)
	check autoload-add-device test -b "$dev"
	run_rc autoload-add-list 0 "" "$CTL" list -n -o NAME,DISKSIZE,ALGORITHM
	check autoload-add-listed grep -q "^$dev *64M *lz4" <(echo "$RUN_OUT")
	run_rc autoload-add-remove 0 "" "$CTL" remove "${dev#/dev/}"
	;;
*) fail autoload-add-device "add printed '$dev', not a device" ;;
esac
check rmmod-after-add rmmod swaptab

# --- not installed: the kernel tries, the tool says what is wrong ---
if uninstall_module; then pass uninstall; else fail uninstall "depmod -a failed"; fi
if resolvable || modprobe -n -q swaptab 2>/dev/null; then
	fail uninstalled "modprobe still finds swaptab: $(modinfo -n swaptab 2>&1)"
else
	pass uninstalled
fi
trace_clear
run_rc not-installed-exit 3 "" "$CTL" list
trace_save not-installed
echo "not-installed message: $RUN_OUT"
if requested "$OUT/not-installed.trace" >/dev/null; then
	pass not-installed-requested
else
	fail not-installed-requested "no module_request for $ALIAS in the trace"
fi
if module_loaded; then fail not-installed-unloaded "swaptab got loaded"; else pass not-installed-unloaded; fi
# One line on stderr, "swaptabctl: ...", a sentence naming the module, not a bare errno text.
if [ "$(echo "$RUN_OUT" | wc -l)" -eq 1 ] && echo "$RUN_OUT" | grep -qE '^swaptabctl: swaptab module (is )?not (loaded|installed)' &&
	! echo "$RUN_OUT" | grep -qiE 'No such file or directory|ENOENT|errno|error -?[0-9]'; then
	pass not-installed-message
else
	fail not-installed-message "unclear: '$RUN_OUT'"
fi

# --- leave the guest as it was ---
trap - EXIT
cleanup
if module_loaded; then fail clean-unloaded "swaptab still loaded"; else pass clean-unloaded; fi
if [ -e "$MODDIR/$DEST/swaptab.ko" ] || resolvable; then
	fail clean-uninstalled "swaptab still installed"
elif [ "$(ls -A "$MODDIR")" != "$ENTRIES" ]; then
	fail clean-uninstalled "$MODDIR holds $(ls -A "$MODDIR" | tr '\n' ' '), had $(echo "$ENTRIES" | tr '\n' ' ')"
else
	pass clean-uninstalled
fi
still=
for d in ${DEPS//,/ }; do
	[ -e "/sys/module/$d/holders/swaptab" ] && still="$still $d"
done
if [ -z "$still" ]; then pass clean-dependencies; else fail clean-dependencies "still held:$still"; fi
if [ -d "$TR" ]; then fail clean-tracing "$TR left"; else pass clean-tracing; fi
finish
