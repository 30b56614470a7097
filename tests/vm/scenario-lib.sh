# shellcheck shell=bash
# Helpers for guest scenarios (tests/vm/scenarios/*.sh). Source it:
#   . "$SRC/tests/vm/scenario-lib.sh"
# then report each case with pass/fail and end with `finish`.

SCENARIO_FAILED=0

pass() { echo "PASS: $1"; }
# fail CASE WHY
fail() { echo "FAIL: $1: $2"; SCENARIO_FAILED=1; }
# check CASE CMD...: PASS when CMD succeeds, else FAIL with its output.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		pass "$name"
	else
		fail "$name" "'$*' failed: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
	fi
}
# finish: exit with the scenario's status.
finish() { exit "$SCENARIO_FAILED"; }

# module_deps: load what swaptab.ko depends on (e.g. zsmalloc on 6.1).
module_deps() {
	local d deps
	deps=$(modinfo -F depends "$SWAPTAB_KO") || return 1
	for d in ${deps//,/ }; do
		modprobe "$d" || return 1
	done
}
# load_module [PARAM=VALUE...]: dependencies, then insmod swaptab.ko.
load_module() { module_deps && insmod "$SWAPTAB_KO" "$@"; }
module_loaded() { grep -q '^swaptab ' /proc/modules; }
unload_module() { ! module_loaded || rmmod swaptab; }
