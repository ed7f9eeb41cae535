#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The harness's own tests: the console parser fed canned console logs,
# the SERIES parser fed small manifests. KTAP out, "N passed, N failed"
# last; with RESULTS=FILE also "passed failed skipped" there.
. "$(dirname "$0")/../common.sh"
set +e

logs=$HARNESS/tests/logs
expected="vDSO:vdso_test_gettimeofday vm:droppable"
n=0 pass=0 fail=0
check() {	# check DESCRIPTION STATUS: STATUS 0 is a pass
	n=$((n + 1))
	if [ "$2" = 0 ]; then
		pass=$((pass + 1)); say "ok $n $1"
	else
		fail=$((fail + 1)); say "not ok $n $1"
	fi
}

# report LOG: the parser's closing line and exit status for a console log.
report() {
	local out status
	out=$(awk -v expected="$expected" -f "$HARNESS/ktap-report.awk" "$1")
	status=$?
	printf '%s (exit %d)\n' "$(tail -n 1 <<<"$out")" "$status"
}

say "TAP version 13"
# log                         closing line and exit status it must give
while read -r log want; do
	got=$(report "$logs/$log.log")
	[ "$got" = "$want" ]
	check "console parser: $log.log gives '$want'" $?
	[ "$got" = "$want" ] || say "# got '$got'"
done <<'EOT'
clean				3 passed, 0 failed, 1 skipped (exit 0)
interleaved-kernel-line		3 passed, 0 failed, 1 skipped (exit 0)
skipped-test			2 passed, 0 failed, 2 skipped (exit 0)
failing-test			2 passed, 1 failed, 1 skipped (exit 1)
failing-exit			3 passed, 1 failed, 1 skipped (exit 1)
missing-test			2 passed, 1 failed, 1 skipped (exit 1)
warning				3 passed, 1 failed, 1 skipped (exit 1)
panic				2 passed, 3 failed, 0 skipped (exit 1)
timeout				2 passed, 2 failed, 0 skipped (exit 1)
truncated			0 passed, 3 failed, 0 skipped (exit 1)
EOT

# Every kind of kernel report fails an otherwise clean run.
while read -r splat; do
	got=$(report <(sed "/^# ok 1 dropped/a [    3.000000] $splat" "$logs/clean.log"))
	[ "$got" = "3 passed, 1 failed, 1 skipped (exit 1)" ]
	check "console parser: a clean run with '$splat' fails" $?
done <<'EOT'
BUG: KASAN: slab-out-of-bounds in shrink_folio_list+0x1/0x2
BUG: sleeping function called from invalid context at mm/memory.c:5000
BUG: soft lockup - CPU#0 stuck for 22s! [droppable:70]
kernel BUG at mm/rmap.c:1200!
WARNING: possible circular locking dependency detected
WARNING: CPU: 0 PID: 1 at lib/vdso/getrandom.c:10 x+0x0/0x1
Oops: general protection fault, probably for non-canonical address 0xdead: 0000 [#1] SMP
general protection fault, probably for non-canonical address 0xdead: 0000 [#1] SMP
INFO: task droppable:70 blocked for more than 120 seconds.
UBSAN: shift-out-of-bounds in mm/vmscan.c:100:1
droppable: page allocation failure: order:0, mode:0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO)
Call Trace:
rcu: INFO: rcu_preempt self-detected stall on CPU
Kernel panic - not syncing: Fatal exception
EOT

# The same words in test output (no kernel timestamp) are not splats.
got=$(report <(sed '/^# ok 1 dropped/a # WARNING: this is test output, BUG: not a splat' "$logs/clean.log"))
[ "$got" = "3 passed, 0 failed, 1 skipped (exit 0)" ]
check "console parser: splat words in test output are not splats" $?

# The guest's durations.awk, run by busybox as in the guest, adds each
# test's time and limit after its result; the table shows them.
timed=$(busybox awk -f "$HARNESS/initramfs/durations.awk" "$logs/clean.log")
[ "$(grep -c '^harness: time [^ ]* [0-9.]* of 45$' <<<"$timed")" = 2 ] &&
	awk -v expected="$expected" -f "$HARNESS/ktap-report.awk" <<<"$timed" |
	grep -Eq '^vm:droppable +pass +2 +0 +1 +[0-9.]+ of 45$'
check "durations: each test's time and limit reach the table" $?

# check-base.sh's verdicts on what a run on the base kernel gave.
base_verdict() {	# base_verdict SED-SCRIPT: last line and status
	local out status
	awk -v expected="$(grep -v '^#' "$HARNESS/suite" | tr '\n' ' ')" \
		-f "$HARNESS/ktap-report.awk" <(sed "$1" "$logs/base-kernel.log") \
		>"$base_out"
	out=$(BUILD=$base_dir "$HARNESS/check-base.sh" "$base_out")
	status=$?
	printf '%s (exit %d)\n' "$(tail -n 1 <<<"$out")" "$status"
}
base_dir=$(mktemp -d)
base_out=$base_dir/run.log
nsuite=$(grep -vc '^#' "$HARNESS/suite")
# Tab-separated: the verdict, a sed script making the run's log, what it is.
while IFS=$'	' read -r want sed what; do
	got=$(base_verdict "$sed")
	[ "$got" = "$want" ]
	check "check-base: $what" $?
	[ "$got" = "$want" ] || say "# got '$got'"
done <<EOT
$((nsuite + 2)) passed, 0 failed (exit 0)	s/^//	(tests failing and skipping as they must on the base)
$((nsuite + 1)) passed, 1 failed (exit 1)	s/^not ok 7 \\(.*\\) #.*/ok 7 \\1/;/^# not ok/d	a droppable test passing on the base
$((nsuite + 1)) passed, 1 failed (exit 1)	s/^# ok 2 # SKIP vDSO getrandom.*/# ok 2 vgetrandom/	a getrandom result passing on the base
$((nsuite + 1)) passed, 1 failed (exit 1)	/^not ok 7/d	a droppable test that reports no result
$((nsuite + 1)) passed, 1 failed (exit 1)	/suite finished/d	an unfinished run
EOT
rm -rf "$base_dir"

# The SERIES parser.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '%s\n' '# comment' '' 'cover: Cover subject' '' 'Cover text.' '' \
	'patch: mm: first' "	mm/a.c" "	include/b.h" '' 'Body one.' '' \
	'Signed-off-by: A <a@b>' 'patch: x86: second' "	arch/c.S" '' 'Body two.' \
	>"$dir/SERIES"
awk -v OUT="$dir/out" -f "$HARNESS/series.awk" "$dir/SERIES" &&
	[ "$(cat "$dir/out/01/subject")" = "mm: first" ] &&
	[ "$(cat "$dir/out/01/files")" = "mm/a.c
include/b.h" ] &&
	[ "$(cat "$dir/out/01/message")" = "mm: first

Body one.

Signed-off-by: A <a@b>" ] &&
	[ "$(cat "$dir/out/02/files")" = "arch/c.S" ] &&
	[ "$(cat "$dir/out/00/message")" = "Cover subject

Cover text." ]
check "series parser: subjects, files and messages of a manifest" $?

printf '%s\n' 'patch: one' "	mm/a.c" "	mm/a.c" '' 'x' >"$dir/TWICE"
! awk -v OUT="$dir/twice" -f "$HARNESS/series.awk" "$dir/TWICE" 2>/dev/null
check "series parser: a file listed twice in one patch is refused" $?

printf '%s\n' 'stray text' 'patch: one' >"$dir/STRAY"
! awk -v OUT="$dir/stray" -f "$HARNESS/series.awk" "$dir/STRAY" 2>/dev/null
check "series parser: text before the first entry is refused" $?

# vdso-unwind.sh, on small shared objects built here: it passes one whose
# functions have call frame information, inner label included, and fails
# one with a function that has none, and one whose information ends before
# its function does.
unwind() {	# unwind NAME LINE...: build NAME.so from the lines, check it
	local name=$1
	shift
	printf '%s\n' '.text' "$@" >"$dir/$name.S"
	gcc -shared -nostdlib -o "$dir/$name.so" "$dir/$name.S" &&
		"$HARNESS/vdso-unwind.sh" "$dir/$name.so" >"$dir/$name.out"
}
start=('.globl f' '.type f, @function' 'f:' '.cfi_startproc')
unwind covered "${start[@]}" 'nop' '.globl f_entry' 'f_entry:' 'ret' \
	'.cfi_endproc' '.size f, . - f'
check "vdso-unwind: an image whose functions all have an FDE passes" $?
unwind uncovered "${start[@]}" 'ret' '.cfi_endproc' '.size f, . - f' \
	'.globl g' '.type g, @function' 'g:' 'ret' '.size g, . - g'
[ $? = 1 ] && grep -q 'func g at .* is not covered' "$dir/uncovered.out"
check "vdso-unwind: a function without an FDE fails" $?
unwind partial "${start[@]}" 'nop' '.cfi_endproc' 'ret' '.size f, . - f'
[ $? = 1 ] && grep -q 'func f at .* is not covered' "$dir/partial.out"
check "vdso-unwind: a function only partly covered by its FDE fails" $?

say "1..$n"
say "$pass passed, $fail failed"
[ -z "${RESULTS:-}" ] || echo "$pass $fail 0" >"$RESULTS"
[ "$fail" = 0 ]
