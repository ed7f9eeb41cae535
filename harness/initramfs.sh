#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Pack the guest's initramfs for variant $KERNEL and $ARCH: busybox, the
# init, the installed selftests, the harness's programs and the shared
# libraries they need, from $USERLAND (see arch_settings in common.sh).
. "$(dirname "$0")/common.sh"

root=$INITRAMFS
out=$INITRAMFS.cpio.gz
# The host's user space for x86_64 (deps.sh installs it), else Debian
# 12's packages for the architecture.
[ "$USERLAND" = / ] || "$HARNESS/debs.sh" "$USERLAND" bookworm "$DEB_ARCH" \
	busybox-static coreutils rng-tools5 libc6
rm -rf "$root"
mkdir -p "$root"/{bin,usr/bin,dev,proc,sys,tmp}
cp "$USERLAND/bin/busybox" "$root/bin/busybox"
cp "$HARNESS/initramfs/init" "$root/init"
cp "$HARNESS/initramfs/durations.awk" "$root/durations.awk"
suite_tests "$HARNESS/$SUITE" >"$root/suite"
cp -a "$OBJ/kselftest/kselftest_install" "$root/kselftest"

# The harness's programs, built with the architecture's compiler against
# its glibc (Debian 12's 2.36).
build_programs() {	# build_programs FOLDER
	make -s -C "$HARNESS/$1" CC="${CROSS_COMPILE}gcc" O="$BUILD/$1$arch_suffix"
}

# The collection "glibc": glibc_client, run under Debian 13's glibc 2.41.
# On the series' kernel it must see glibc use vgetrandom(); on the base,
# the fallback to the syscall.
"$HARNESS/glibc.sh"
build_programs glibc-client
mkdir -p "$root/opt/glibc-2.41" "$root/kselftest/glibc"
cp "$GLIBC_ROOT/$GLIBC_LOADER" "$GLIBC_ROOT/usr/lib/$TRIPLET/libc.so.6" \
	"$BUILD/glibc-client$arch_suffix/glibc_client" "$root/opt/glibc-2.41/"
case $KERNEL in
base) expect=fallback ;;
*) expect=vdso ;;
esac
cat >"$root/kselftest/glibc/glibc_client" <<EOF
#!/bin/sh
# harness/glibc-client/glibc_client under glibc 2.41's dynamic loader
exec /opt/glibc-2.41/${GLIBC_LOADER##*/} --library-path /opt/glibc-2.41 \\
	/opt/glibc-2.41/glibc_client --expect=$expect "\$@"
EOF
chmod +x "$root/kselftest/glibc/glibc_client"
echo timeout=900 >"$root/kselftest/glibc/settings"
echo glibc:glibc_client >>"$root/kselftest/kselftest-list.txt"

# The collection "stress" (harness/stress/README): each program as NAME,
# its full run with a time budget, and as NAME_quick, a fast subset.
build_programs stress
mkdir -p "$root/opt/stress" "$root/kselftest/stress" "$root/usr/bin"
cp "$BUILD/stress$arch_suffix/vgetrandom_stress" \
	"$BUILD/stress$arch_suffix/droppable_stress" "$root/opt/stress/"
cp "$USERLAND/usr/bin/rngtest" "$root/usr/bin/"
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

# The collection "regress" (regress.sh), when the suite has it: 6.1's vm
# and cgroup selftests built in full (the helpers of run_vmtests.sh too,
# which kernel.sh leaves out), each test of the suite run by the guest's
# harness/initramfs/regress, and bash, which run_vmtests.sh needs.
if grep -q '^regress:' "$root/suite"; then
	regress_build() {
		make -C "$TREE/tools/testing/selftests" O="$OBJ" ARCH="$KARCH" \
			CROSS_COMPILE="$CROSS_COMPILE" TARGETS="vm cgroup" \
			KSFT_INSTALL_PATH="$OBJ/regress_install" install
	}
	step "build: 6.1's vm and cgroup selftests in full" "$OBJ/logs/regress.log" regress_build
	cp -a "$OBJ/regress_install" "$root/opt/regress"
	cp "$HARNESS/initramfs/regress" "$root/bin/regress"
	cp "$USERLAND/bin/bash" "$root/bin/bash"
	# what the tests use without linking it: pthread_cancel() loads
	# libgcc_s (userfaultfd), va_128TBswitch.sh reads the configuration
	mkdir -p "$root/lib/$TRIPLET" "$root/boot"
	cp -L "$USERLAND/lib/$TRIPLET/libgcc_s.so.1" "$root/lib/$TRIPLET/"
	cp "$OBJ/.config" "$root/boot/config-$(cat "$OBJ/include/config/kernel.release")"
	mkdir -p "$root/kselftest/regress"
	for t in $(sed -n 's/^regress://p' "$root/suite"); do
		printf '#!/bin/sh\nexec /bin/regress %s\n' "$t" >"$root/kselftest/regress/$t"
		chmod +x "$root/kselftest/regress/$t"
		echo "regress:$t" >>"$root/kselftest/kselftest-list.txt"
	done
	echo timeout=3600 >"$root/kselftest/regress/settings"
fi

# The kernel's own collections have 6.1's 45-second limit per test, which
# the debug kernel under TCG on a loaded machine comes near (droppable
# needs about 45 s there): give them a limit with room for that.
for c in vDSO vm; do
	[ ! -d "$root/kselftest/$c" ] || echo timeout=300 >"$root/kselftest/$c/settings"
done

for t in $(cat "$root/suite"); do
	[ -x "$root/kselftest/${t%%:*}/${t#*:}" ] ||
		die "selftest $t was not built (see $OBJ/logs/selftests.log)"
done
# The kselftest runner gives each test a time limit when coreutils'
# timeout is there (busybox's lacks --foreground).
cp "$USERLAND/usr/bin/timeout" "$root/usr/bin/timeout"

# The shared libraries and loaders of every dynamically linked program.
"$HARNESS/elf-libs.sh" "$root" "$USERLAND" "$TRIPLET"

printf 'nod /dev/console 0600 0 0 c 5 1\n' >"$INITRAMFS.spec"
(cd "$OBJ" && sh "$TREE/usr/gen_initramfs.sh" -o "$root.cpio" \
	-u squash -g squash "$root" "$INITRAMFS.spec")
gzip -n -f "$root.cpio"
say "initramfs: $(du -h "$out" | cut -f1) $out"
