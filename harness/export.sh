#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Write the mailable series to build/series (cover letter + numbered
# patches, git format-patch, base-commit recorded), prove that `git am`
# applies it to a pristine base and gives exactly the assembled tree, and
# run checkpatch --strict on every patch.
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
fi
say "$pass passed, $fail failed, $skip skipped"
[ -z "${RESULTS:-}" ] || echo "$pass $fail $skip" >"$RESULTS"
[ "$fail" = 0 ]
