# SPDX-License-Identifier: GPL-2.0
# Shared settings and helpers for the harness scripts; sourced, not run.

set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HARNESS=$TOP/harness
BUILD=${BUILD:-$TOP/build}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vgetrandom-6.1}

# The base: Debian's kernel source package, pinned.
BASE_PACKAGE=linux-source-6.1
BASE_VERSION=6.1.192-3
BASE_SHA256=5259c57ca92092da39bd2ea803046da0e3c28f2b6a11ea20f6297468188ceb67

# The source under the series: Debian's linux-source-6.1 at the pin
# (SOURCE=debian), or the upstream stable release that it packages
# (SOURCE=vanilla: Debian's .orig tarball, without Debian's patches). The
# base commit is BASE_REF of the cache's base.git (see source.sh); each
# source has its own trees, suffixed -vanilla.
SOURCE=${SOURCE:-debian}
case $SOURCE in
debian) BASE_REF=refs/heads/base source_suffix= ;;
vanilla) BASE_REF=refs/tags/vanilla/${BASE_VERSION%-*} source_suffix=-vanilla ;;
*) printf 'error: SOURCE must be debian or vanilla, not %s\n' "$SOURCE" >&2; exit 1 ;;
esac

# arch_settings ARCH: set what differs between the architectures the
# harness builds and boots; the rest of the harness reads only these
# variables, and harness/config/ARCH.config holds each one's kernel
# options. The harness runs on an x86-64 Debian 12 host: x86_64 is
# native, arm64 is cross-compiled with Debian's cross compiler and booted
# under TCG.
#
#   KARCH          kbuild's ARCH
#   CROSS_COMPILE  kbuild's CROSS_COMPILE (the harness's programs too)
#   KIMAGE         the kernel image: make target, arch/$KARCH/boot/$KIMAGE
#   UNWIND_VDSO    the vDSO image whose unwind information is checked
#                  after each build (vdso-unwind.sh), or none
#   QEMU QEMU_MACHINE QEMU_TCG_CPU  the emulator, its -M and its -cpu
#   KVM_CPU        -cpu under KVM, or empty where KVM cannot run the guest
#   CONSOLE        the serial console's device name in the guest
#   DEB_ARCH TRIPLET  Debian's name of the architecture, its multiarch
#                  triplet
#   GLIBC_LOADER   the dynamic loader's path in Debian's libc6 2.41 package
#   USERLAND       the root whose busybox, coreutils' timeout, rngtest and
#                  libraries the guest gets (initramfs.sh): the host's,
#                  or Debian 12's packages of the architecture, fetched
#   arch_suffix    suffix of the architecture's outputs (build/obj-*, ...)
arch_settings() {
	case $1 in
	x86_64)
		# kbuild's ARCH=x86: the configuration's CONFIG_64BIT picks
		# 64 or 32 bits (build-checks.sh's i386 build)
		KARCH=x86 CROSS_COMPILE= KIMAGE=bzImage
		UNWIND_VDSO=arch/x86/entry/vdso/vdso64.so
		QEMU=qemu-system-x86_64 QEMU_MACHINE=pc QEMU_TCG_CPU=max KVM_CPU=host
		CONSOLE=ttyS0
		DEB_ARCH=amd64 TRIPLET=x86_64-linux-gnu
		GLIBC_LOADER=usr/lib64/ld-linux-x86-64.so.2
		USERLAND=/
		arch_suffix= ;;
	arm64)
		KARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- KIMAGE=Image
		# none: 6.1's arm64 vDSO discards .eh_frame (vdso.lds.S), so
		# there is no unwind information to check
		UNWIND_VDSO=
		# pauth-impdef: QEMU's own pointer authentication hash, which
		# programs cannot tell from the architected QARMA5 but which
		# TCG runs about 4 times faster
		QEMU=qemu-system-aarch64 QEMU_MACHINE=virt
		QEMU_TCG_CPU=max,pauth-impdef=on KVM_CPU=
		CONSOLE=ttyAMA0
		DEB_ARCH=arm64 TRIPLET=aarch64-linux-gnu
		GLIBC_LOADER=usr/lib/ld-linux-aarch64.so.1
		USERLAND=$CACHE/userland-arm64/root
		arch_suffix=-arm64 ;;
	*)
		printf 'error: ARCH must be x86_64 or arm64, not %s\n' "$1" >&2
		return 1 ;;
	esac
}
ARCH=${ARCH:-x86_64}
arch_settings "$ARCH" || exit 1

SERIES_TREE=$BUILD/linux$source_suffix	# the assembled git tree: base + series
KERNEL=${KERNEL:-normal}	# kernel variant: normal, debug, base or debian
# The tree the variant's kernel is built from. The base variant is the
# base kernel with only the series' selftests, to show that they fail
# without the series (see assemble.sh). Both architectures build from
# the same trees.
case $KERNEL in
base) TREE=$BUILD/linux$source_suffix-base ;;
*) TREE=$SERIES_TREE ;;
esac
# What is built and run for a source and an architecture is suffixed
# with both: build/obj-normal, build/obj-normal-vanilla-arm64.
suffix=$source_suffix$arch_suffix
# The tests the guest runs: harness/suite, or harness/stress-suite for
# `make stress`; the console log of a run is build/console-$RUN.log.
SUITE=${SUITE:-suite}
RUN=$KERNEL$suffix
[ "$SUITE" = suite ] || RUN=$RUN-${SUITE%-suite}
OBJ=$BUILD/obj-$KERNEL$suffix	# kbuild output for that variant
INITRAMFS=$BUILD/initramfs-$KERNEL$suffix	# the guest's root, and .cpio.gz
# Debian 13's glibc 2.41 for the architecture, unpacked (glibc.sh)
GLIBC_ROOT=${GLIBC_ROOT:-$CACHE/glibc-2.41$arch_suffix/root}
JOBS=${JOBS:-$(nproc)}

# Fixed identity and dates make the assembled commits reproducible:
# the same inputs give the same commit ids on every machine.
export GIT_AUTHOR_NAME="vgetrandom-6.1 harness"
export GIT_AUTHOR_EMAIL="harness@vgetrandom-6.1.invalid"
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME
export GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z"
export GIT_COMMITTER_DATE=$GIT_AUTHOR_DATE

# suite_tests FILE: the tests of a suite (harness/suite) that run on
# $ARCH. A line is COLLECTION:TEST, or COLLECTION:TEST ARCH... for a test
# that is built only on those architectures; # starts a comment.
suite_tests() {
	awk -v arch="$ARCH" '!/^#/ && NF {
		for (i = 2; i <= NF && $i != arch; i++)
			;
		if (NF == 1 || i <= NF)
			print $1
	}' "$1"
}

say() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# step LABEL LOG CMD...: run a long command quietly with its output in LOG,
# print one line when it ends, and the tail of LOG if it fails.
step() {
	local label=$1 log=$2 start=$SECONDS
	shift 2
	printf '%s ...\n' "$label"
	mkdir -p "$(dirname "$log")"
	if "$@" >"$log" 2>&1; then
		printf '%s: done in %ds\n' "$label" $((SECONDS - start))
	else
		printf '%s: FAILED after %ds; last lines of %s:\n' \
			"$label" $((SECONDS - start)) "$log" >&2
		tail -n 40 "$log" >&2
		exit 1
	fi
}
