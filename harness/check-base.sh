#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check-base`: show that the series' tests can fail. Boot the base
# kernel, without the series but with its selftests (KERNEL=base, see
# assemble.sh), run the suite, and check each test's outcome against what
# a kernel without the series must give. KTAP-style lines, then
# "N passed, N failed"; with RESULTS=FILE also "passed failed skipped".
#
# check-base.sh LOG judges the output of an earlier run instead (the
# harness's tests use that).
. "$(dirname "$0")/common.sh"

if [ $# = 1 ]; then
	log=$1
else
	log=$BUILD/logs/check-base.log
	mkdir -p "$BUILD/logs"
	set +e
	make --no-print-directory run KERNEL=base RESULTS= 2>&1 | tee "$log"
	set -e
fi

# What each test of the suite must do on the base kernel:
#   pass     it tests what the base already has, or only user space
#   fail     it reports failing, with at least one failing result
#   no-pass  it reports failing or skipped, and none of its results passes
expect() {
	case $1 in
	vDSO:vdso_test_getrandom) echo no-pass ;;	# no vgetrandom in the vDSO
	vDSO:vdso_test_chacha) echo pass ;;	# the assembly, run in user space
	vm:droppable) echo fail ;;		# no MAP_DROPPABLE
	glibc:glibc_client) echo pass ;;	# expecting the fallback
	stress:*) echo no-pass ;;		# nothing to stress: they skip
	vDSO:*) echo pass ;;			# the base's own vDSO tests
	*) echo unknown ;;
	esac
}

pass=0 fail=0
result() {	# result OK DESCRIPTION
	if [ "$1" = 0 ]; then
		pass=$((pass + 1)); say "ok - $2"
	else
		fail=$((fail + 1)); say "not ok - $2"
	fi
}

# meets WANT RESULT PASSED FAILED: whether a row of the results table
# (ktap-report.awk's) is what the test must give.
meets() {
	case $1 in
	pass) [ "$2" = pass ] && [ "$4" = 0 ] ;;
	fail) [ "$2" = fail ] && [ "$4" -gt 0 ] ;;
	no-pass) { [ "$2" = fail ] || [ "$2" = skip ]; } && [ "$3" = 0 ] ;;
	*) false ;;
	esac
}

say "== on the base kernel ($ARCH)"
for test in $(suite_tests "$HARNESS/suite"); do
	want=$(expect "$test")
	r= p=0 f=0 s=0
	read -r r p f s < <(awk -v t="$test" \
		'$1 == t && NF >= 6 && $3 ~ /^[0-9]+$/ { print $2, $3, $4, $5 }' "$log") || true
	p=${p:-0} f=${f:-0} s=${s:-0}
	status=0
	meets "$want" "$r" "$p" "$f" || status=1
	result $status "$test must $want on the base kernel: ${r:-no result} ($p passed, $f failed, $s skipped)"
done
grep -q '^harness: suite finished' "$log" && ! grep -q '^run completed .*FAIL' "$log"
result $? "the guest ran the suite to its end"
grep -q '^harness: guest up' "$log" && ! grep -q '^kernel console clean .*FAIL' "$log"
result $? "the base kernel's console is clean"

# Figures, not tests: glibc 2.41's getrandom() of 4 bytes here and, if
# `make` ran before, on the series' kernel.
# per_call LOG: "NS PATH", PATH being the one glibc was seen to take.
per_call() {
	sed -n 's/.*glibc getrandom(4): \([0-9.]*\) ns per call (\(.*\)).*/\1 \2/p' \
		"$1" 2>/dev/null | tail -n 1
}
read -r without without_path < <(per_call "$log") || true
read -r with with_path < <(per_call "$BUILD/console-normal$suffix.log") || true
if [ -n "${without:-}" ] && [ -n "${with:-}" ]; then
	say "# glibc 2.41 getrandom(4): $without ns per call on the base kernel ($without_path), $with ns with the series ($with_path): $(awk -v a="$without" -v b="$with" 'BEGIN { printf "%.1f", a / b }')x faster"
fi

say "$pass passed, $fail failed"
[ -z "${RESULTS:-}" ] || echo "$pass $fail 0" >"$RESULTS"
[ "$fail" = 0 ]
