#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Configure and build the kernel of variant $KERNEL (normal, debug or base)
# from its tree (see common.sh), out of tree in build/obj-$KERNEL, and
# build and install the selftests of harness/suite against that tree's
# own headers.
. "$(dirname "$0")/common.sh"

fragments=$HARNESS/config/test.config
case $KERNEL in
normal | base) ;;
debug) fragments="$fragments $HARNESS/config/debug.config" ;;
*) die "KERNEL must be normal, debug or base, not '$KERNEL'" ;;
esac
. "$HARNESS/kbuild.sh"
configure $fragments

step "build: kernel ($KERNEL)" "$OBJ/logs/kernel.log" kmake bzImage
# The image's own check, in a second: unwinders must be able to walk
# through every function of the 64-bit vDSO (see vdso-unwind.sh).
step "check: vdso64.so unwind information" "$OBJ/logs/vdso-unwind.log" \
	"$HARNESS/vdso-unwind.sh" "$OBJ/arch/x86/entry/vdso/vdso64.so"

# The collections of both suites (so that switching rebuilds nothing)
# that are the kernel's: initramfs.sh adds the harness's own. The 6.1
# kselftest Makefile reports a failure only when every collection fails
# to build: initramfs.sh checks that each test of the suite is there.
collections=$(cat "$HARNESS/suite" "$HARNESS/stress-suite" | grep -v '^#' |
	cut -d: -f1 | sort -u |
	while read -r c; do
		[ ! -d "$TREE/tools/testing/selftests/$c" ] || printf '%s ' "$c"
	done)
step "build: selftests ($collections)" "$OBJ/logs/selftests.log" \
	kmake kselftest-install TARGETS="$collections"
