#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make build-each`: build the kernel (the test configuration) at every
# commit of the series in turn, so that no commit a bisection may land on
# fails to build. The commits are checked out one after the other in a
# work tree of their own, build/linux-each, into one kbuild output,
# build/obj-each (build/obj-each-arm64 for ARCH=arm64): each build is
# incremental on the one before.
# KTAP-style lines, then "N passed, N failed"; with RESULTS=FILE also
# "passed failed skipped" there.
. "$(dirname "$0")/common.sh"

TREE=$BUILD/linux-each
OBJ=$BUILD/obj-each$arch_suffix
. "$HARNESS/kbuild.sh"

cd "$SERIES_TREE"
commits=$(git rev-list --reverse base..series)
[ -n "$commits" ] || die "the series is empty"
if [ ! -d "$TREE" ]; then
	git worktree prune
	git worktree add -q --detach "$TREE" "${commits%%$'\n'*}"
fi

pass=0 fail=0 n=0
for commit in $commits; do
	n=$((n + 1))
	subject=$(git log -1 --format=%s "$commit")
	git -C "$TREE" checkout -q --detach "$commit"
	[ "$n" != 1 ] || configure "$HARNESS/config/test.config" "$HARNESS/config/$ARCH.config"
	start=$SECONDS
	if kmake "$KIMAGE" >"$OBJ/logs/build-$n.log" 2>&1; then
		pass=$((pass + 1))
		say "ok $n - builds: $subject ($((SECONDS - start))s)"
	else
		fail=$((fail + 1))
		say "not ok $n - builds: $subject (see $OBJ/logs/build-$n.log)"
		grep -E 'error|Error' "$OBJ/logs/build-$n.log" | head -n 20 | sed 's/^/    /'
	fi
done
say "$pass passed, $fail failed"
[ -z "${RESULTS:-}" ] || echo "$pass $fail 0" >"$RESULTS"
[ "$fail" = 0 ]
