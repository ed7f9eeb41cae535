#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make regress`: no regression in 6.1's own mm selftests. Boot the base
# kernel (KERNEL=base: the same configuration, without the series) and
# the series' kernel, each with the regress suite (harness/regress-suite),
# and print their results side by side. A test that passes on the base
# and does not on the series' kernel is a regression, and fails; so does
# a run that did not reach its end or whose console shows a kernel splat
# (boot.sh). One line per test, KTAP-style: ok when it passes on the
# series' kernel, "ok ... # SKIP" when it passes on neither (no verdict),
# not ok for a regression. Then "N passed, N failed"; with RESULTS=FILE
# also "passed failed skipped".
#
# regress.sh BASE_LOG SERIES_LOG judges two earlier console logs instead
# (the harness's tests use that).
. "$(dirname "$0")/common.sh"
# 6.1's vm selftests link libnuma and libcap, which Debian's arm64 cross
# compiler has not.
[ "$ARCH" = x86_64 ] || die "regress runs on x86_64 only"

pass=0 fail=0 skip=0 n=0
result() {	# result ok|not-ok|skip DESCRIPTION
	n=$((n + 1))
	case $1 in
	ok) pass=$((pass + 1)); say "ok $n - $2" ;;
	skip) skip=$((skip + 1)); say "ok $n - $2 # SKIP" ;;
	*) fail=$((fail + 1)); say "not ok $n - $2" ;;
	esac
}

if [ $# = 2 ]; then
	base_log=$1 series_log=$2
else
	for kernel in base normal; do
		RUN=$kernel$suffix-regress
		say "== 6.1's mm selftests on the $kernel kernel ($ARCH)"
		if KERNEL=$kernel SUITE=regress-suite RESULTS= \
			make --no-print-directory -C "$TOP" run >"$BUILD/logs/regress-$kernel.log" 2>&1; then
			result ok "$kernel kernel: the suite ran to its end, console clean"
		else
			tail -n 25 "$BUILD/logs/regress-$kernel.log" | sed 's/^/    /'
			result not-ok "$kernel kernel: the suite ran to its end, console clean (see $BUILD/logs/regress-$kernel.log)"
		fi
	done
	base_log=$BUILD/console-base$suffix-regress.log
	series_log=$BUILD/console-normal$suffix-regress.log
fi

say "== base kernel against the series' ($ARCH): base, series, test"
rows=0
while IFS=$'\t' read -r test base series; do
	rows=$((rows + 1))
	row=$(printf '%-7s %-7s %s' "$base" "$series" "$test")
	if [ "$series" = pass ]; then
		result ok "$row"
	elif [ "$base" = pass ]; then
		result not-ok "$row: REGRESSION"
	else
		result skip "$row"
	fi
done < <(join -t $'\t' -a 1 -a 2 -e missing -o 0,1.2,2.2 \
	<(awk -f "$HARNESS/regress-results.awk" "$base_log" | sort -t $'\t' -k 1,1) \
	<(awk -f "$HARNESS/regress-results.awk" "$series_log" | sort -t $'\t' -k 1,1))
[ "$rows" -gt 0 ] || result not-ok "the console logs hold results"

say "$pass passed, $fail failed, $skip skipped (no verdict: passed on neither kernel)"
[ -z "${RESULTS:-}" ] || echo "$pass $fail $skip" >"$RESULTS"
[ "$fail" = 0 ]
