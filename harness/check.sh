#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: the harness's own tests, the host-side unit test, the
# series checks (export, git am, checkpatch), the main job, the tests on
# the base kernel, 6.1's mm selftests on the base kernel against the
# series' and a build of every commit; then the main job, the tests on
# the base kernel and the builds for arm64. Each part runs even if an
# earlier one failed; then one table, the number skipped, and last
# "N passed, N failed". `check.sh PART...` runs those parts instead
# (`make series-check`). A part is a make target, for x86_64, or
# TARGET:ARCH (run:arm64) for another architecture.
. "$(dirname "$0")/common.sh"

results=$BUILD/results
rm -rf "$results"
mkdir -p "$results"
status=0
parts=${*:-harness-test unit export run check-base regress build-each run:arm64 check-base:arm64 build-each:arm64}
for part in $parts; do
	target=${part%%:*} arch=x86_64
	[ "$target" = "$part" ] || arch=${part#*:}
	if [ "$arch" = x86_64 ]; then say "== make $target"; else say "== make $target ARCH=$arch"; fi
	if RESULTS=$results/$part make --no-print-directory ARCH="$arch" "$target"; then
		continue
	fi
	status=1
	# A part that failed without counting a failure (a build error or a
	# timeout after the last test, say) counts one.
	read -r p f s 2>/dev/null <"$results/$part" || p=0 f=0 s=0
	[ "$f" != 0 ] || echo "$p 1 $s" >"$results/$part"
done

say "== summary"
total_p=0 total_f=0 total_s=0
for part in $parts; do
	read -r p f s <"$results/$part"
	printf '%-18s %4d passed, %d failed, %d skipped\n' "$part" "$p" "$f" "$s"
	total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + s))
done
[ "$total_f" = 0 ] || status=1
say "($total_s skipped: neither passed nor failed)"
say "$total_p passed, $total_f failed"
exit "$status"
