#!/bin/bash
# Static checks; prints each tool's findings and exits non-zero on any.
#
#   tests/lint.sh [checkpatch|sparse|format|tidy|shell]...   (default: all five)
#
#   checkpatch  scripts/checkpatch.pl --strict --no-tree -f on module/*.c module/*.h
#               (extracted from /usr/src/linux-source-6.1.tar.xz when missing)
#   sparse      make C=1 W=1 against the bookworm (6.1) headers, in build/lint/sparse
#   format      clang-format --dry-run -Werror on tool/**/*.cpp *.h
#   tidy        clang-tidy -p build/host on tool/**/*.cpp (configures build/host if needed;
#               skipped when tool/, include/ and the flags are unchanged since a clean run)
#   shell       shellcheck -S warning on every shell script of the tree (*.sh, or a #!
#               line naming a shell; build/ left out)
set -euo pipefail
. "$(dirname "$0")/vm/lib.sh"

CHECKPATCH_DIR=$SWAPTAB_CACHE/linux-source-6.1/scripts
LINUX_SOURCE_TAR=/usr/src/linux-source-6.1.tar.xz
cd "$SWAPTAB_REPO"

lint_checkpatch() {
	if [ ! -f "$CHECKPATCH_DIR/checkpatch.pl" ]; then
		[ -f "$LINUX_SOURCE_TAR" ] || die "no $LINUX_SOURCE_TAR (apt-get install linux-source-6.1)"
		log "extracting checkpatch.pl from $LINUX_SOURCE_TAR"
		mkdir -p "$SWAPTAB_CACHE"
		tar -xJf "$LINUX_SOURCE_TAR" -C "$SWAPTAB_CACHE" linux-source-6.1/scripts/checkpatch.pl \
			linux-source-6.1/scripts/spelling.txt linux-source-6.1/scripts/const_structs.checkpatch
	fi
	local files=(module/*.c module/*.h module/probes/*.c) rc=0
	[ -e "${files[0]}" ] || { echo "no module sources"; return 0; }
	# Two message types are not for an out-of-tree module checked with --no-tree:
	# LINUX_VERSION_CODE (it must build on several kernels; compat.h is the one
	# place that compares versions) and CAMELCASE (without a tree, checkpatch
	# cannot tell the kernel's own names, e.g. zstd's cParams, from ours).
	perl "$CHECKPATCH_DIR/checkpatch.pl" --strict --no-tree --no-summary --color=never \
		--ignore FILE_PATH_CHANGES,LINUX_VERSION_CODE,CAMELCASE -f "${files[@]}" || rc=1
	return $rc
}

lint_sparse() {
	local kdir
	kdir=/lib/modules/$(dpkg-query -W -f='${Depends}' linux-headers-amd64 |
		sed -n 's/.*linux-headers-\([0-9][^ ,]*-amd64\).*/\1/p')/build
	local dir=$SWAPTAB_BUILD/lint/sparse log
	rm -rf "$dir"
	mkdir -p "$dir"
	cp -a Kbuild VERSION module include "$dir/"
	log=$dir/sparse.log
	if ! make -C "$kdir" M="$dir" C=1 W=1 -j2 modules >"$log" 2>&1; then
		cat "$log"
		return 1
	fi
	# sparse reports as "file:line:col: warning|error: ..."; the compiler's warnings count too.
	if grep -E ': (warning|error):' "$log"; then
		return 1
	fi
}

tool_files() { find tool -type f \( -name '*.cpp' -o -name '*.h' -o -name '*.hpp' \) | sort; }

lint_format() {
	local files
	mapfile -t files < <(tool_files)
	[ ${#files[@]} -gt 0 ] || return 0
	clang-format --dry-run -Werror "${files[@]}"
}

lint_tidy() {
	local files
	mapfile -t files < <(find tool -type f -name '*.cpp' | sort)
	[ ${#files[@]} -gt 0 ] || return 0
	if [ ! -f "$SWAPTAB_BUILD/host/compile_commands.json" ]; then
		cmake -S . -B "$SWAPTAB_BUILD/host" -G "Unix Makefiles" >/dev/null
	fi
	local out=$SWAPTAB_BUILD/lint/tidy.log ok=$SWAPTAB_BUILD/lint/tidy.clean key
	mkdir -p "$(dirname "$out")"
	# clang-tidy is slow: skip it when nothing it reads changed since its last clean run.
	key=$( (find tool include -type f | sort | xargs cat; cat .clang-tidy \
		"$SWAPTAB_BUILD/host/compile_commands.json"; clang-tidy --version) | sha256sum)
	if [ "$(cat "$ok" 2>/dev/null)" = "$key" ]; then
		echo "tidy: sources unchanged since the last clean run"
		return 0
	fi
	rm -f "$ok"
	# Two at a time (the machine is shared); every finding is an error.
	printf '%s\n' "${files[@]}" | xargs -P2 -n4 clang-tidy -p "$SWAPTAB_BUILD/host" --quiet \
		--warnings-as-errors='*' >"$out" 2>&1 || { grep -v '^[0-9]* warnings* generated' "$out"; return 1; }
	echo "$key" >"$ok"
}

# The tests, the VM harness and CI are shell: a quoting slip there can make a
# test pass without checking anything.
lint_shell() {
	local f files=()
	while IFS= read -r f; do
		case "$f" in
		*.sh) files+=("$f") ;;
		*) head -n1 "$f" | grep -qE '^#!.*[/ ](ba|da)?sh( |$)' && files+=("$f") ;;
		esac
	done < <(find . \( -path ./build -o -path ./.git -o -path ./.cache \) -prune -o -type f -print | sort)
	shellcheck -S warning -f gcc "${files[@]}"
}

checks=("$@")
[ ${#checks[@]} -gt 0 ] || checks=(checkpatch sparse format tidy shell)
summary=()
failed=0
mkdir -p "$SWAPTAB_BUILD/lint"
for c in "${checks[@]}"; do
	case "$c" in checkpatch|sparse|format|tidy|shell) ;; *) die "unknown check '$c'" ;; esac
	echo "--- lint: $c"
	out=$SWAPTAB_BUILD/lint/$c.out
	if "lint_$c" 2>&1 | tee "$out"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
		summary+=("lint: $c: OK")
	else
		n=$(grep -cE '^(ERROR|WARNING|CHECK):|: (warning|error):' "$out" || true)
		summary+=("lint: $c: FAILED ($n findings)")
		failed=1
	fi
done
printf '%s\n' "${summary[@]}"
exit $failed
