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
cp "$HARNESS/initramfs/durations.awk" "$root/durations.awk"
cp "$HARNESS/$SUITE" "$root/suite"
cp -a "$OBJ/kselftest/kselftest_install" "$root/kselftest"

# The collection "glibc": glibc_client, built here against the host's
# glibc, run under Debian 13's glibc 2.41. On the series' kernel it must
# see glibc use vgetrandom(); on the base, the fallback to the syscall.
"$HARNESS/glibc.sh"
glibc=$CACHE/glibc-2.41/root
make -s -C "$HARNESS/glibc-client" O="$BUILD/glibc-client"
mkdir -p "$root/opt/glibc-2.41" "$root/kselftest/glibc"
cp "$glibc/usr/lib64/ld-linux-x86-64.so.2" \
	"$glibc/usr/lib/x86_64-linux-gnu/libc.so.6" \
	"$BUILD/glibc-client/glibc_client" "$root/opt/glibc-2.41/"
case $KERNEL in
base) expect=fallback ;;
*) expect=vdso ;;
esac
cat >"$root/kselftest/glibc/glibc_client" <<EOF
#!/bin/sh
# harness/glibc-client/glibc_client under glibc 2.41's dynamic loader
exec /opt/glibc-2.41/ld-linux-x86-64.so.2 --library-path /opt/glibc-2.41 \\
	/opt/glibc-2.41/glibc_client --expect=$expect "\$@"
EOF
chmod +x "$root/kselftest/glibc/glibc_client"
echo timeout=900 >"$root/kselftest/glibc/settings"
echo glibc:glibc_client >>"$root/kselftest/kselftest-list.txt"

# The collection "stress" (harness/stress/README): each program as NAME,
# its full run with a time budget, and as NAME_quick, a fast subset.
make -s -C "$HARNESS/stress" O="$BUILD/stress"
mkdir -p "$root/opt/stress" "$root/kselftest/stress" "$root/usr/bin"
cp "$BUILD/stress/vgetrandom_stress" "$BUILD/stress/droppable_stress" \
	"$root/opt/stress/"
cp /usr/bin/rngtest "$root/usr/bin/"
for prog in vgetrandom_stress droppable_stress; do
	for name in "$prog" "${prog}_quick"; do
		case $name in
		*_quick) args=--quick ;;
		*) args="--seconds 60" ;;
		esac
		[ "$prog" != vgetrandom_stress ] || args="$args --rngtest /usr/bin/rngtest"
		printf '#!/bin/sh\nexec /opt/stress/%s %s "$@"\n' "$prog" "$args" \
			>"$root/kselftest/stress/$name"
		chmod +x "$root/kselftest/stress/$name"
		echo "stress:$name" >>"$root/kselftest/kselftest-list.txt"
	done
done
echo timeout=1800 >"$root/kselftest/stress/settings"

# The kernel's own collections have 6.1's 45-second limit per test, which
# the debug kernel under TCG on a loaded machine comes near (droppable
# needs about 45 s there): give them a limit with room for that.
for c in vDSO vm; do
	[ ! -d "$root/kselftest/$c" ] || echo timeout=300 >"$root/kselftest/$c/settings"
done

for t in $(grep -v '^#' "$HARNESS/$SUITE"); do
	[ -x "$root/kselftest/${t%%:*}/${t#*:}" ] ||
		die "selftest $t was not built (see $OBJ/logs/selftests.log)"
done
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
