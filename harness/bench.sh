#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The native benchmark of a built vDSO image (see harness/bench/):
#
#	harness/bench.sh [PATH/vdso64.so] [vgetrandom_bench options]
#
# measures the image's vgetrandom() beside the host kernel's own vDSO
# getrandom() and the system call, and prints a table of medians. The
# image defaults to the one of the current kernel build (KERNEL=normal:
# build/obj-normal/arch/x86/entry/vdso/vdso64.so). Figures only: it fails
# only if the image cannot be loaded or computes wrong keystream.
. "$(dirname "$0")/common.sh"

vdso=$OBJ/arch/x86/entry/vdso/vdso64.so
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
	vdso=$1
	shift
fi
[ -f "$vdso" ] || die "no vDSO image at $vdso: build the kernel first"
[ "$(uname -m)" = x86_64 ] || die "the benchmark runs x86-64 images natively"

make -s --no-print-directory -C "$HARNESS/bench" O="$BUILD/bench"
exec "$BUILD/bench/vgetrandom_bench" "$@" "$vdso"
