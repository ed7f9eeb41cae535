#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot the kernel of variant $KERNEL for $ARCH in QEMU (see arch_settings
# in common.sh) with its initramfs, stream the KTAP results, and fail on
# any failing or missing test, a timeout, a panic or a kernel splat
# (harness/ktap-report.awk decides).
. "$(dirname "$0")/common.sh"

case $KERNEL in
debug | debian) timeout=${BOOT_TIMEOUT:-2400} ;;
*) timeout=${BOOT_TIMEOUT:-900} ;;
esac
kernel=$OBJ/arch/$KARCH/boot/$KIMAGE
# KVM when it works: a /dev/kvm can be there and still fail (nested
# virtualisation that refuses an MSR, or never runs the guest). Try it on
# the first lines of this kernel's boot; TCG otherwise, and always for an
# architecture that is not the host's (no KVM_CPU).
kvm_works() {
	local probe=$BUILD/kvm-probe.log i
	rm -f "$probe"
	timeout 10 "$QEMU" -M "$QEMU_MACHINE" -accel kvm -cpu "$KVM_CPU" -m 256M \
		-kernel "$kernel" -append "console=$CONSOLE" \
		-display none -monitor none -serial "file:$probe" -no-reboot \
		</dev/null >/dev/null 2>&1 &
	for i in $(seq 50); do
		sleep 0.2
		grep -q 'Linux version' "$probe" 2>/dev/null && break
		kill -0 $! 2>/dev/null || break
	done
	kill $! 2>/dev/null
	wait $! 2>/dev/null
	grep -q 'Linux version' "$probe" 2>/dev/null
}
accel=tcg cpu=$QEMU_TCG_CPU
if [ -n "$KVM_CPU" ] && [ -w /dev/kvm ]; then
	if kvm_works 2>/dev/null; then
		accel=kvm cpu=$KVM_CPU
	else
		say "boot: /dev/kvm is there but does not run a guest: TCG"
	fi
fi
log=$BUILD/console-$RUN.log
expected=$(suite_tests "$HARNESS/$SUITE" | tr '\n' ' ')
known=$(awk -v arch="$ARCH" '$1 == arch { print $2 ":" $3 }' \
	"$HARNESS/known-failures" | tr '\n' ' ')

say "boot: $QEMU ($accel, $KERNEL kernel, time limit ${timeout}s)"
start=$SECONDS
set +e
# memfd_secret(), off by default in 6.1, for 6.1's test of it (regress.sh).
# Two CPUs on two NUMA nodes of 1 GiB each, so that SMP and NUMA paths run
# (ktap-report.awk fails a guest that came up with fewer); a socket each,
# as a node cannot split the caches a socket's cores share.
timeout --foreground "$timeout" "$QEMU" -M "$QEMU_MACHINE" \
	-accel "$accel" -cpu "$cpu" -smp 2,sockets=2 -m 2G \
	-object memory-backend-ram,id=mem0,size=1G -numa node,nodeid=0,cpus=0,memdev=mem0 \
	-object memory-backend-ram,id=mem1,size=1G -numa node,nodeid=1,cpus=1,memdev=mem1 \
	-kernel "$kernel" -initrd "$INITRAMFS.cpio.gz" \
	-append "console=$CONSOLE panic=-1 oops=panic secretmem.enable=1" \
	-device virtio-rng-pci \
	-display none -monitor none -serial stdio -no-reboot </dev/null 2>&1 |
	tee "$log" |
	awk -v expected="$expected" -v known="$known" -v console_log="$log" \
		-v results="${RESULTS:-}" -f "$HARNESS/ktap-report.awk"
status=("${PIPESTATUS[@]}")
set -e
[ "${status[0]}" != 124 ] || say "boot: TIMED OUT after ${timeout}s"
say "boot: done in $((SECONDS - start))s"
if [ "${status[0]}" != 0 ]; then
	[ "${status[0]}" = 124 ] || say "boot: qemu exited with status ${status[0]}"
	exit 1
fi
exit "${status[2]}"
