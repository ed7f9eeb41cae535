#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The host-side tests of the assembled tree's vDSO getrandom(): the unit
# test (see harness/vdso-unit/README), then the series' own selftest
# vdso_test_chacha, built from the tree as kselftest builds it and run
# natively, so that every block function the host CPU has (AVX-512VL
# among them, which QEMU's TCG lacks) is checked against the selftest's
# reference. KTAP out; with RESULTS=FILE also "passed failed skipped"
# there, summed over both programs' totals lines.
. "$(dirname "$0")/common.sh"

logs=$BUILD/logs
selftest_out=$BUILD/host-selftests
mkdir -p "$logs" "$selftest_out"

# run_program LOG CMD...: run CMD with its output shown and kept in LOG;
# print "passed failed skipped" from its KTAP totals line, counting a
# failure if it exited non-zero or printed no totals.
run_program() {
	local log=$1 status counts p f s
	shift
	set +e
	"$@" 2>&1 | tee "$log" >&2
	status=${PIPESTATUS[0]}
	set -e
	counts=$(sed -n 's/^# Totals: pass:\([0-9]*\) fail:\([0-9]*\) .* skip:\([0-9]*\) .*/\1 \2 \3/p' "$log")
	[ -n "$counts" ] || counts="0 1 0"
	read -r p f s <<<"$counts"
	[ "$status" = 0 ] || [ "$f" != 0 ] || f=1
	echo "$p $f $s"
}

build_and_run_chacha_selftest() {
	make -s --no-print-directory \
		-C "$SERIES_TREE/tools/testing/selftests/vDSO" \
		OUTPUT="$selftest_out" "$selftest_out/vdso_test_chacha" &&
		"$selftest_out/vdso_test_chacha"
}

read -r p1 f1 s1 < <(run_program "$logs/vdso-unit.log" \
	make -s --no-print-directory -C "$HARNESS/vdso-unit" \
	KSRC="$SERIES_TREE" O="$BUILD/vdso-unit")
say "vdso-unit: $p1 passed, $f1 failed, $s1 skipped"
read -r p2 f2 s2 < <(run_program "$logs/host-vdso_test_chacha.log" \
	build_and_run_chacha_selftest)
say "vdso_test_chacha on the host: $p2 passed, $f2 failed, $s2 skipped"

p=$((p1 + p2)) f=$((f1 + f2)) s=$((s1 + s2))
say "$p passed, $f failed, $s skipped"
[ -z "${RESULTS:-}" ] || echo "$p $f $s" >"$RESULTS"
[ "$f" = 0 ]
