#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Write the mailable series to build/series (cover letter + numbered
# patches, git format-patch, base-commit recorded), prove that `git am`
# applies it to a pristine base and gives exactly the assembled tree, run
# checkpatch --strict on every patch and kernel-doc on the series' files.
#
# Prints one KTAP-style line per check and ends with "N passed, N failed";
# with RESULTS=FILE it also writes "passed failed skipped" there.
. "$(dirname "$0")/common.sh"

out=$BUILD/series
mkdir -p "$BUILD/logs"
am=$BUILD/am-check
pass=0 fail=0 skip=0
result() {	# result ok|fail|skip DESCRIPTION
	case $1 in
	ok) pass=$((pass + 1)); say "ok - $2" ;;
	skip) skip=$((skip + 1)); say "ok - $2 # SKIP" ;;
	*) fail=$((fail + 1)); say "not ok - $2" ;;
	esac
}

cd "$SERIES_TREE"
base=$(git rev-parse base)
npatches=$(git rev-list --count base..series)
rm -rf "$out"
if [ "$npatches" = 0 ]; then
	result skip "export: the series is empty"
else
	# The cover letter is from the series' author, as the patches are.
	GIT_COMMITTER_NAME=$(git log -1 --reverse --format=%an base..series) \
	GIT_COMMITTER_EMAIL=$(git log -1 --reverse --format=%ae base..series) \
		git format-patch -q --cover-letter --cover-from-description=subject \
		--base="$base" -o "$out" base..series
	result ok "export: $npatches patches and a cover letter in $out"

	# git am onto a pristine checkout of the base.
	if [ ! -d "$am" ]; then
		git worktree prune
		git worktree add -q --detach "$am" "$base"
	fi
	git -C "$am" am --abort >/dev/null 2>&1 || true
	git -C "$am" reset -q --hard "$base"
	git -C "$am" clean -q -fdx
	patches=$(ls "$out"/0*-*.patch | grep -v /0000-cover-letter.patch)
	if git -C "$am" am -q $patches >"$BUILD/logs/am.log" 2>&1 &&
	   [ "$(git -C "$am" rev-parse HEAD^{tree})" = "$(git rev-parse series^{tree})" ]; then
		result ok "export: git am applies it to base $(git rev-parse --short "$base") and gives the series' tree"
	else
		result fail "export: git am of the series onto the base (see $BUILD/logs/am.log)"
	fi

	for patch in $patches; do
		name=$(basename "$patch")
		# checkpatch's spdxcheck.py needs the ply and git modules that
		# deps.sh installs for Debian's python3: find that one first.
		verdict=$(PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict \
			--no-summary --terse --show-types "$patch" 2>&1 || true)
		errors=$(grep -c ': ERROR:' <<<"$verdict" || true)
		warnings=$(grep -c ': WARNING:' <<<"$verdict" || true)
		checks=$(grep -c ': CHECK:' <<<"$verdict" || true)
		# checkpatch runs helpers (spdxcheck.py) whose crash it
		# does not count: a traceback is a failure too.
		crashed=$(grep -c '^Traceback' <<<"$verdict" || true)
		if [ "$errors$warnings$crashed" = 000 ]; then
			result ok "checkpatch --strict $name: 0 errors, 0 warnings, $checks checks"
		else
			result fail "checkpatch --strict $name: $errors errors, $warnings warnings, $checks checks, $crashed helper crashes"
			sed 's/^/    /' <<<"$verdict"
		fi
	done

	# kernel-doc, as W=1 runs it (-v), on the kernel's C files and headers
	# that the series adds or changes: no warning the base has not.
	docwarn() {	# docwarn FILE SHOWN-AS: its warnings, without line numbers
		./scripts/kernel-doc -none -v "$1" 2>&1 | grep -E ': (warning|error):' |
			sed -E -e "s|^$1:[0-9]+:|$2:|" | sort -u
	}
	scratch=$(mktemp -d)
	new=
	for f in $(git diff --name-only base series -- '*.c' '*.h' ':!tools'); do
		: >"$scratch/base"
		git show "base:$f" >"$scratch/base" 2>/dev/null || true
		new=$new$(comm -23 <(docwarn "$f" "$f") <(docwarn "$scratch/base" "$f") |
			sed 's/$/\n/')
	done
	rm -rf "$scratch"
	if [ -z "$new" ]; then
		result ok "kernel-doc -v: no new warning in the series' C files and headers"
	else
		result fail "kernel-doc -v: new warnings in the series' files"
		sed 's/^/    /' <<<"$new"
	fi
fi
say "$pass passed, $fail failed, $skip skipped"
[ -z "${RESULTS:-}" ] || echo "$pass $fail $skip" >"$RESULTS"
[ "$fail" = 0 ]
