#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The host-side tests of the assembled tree's vDSO getrandom(), for each
# architecture the series has a block function for. x86-64, natively: the
# unit test (see harness/vdso-unit/README), then the series' own selftest
# vdso_test_chacha, built from the tree as kselftest builds it and run
# natively, so that every block function the host CPU has (AVX-512VL
# among them, which QEMU's TCG lacks) is checked against the selftest's
# reference. arm64: the same two programs cross-compiled, statically, and
# run under qemu-aarch64-static. KTAP out, one summary line per program;
# with RESULTS=FILE also "passed failed skipped" there, summed over all
# programs' totals lines.
. "$(dirname "$0")/common.sh"

logs=$BUILD/logs
mkdir -p "$logs"

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

# build_and_run_chacha_selftest OUT RUNNER [MAKE ARGS...]: RUNNER may be ""
build_and_run_chacha_selftest() {
	local out=$1 runner=$2

	shift 2
	mkdir -p "$out"
	make -s --no-print-directory \
		-C "$SERIES_TREE/tools/testing/selftests/vDSO" \
		OUTPUT="$out" "$@" "$out/vdso_test_chacha" &&
		$runner "$out/vdso_test_chacha"
}

p=0 f=0 s=0
# run_part LOG LABEL CMD...: run_program, one summary line, add to totals
run_part() {
	local log=$1 label=$2 pp ff ss
	shift 2
	read -r pp ff ss < <(run_program "$log" "$@")
	say "$label: $pp passed, $ff failed, $ss skipped"
	p=$((p + pp)) f=$((f + ff)) s=$((s + ss))
}

run_part "$logs/vdso-unit.log" "vdso-unit x86-64" \
	make -s --no-print-directory -C "$HARNESS/vdso-unit" \
	KSRC="$SERIES_TREE" O="$BUILD/vdso-unit"
run_part "$logs/host-vdso_test_chacha.log" \
	"vdso_test_chacha x86-64 on the host" \
	build_and_run_chacha_selftest "$BUILD/host-selftests" ""

run_part "$logs/vdso-unit-arm64.log" "vdso-unit arm64 (qemu-user)" \
	make -s --no-print-directory -C "$HARNESS/vdso-unit" \
	KSRC="$SERIES_TREE" O="$BUILD/vdso-unit-arm64" UNIT_ARCH=arm64
run_part "$logs/host-vdso_test_chacha-arm64.log" \
	"vdso_test_chacha arm64 (qemu-user)" \
	build_and_run_chacha_selftest "$BUILD/host-selftests-arm64" \
	qemu-aarch64-static ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
	LDFLAGS=-static

say "$p passed, $f failed, $s skipped"
[ -z "${RESULTS:-}" ] || echo "$p $f $s" >"$RESULTS"
[ "$f" = 0 ]
