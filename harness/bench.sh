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
#
# With ARCH=arm64 (make bench ARCH=arm64) it runs the assembled tree's
# arm64 block function under qemu-aarch64-static instead: no timings,
# which need arm64 hardware, but a check against a C ChaCha20 and the
# instruction counts of its loop beside a one-block-per-iteration loop
# (harness/bench/chacha_arm64.c).
. "$(dirname "$0")/common.sh"

if [ "${ARCH:-}" = arm64 ]; then
	exec make -s --no-print-directory -C "$HARNESS/bench" \
		O="$BUILD/bench-arm64" KSRC="$SERIES_TREE" arm64
fi

vdso=$OBJ/arch/x86/entry/vdso/vdso64.so
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
	vdso=$1
	shift
fi
[ -f "$vdso" ] || die "no vDSO image at $vdso: build the kernel first"
[ "$(uname -m)" = x86_64 ] || die "the benchmark runs x86-64 images natively"

make -s --no-print-directory -C "$HARNESS/bench" O="$BUILD/bench"
exec "$BUILD/bench/vgetrandom_bench" "$@" "$vdso"
