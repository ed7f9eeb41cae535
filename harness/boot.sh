#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot the kernel of variant $KERNEL in QEMU with its initramfs, stream
# the KTAP results, and fail on any failing or missing test, a timeout, a
# panic or a kernel splat (harness/ktap-report.awk decides).
. "$(dirname "$0")/common.sh"

case $KERNEL in
debug) timeout=${BOOT_TIMEOUT:-2400} ;;
*) timeout=${BOOT_TIMEOUT:-900} ;;
esac
if [ -w /dev/kvm ]; then accel=kvm; else accel=tcg; fi
log=$BUILD/console-$KERNEL.log
expected=$(grep -v '^#' "$HARNESS/suite" | tr '\n' ' ')

say "boot: qemu ($accel, $KERNEL kernel, time limit ${timeout}s)"
start=$SECONDS
set +e
timeout --foreground "$timeout" qemu-system-x86_64 \
	-accel "$accel" -cpu max -smp 2 -m 2G \
	-kernel "$OBJ/arch/x86/boot/bzImage" \
	-initrd "$BUILD/initramfs-$KERNEL.cpio.gz" \
	-append "console=ttyS0 panic=-1 oops=panic" \
	-device virtio-rng-pci \
	-display none -monitor none -serial stdio -no-reboot </dev/null 2>&1 |
	tee "$log" |
	awk -v expected="$expected" -v console_log="$log" -v results="${RESULTS:-}" \
		-f "$HARNESS/ktap-report.awk"
status=("${PIPESTATUS[@]}")
set -e
[ "${status[0]}" != 124 ] || say "boot: TIMED OUT after ${timeout}s"
say "boot: done in $((SECONDS - start))s"
if [ "${status[0]}" != 0 ]; then
	[ "${status[0]}" = 124 ] || say "boot: qemu exited with status ${status[0]}"
	exit 1
fi
exit "${status[2]}"
