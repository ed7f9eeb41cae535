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

collections=$(grep -v '^#' "$HARNESS/suite" | cut -d: -f1 | sort -u | tr '\n' ' ')
step "build: selftests ($collections)" "$OBJ/logs/selftests.log" \
	kmake kselftest-install TARGETS="$collections"
# The 6.1 kselftest Makefile reports a failure only when every collection
# fails to build: check each test of the suite is really there.
for t in $(grep -v '^#' "$HARNESS/suite"); do
	[ -x "$OBJ/kselftest/kselftest_install/${t%%:*}/${t#*:}" ] ||
		die "selftest $t was not built (see $OBJ/logs/selftests.log)"
done
