#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Configure and build the kernel of variant $KERNEL (normal, debug, base or
# debian) for $ARCH from its tree (see common.sh), out of tree in $OBJ
# (build/obj-$KERNEL...), and build and install the selftests of
# harness/suite against that tree's own headers.
. "$(dirname "$0")/common.sh"

fragments="$HARNESS/config/test.config $HARNESS/config/$ARCH.config"
case $KERNEL in
normal | base) ;;
debug) fragments="$fragments $HARNESS/config/debug.config" ;;
debian)
	# Debian's own configuration, with what the guest needs on top
	[ "$ARCH" = x86_64 ] || die "KERNEL=debian is for x86_64 only"
	START_CONFIG=$("$HARNESS/debian-config.sh")
	fragments=$HARNESS/config/debian.config ;;
*) die "KERNEL must be normal, debug, base or debian, not '$KERNEL'" ;;
esac
. "$HARNESS/kbuild.sh"
configure $fragments

step "build: kernel ($KERNEL, $ARCH)" "$OBJ/logs/kernel.log" kmake "$KIMAGE"
# The image's own check, in a second: unwinders must be able to walk
# through every function of the vDSO (see vdso-unwind.sh), where it has
# unwind information (see arch_settings).
[ -z "$UNWIND_VDSO" ] ||
	step "check: ${UNWIND_VDSO##*/} unwind information" "$OBJ/logs/vdso-unwind.log" \
		"$HARNESS/vdso-unwind.sh" "$OBJ/$UNWIND_VDSO"

# The collections of both suites (so that switching rebuilds nothing)
# that are the kernel's: initramfs.sh adds the harness's own. The 6.1
# kselftest Makefile reports a failure only when every collection fails
# to build: initramfs.sh checks that each test of the suite is there.
collections=$(for s in suite stress-suite; do suite_tests "$HARNESS/$s"; done |
	cut -d: -f1 | sort -u |
	while read -r c; do
		[ ! -d "$TREE/tools/testing/selftests/$c" ] || printf '%s ' "$c"
	done)
# Only the programs the kselftest runner runs (TEST_GEN_PROGS): not the
# helpers of the collections' own scripts (TEST_GEN_FILES, such as those
# of vm/run_vmtests.sh), which the suite does not run and some of which
# link libraries (libcap, libnuma) that the cross compiler has not.
# kselftest-install cannot say so (it clears the command line's variables
# for the collections' makes): this is what it does, the headers first.
selftests() {
	kmake headers &&
		make -C "$TREE/tools/testing/selftests" O="$OBJ" ARCH="$KARCH" \
			CROSS_COMPILE="$CROSS_COMPILE" TARGETS="$collections" \
			TEST_GEN_FILES= install
}
step "build: selftests ($collections)" "$OBJ/logs/selftests.log" selftests
