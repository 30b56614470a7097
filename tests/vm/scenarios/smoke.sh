#!/bin/bash
# smoke: swaptab.ko loads (after its dependencies), is listed, and unloads.
set -u
. "$SRC/tests/vm/scenario-lib.sh"

if [ ! -f "$SWAPTAB_KO" ]; then
	fail present "no module at $SWAPTAB_KO (run tests/vm/build-module.sh $SUITE)"
	finish
fi
pass present
vermagic=$(modinfo -F vermagic "$SWAPTAB_KO")
if [ "${vermagic%% *}" = "$KVER" ]; then
	pass vermagic
else
	fail vermagic "module built for '${vermagic%% *}', kernel is $KVER"
fi
check dependencies module_deps
check insmod insmod "$SWAPTAB_KO"
if module_loaded; then pass listed; else fail listed "swaptab not in /proc/modules"; fi
check rmmod rmmod swaptab
if module_loaded; then fail unlisted "swaptab still in /proc/modules"; else pass unlisted; fi
finish
