#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The harness's own tests: the console parser fed canned console logs,
# the SERIES parser fed small manifests. KTAP out, "N passed, N failed"
# last; with RESULTS=FILE also "passed failed skipped" there.
# The canned console logs are of x86-64 guests, whatever ARCH says.
ARCH=x86_64
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

# A listed known failure is counted with the skipped and excuses the
# test's "not ok"; a failure not listed, or a crash with no failing
# result, still fails.
while read -r known log want; do
	out=$(awk -v expected="$expected" -v known="$known" \
		-f "$HARNESS/ktap-report.awk" "$logs/$log.log")
	status=$?
	got="$(tail -n 1 <<<"$out") (exit $status)"
	[ "$got" = "$want" ]
	check "console parser: $log.log with known failure $known gives '$want'" $?
	[ "$got" = "$want" ] || say "# got '$got'"
done <<'EOT'
vm:droppable:2	failing-test	2 passed, 0 failed, 2 skipped (exit 0)
vm:droppable:3	failing-test	2 passed, 1 failed, 1 skipped (exit 1)
vm:droppable:2	failing-exit	3 passed, 1 failed, 1 skipped (exit 1)
EOT
out=$(awk -v expected="$expected" -v known=vm:droppable:2 \
	-f "$HARNESS/ktap-report.awk" "$logs/failing-test.log")
grep -q '^    not ok 2 dp in smaps # KNOWN FAILURE' <<<"$out" &&
	grep -q '^1 known failure (harness/known-failures)' <<<"$out" &&
	grep -Eq '^vm:droppable +known ' <<<"$out"
check "console parser: a known failure is shown as such in the stream and the table" $?

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
Call trace:
Internal error: Oops: 0000000096000004 [#1] SMP
rcu: INFO: rcu_preempt self-detected stall on CPU
Kernel panic - not syncing: Fatal exception
EOT

# The same words in test output (no kernel timestamp) are not splats.
got=$(report <(sed '/^# ok 1 dropped/a # WARNING: this is test output, BUG: not a splat' "$logs/clean.log"))
[ "$got" = "3 passed, 0 failed, 1 skipped (exit 0)" ]
check "console parser: splat words in test output are not splats" $?

# A guest that came up with one CPU or one NUMA node fails the run (QEMU's
# -smp 2 or -numa not honoured).
got=$(report <(sed 's/, 2 CPUs, /, 1 CPUs, /' "$logs/clean.log"))
[ "$got" = "3 passed, 1 failed, 1 skipped (exit 1)" ]
check "console parser: a guest with one CPU fails" $?
got=$(report <(sed 's/, 2 NUMA nodes, /, 1 NUMA nodes, /' "$logs/clean.log"))
[ "$got" = "3 passed, 1 failed, 1 skipped (exit 1)" ]
check "console parser: a guest with one NUMA node fails" $?

# An OOM report's stack dump is no splat; any other stack dump is.
oom() {	# oom WHAT: the parser's last line with a stack dump after WHAT
	sed "/^# ok 1 dropped/a [   12.000000] $1\\
[   12.000001] Call Trace:" "$logs/clean.log" |
		awk -v expected="$expected" -f "$HARNESS/ktap-report.awk" | tail -n 1
}
[ "$(oom 'test invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0')" = "3 passed, 0 failed, 1 skipped" ] &&
	[ "$(oom 'CPU: 0 PID: 1 Comm: test')" = "3 passed, 1 failed, 1 skipped" ]
check "console parser: an OOM report's stack dump is no splat, another is" $?

# The guest's durations.awk, run by busybox as in the guest, adds each
# test's time and limit after its result; the table shows them.
timed=$(busybox awk -f "$HARNESS/initramfs/durations.awk" "$logs/clean.log")
[ "$(grep -c '^harness: time [^ ]* [0-9.]* of 45$' <<<"$timed")" = 2 ] &&
	awk -v expected="$expected" -f "$HARNESS/ktap-report.awk" <<<"$timed" |
	grep -Eq '^vm:droppable +pass +2 +0 +1 +[0-9.]+ of 45$'
check "durations: each test's time and limit reach the table" $?

# regress.sh's comparison of two regress runs' console logs.
regress_verdict() {	# regress_verdict SED-SCRIPT: last line and status
	local out status
	out=$("$HARNESS/regress.sh" "$logs/regress.log" <(sed "$1" "$logs/regress.log"))
	status=$?
	printf '%s (exit %d)\n' "$(tail -n 1 <<<"$out")" "$status"
}
# Tab-separated: the verdict, a sed script making the series' log, what it is.
while IFS=$'	' read -r want sed what; do
	got=$(regress_verdict "$sed")
	[ "$got" = "$want" ]
	check "regress: $what" $?
	[ "$got" = "$want" ] || say "# got '$got'"
done <<EOT
3 passed, 0 failed, 5 skipped (no verdict: passed on neither kernel) (exit 0)	s/^//	the same results on both kernels (a result printed twice counts once)
2 passed, 1 failed, 5 skipped (no verdict: passed on neither kernel) (exit 1)	/^# . Returned/{n;s/PASS/FAIL/}	a vm test that fails with the series only
2 passed, 1 failed, 5 skipped (no verdict: passed on neither kernel) (exit 1)	/test_memcg_subtree_control/d	a cgroup test that reports nothing with the series
4 passed, 0 failed, 4 skipped (no verdict: passed on neither kernel) (exit 0)	/mremap_test/{n;n;s/FAIL/PASS/}	a test that passes with the series only
0 passed, 3 failed, 5 skipped (no verdict: passed on neither kernel) (exit 1)	/^# [|]/d	a series' run that printed no result
EOT
got=$("$HARNESS/regress.sh" /dev/null /dev/null | tail -n 1)
[ "$got" = "0 passed, 1 failed, 0 skipped (no verdict: passed on neither kernel)" ]
check "regress: two runs without results fail" $?

# check-base.sh's verdicts on what a run on the base kernel gave.
base_verdict() {	# base_verdict SED-SCRIPT: last line and status
	local out status
	awk -v expected="$(suite_tests "$HARNESS/suite" | tr '\n' ' ')" \
		-f "$HARNESS/ktap-report.awk" <(sed "$1" "$logs/base-kernel.log") \
		>"$base_out"
	out=$(BUILD=$base_dir "$HARNESS/check-base.sh" "$base_out")
	status=$?
	printf '%s (exit %d)\n' "$(tail -n 1 <<<"$out")" "$status"
}
base_dir=$(mktemp -d)
base_out=$base_dir/run.log
nsuite=$(suite_tests "$HARNESS/suite" | wc -l)
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

# The per-architecture settings (arch_settings in common.sh): what each
# ARCH resolves to, where its outputs go, and an unknown ARCH refused.
settings() {	# settings VAR=VALUE...: common.sh's values, in that environment
	env -u ARCH -u SOURCE -u KERNEL "$@" bash -c '. "$1/common.sh" &&
		echo "$KARCH|$CROSS_COMPILE|$KIMAGE|$QEMU|$QEMU_MACHINE|$QEMU_TCG_CPU|$KVM_CPU|$CONSOLE|$DEB_ARCH|$TRIPLET|${OBJ#$BUILD/}|$RUN|${INITRAMFS#$BUILD/}|${GLIBC_ROOT#$CACHE/}|${TREE#$BUILD/}"' \
		_ "$HARNESS" 2>&1
}
while IFS=$'	' read -r env want; do
	[ "$env" != - ] || env=
	got=$(settings $env)
	[ "$got" = "$want" ]
	check "arch settings: ${env:-no ARCH} gives $want" $?
	[ "$got" = "$want" ] || say "# got '$got'"
done <<'EOT'
-	x86||bzImage|qemu-system-x86_64|pc|max|host|ttyS0|amd64|x86_64-linux-gnu|obj-normal|normal|initramfs-normal|glibc-2.41/root|linux
ARCH=x86_64	x86||bzImage|qemu-system-x86_64|pc|max|host|ttyS0|amd64|x86_64-linux-gnu|obj-normal|normal|initramfs-normal|glibc-2.41/root|linux
ARCH=arm64	arm64|aarch64-linux-gnu-|Image|qemu-system-aarch64|virt|max,pauth-impdef=on||ttyAMA0|arm64|aarch64-linux-gnu|obj-normal-arm64|normal-arm64|initramfs-normal-arm64|glibc-2.41-arm64/root|linux
ARCH=arm64 KERNEL=base SOURCE=vanilla SUITE=stress-suite	arm64|aarch64-linux-gnu-|Image|qemu-system-aarch64|virt|max,pauth-impdef=on||ttyAMA0|arm64|aarch64-linux-gnu|obj-base-vanilla-arm64|base-vanilla-arm64-stress|initramfs-base-vanilla-arm64|glibc-2.41-arm64/root|linux-vanilla-base
EOT
got=$(settings ARCH=riscv64)
[ $? != 0 ] && [ "$got" = "error: ARCH must be x86_64 or arm64, not riscv64" ]
check "arch settings: an unknown ARCH is refused" $?
[ "$got" = "error: ARCH must be x86_64 or arm64, not riscv64" ] || say "# got '$got'"
for arch in x86_64 arm64; do
	[ -f "$HARNESS/config/$arch.config" ] &&
		grep -q '^CONFIG_.*CONSOLE=y$' "$HARNESS/config/$arch.config"
	check "arch settings: config/$arch.config holds $arch's serial console" $?
done

# suite_tests: a test restricted to some architectures is listed on those
# only; comments and blank lines are not tests.
suite=$(mktemp)
printf '%s\n' '# comment' 'a:all' '' 'b:x86 x86_64' 'c:arm arm64 riscv64' >"$suite"
got=$(ARCH=x86_64 bash -c '. "$1/common.sh"; suite_tests "$2"' _ "$HARNESS" "$suite" | tr '\n' ' ')
[ "$got" = "a:all b:x86 " ]
check "suite: x86_64 runs the tests for every architecture and its own" $?
got=$(ARCH=arm64 bash -c '. "$1/common.sh"; suite_tests "$2"' _ "$HARNESS" "$suite" | tr '\n' ' ')
[ "$got" = "a:all c:arm " ]
check "suite: arm64 runs the tests for every architecture and its own" $?
rm -f "$suite"

# elf-libs.sh copies what a program needs, transitively, and fails on a
# library the user space lacks.
libs=$(mktemp -d)
mkdir -p "$libs/root/bin" "$libs/userland/usr/lib/x86_64-linux-gnu"
printf '%s\n' 'int lib(void) { return 1; }' >"$libs/lib.c"
printf '%s\n' 'int lib(void);' 'int main(void) { return lib() - 1; }' >"$libs/main.c"
gcc -shared -fPIC -o "$libs/userland/usr/lib/x86_64-linux-gnu/libharness.so" "$libs/lib.c" &&
	gcc -o "$libs/root/bin/main" "$libs/main.c" -L"$libs/userland/usr/lib/x86_64-linux-gnu" -lharness &&
	cp -L /lib/x86_64-linux-gnu/libc.so.6 "$libs/userland/usr/lib/x86_64-linux-gnu/" &&
	mkdir -p "$libs/userland/lib64" && cp -L /lib64/ld-linux-x86-64.so.2 "$libs/userland/lib64/" &&
	cp -L /lib64/ld-linux-x86-64.so.2 "$libs/userland/usr/lib/x86_64-linux-gnu/" &&
	"$HARNESS/elf-libs.sh" "$libs/root" "$libs/userland" x86_64-linux-gnu &&
	[ -f "$libs/root/usr/lib/x86_64-linux-gnu/libharness.so" ] &&
	[ -f "$libs/root/usr/lib/x86_64-linux-gnu/libc.so.6" ] &&
	[ -f "$libs/root/lib64/ld-linux-x86-64.so.2" ]
check "elf-libs: a program's library, that library's libc and the loader are copied" $?
rm "$libs/userland/usr/lib/x86_64-linux-gnu/libharness.so" "$libs/root/usr/lib/x86_64-linux-gnu/libharness.so"
out=$("$HARNESS/elf-libs.sh" "$libs/root" "$libs/userland" x86_64-linux-gnu 2>&1)
[ $? != 0 ] && grep -q 'no libharness.so for x86_64-linux-gnu' <<<"$out"
check "elf-libs: a library the user space lacks fails, named" $?
rm -rf "$libs"

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

# assemble.sh and refresh.sh on a repository of their own, made from a
# small base and the two commits a maintainer would have made on it: the
# first changes a.c and creates b.c, the second changes b.c. The
# repository keeps b.c whole as the first commit made it and the second
# commit's change in b.c.diff. assemble must give back both commits'
# trees, and refresh, from that tree, the repository byte for byte.
rt=$dir/roundtrip
mkdir -p "$rt/work" "$rt/repo" "$rt/cache"
(
	set -e
	cd "$rt/work"
	git init -q -b base
	printf 'one\n' >a.c
	git add a.c && git commit -q -m base
	printf 'one\ntwo\n' >a.c && printf 'new\n' >b.c
	git add a.c b.c && git commit -q -m first
	printf 'new\nchanged\n' >b.c
	git commit -q -am second
	git clone -q --bare . "$rt/cache/base.git"
	echo "$BASE_VERSION" >"$rt/cache/base.git/base-version"
	git diff --no-renames --abbrev=9 HEAD~2 HEAD~1 -- a.c >"$rt/repo/a.c.diff"
	git show HEAD~1:b.c >"$rt/repo/b.c"
	git diff --no-renames --abbrev=9 HEAD~1 HEAD -- b.c >"$rt/repo/b.c.diff"
	git -C "$rt/cache/base.git" update-ref refs/heads/base HEAD~2
	cp -r "$HARNESS" "$rt/repo/harness"
	printf '%s\n' 'cover: Cover' '' 'Text.' '' \
		'patch: one: first' "	a.c" "	b.c" '' 'Body one.' '' \
		'Signed-off-by: A <a@b.invalid>' '' \
		'patch: two: second' "	b.c" '' 'Body two.' '' \
		'Signed-off-by: A <a@b.invalid>' >"$rt/repo/SERIES"
	cd "$rt/repo"
	git init -q && git add -A && git commit -q -m repo
) >/dev/null 2>&1
roundtrip() {	# roundtrip SCRIPT: run a harness script of that repository
	env -u KERNEL -u SOURCE BUILD="$rt/build" CACHE="$rt/cache" \
		"$rt/repo/harness/$1" >"$rt/$1.out" 2>&1
}
roundtrip assemble.sh &&
	[ "$(git -C "$rt/build/linux" rev-parse 'series~1^{tree}')" = \
	  "$(git -C "$rt/work" rev-parse 'HEAD~1^{tree}')" ] &&
	[ "$(git -C "$rt/build/linux" rev-parse 'series^{tree}')" = \
	  "$(git -C "$rt/work" rev-parse 'HEAD^{tree}')" ]
check "assemble: a file a patch creates and a later patch changes has both commits" $?
roundtrip refresh.sh && [ -z "$(git -C "$rt/repo" status --porcelain)" ]
check "refresh: the tree gives back the repository it was assembled from" $?
printf 'new\nchanged\nagain\n' >"$rt/build/linux/b.c"
roundtrip refresh.sh && [ "$(git -C "$rt/repo" status --porcelain)" = " M b.c.diff" ] &&
	grep -qx '+again' "$rt/repo/b.c.diff" && [ "$(cat "$rt/repo/b.c")" = new ]
check "refresh: an edit to such a file goes to the last patch's diff, the file stays whole" $?

say "1..$n"
say "$pass passed, $fail failed"
[ -z "${RESULTS:-}" ] || echo "$pass $fail 0" >"$RESULTS"
[ "$fail" = 0 ]
