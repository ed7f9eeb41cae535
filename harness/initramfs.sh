#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Pack the guest's initramfs for variant $KERNEL: busybox, the init, the
# installed selftests and the shared libraries they need.
. "$(dirname "$0")/common.sh"

root=$BUILD/initramfs-$KERNEL
out=$BUILD/initramfs-$KERNEL.cpio.gz
rm -rf "$root"
mkdir -p "$root"/{bin,usr/bin,dev,proc,sys,tmp}
cp /bin/busybox "$root/bin/busybox"
cp "$HARNESS/initramfs/init" "$root/init"
cp "$HARNESS/suite" "$root/suite"
cp -a "$OBJ/kselftest/kselftest_install" "$root/kselftest"
# The kselftest runner gives each test a time limit when coreutils'
# timeout is there (busybox's lacks --foreground).
cp /usr/bin/timeout "$root/usr/bin/timeout"

# Shared libraries of every dynamically linked program.
find "$root" -type f -perm -u+x -exec ldd {} + 2>/dev/null |
	grep -o '^[[:space:]].*/[^ ]* (0x' | grep -o '/[^ ]*' | sort -u |
	while read -r lib; do
		cp -L --parents "$lib" "$root"
	done

printf 'nod /dev/console 0600 0 0 c 5 1\n' >"$BUILD/initramfs-$KERNEL.spec"
(cd "$OBJ" && sh "$TREE/usr/gen_initramfs.sh" -o "$root.cpio" \
	-u squash -g squash "$root" "$BUILD/initramfs-$KERNEL.spec")
gzip -n -f "$root.cpio"
say "initramfs: $(du -h "$out" | cut -f1) $out"
