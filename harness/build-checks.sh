#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make build-checks`: the builds a maintainer runs before taking the
# series, beyond the test configuration, each in build/obj-check-NAME:
#
#   tiny64  x86_64 tinyconfig, every option the series' code depends on
#           off (swap, memcg, MGLRU, KSM, userfaultfd, THP, NUMA);
#   compat  the test configuration with the 32-bit and x32 vDSOs:
#           the 64-bit vDSO exports getrandom, with unwind information
#           for every function, the other two do not export it;
#   tiny32  i386 tinyconfig: its vDSO builds and does not export it;
#   tiny64-arm64  arm64 tinyconfig, the same options off as tiny64;
#   compat-arm64  the arm64 test configuration with the 32-bit compat
#           vDSO (Debian's armhf cross compiler): the 64-bit vDSO exports
#           __kernel_getrandom, the compat one does not.
#
# None may warn in a file the series changes. Then W=1 and sparse (C=2)
# on every C file the series changes, in the test configuration, against
# the same files of the base kernel (build/obj-base, see check-base.sh):
# no warning the base does not give too. Last, the kernel's Sphinx
# build of the documentation folders the series touches. KTAP-style
# lines, then "N passed, N failed"; with RESULTS=FILE also "passed failed
# skipped".
. "$(dirname "$0")/common.sh"
[ "$ARCH" = x86_64 ] || die "build-checks builds for every architecture it names: run it without ARCH"

. "$HARNESS/results.sh"

. "$HARNESS/warnings.sh"

# build NAME ARCH FRAGMENT...: configure and build the kernel image for
# ARCH (see arch_settings in common.sh) in build/obj-check-NAME; 0 if it
# built with no warning in touched files.
build() {
	local name=$1 start=$SECONDS warnings
	arch_settings "$2"
	shift 2
	TREE=$SERIES_TREE OBJ=$BUILD/obj-check-$name
	. "$HARNESS/kbuild.sh"
	configure "$@" >/dev/null
	if ! kmake "$KIMAGE" >"$OBJ/logs/build.log" 2>&1; then
		grep -E 'error' "$OBJ/logs/build.log" | head -n 20 | sed 's/^/    /'
		result "$name: builds (see $OBJ/logs/build.log)" false
		return 1
	fi
	warnings=$(warnings_in_touched "$OBJ/logs/build.log")
	result "$name: builds, no warning in the series' files ($((SECONDS - start))s)" \
		none "$warnings"
}

# exports IMAGE: the dynamic symbols of a vDSO image (a path in $OBJ).
exports() { readelf -W --dyn-syms "$OBJ/$1" | awk 'NF >= 8 { print $8 }'; }
x86=arch/x86/entry/vdso arm64=arch/arm64/kernel
exports_getrandom() {
	exports $x86/vdso64.so | grep -qx '__vdso_getrandom@@LINUX_2.6' &&
		exports $x86/vdso64.so | grep -qx 'getrandom@@LINUX_2.6'
}
unwinds() {
	"$HARNESS/vdso-unwind.sh" "$OBJ/arch/x86/entry/vdso/$1" | sed 's/^/    /'
	return "${PIPESTATUS[0]}"
}
built_without_getrandom() {
	[ -f "$OBJ/$1" ] && ! exports "$1" | grep -q getrandom
}

config=$HARNESS/config
build tiny64 x86_64 "$config/tiny64.config" || true
if build compat x86_64 "$config/test.config" "$config/x86_64.config" \
	"$config/compat.config"; then
	result "compat: the 64-bit vDSO exports getrandom and __vdso_getrandom (LINUX_2.6)" \
		exports_getrandom
	result "compat: every function of vdso64.so has unwind information" \
		unwinds vdso64.so
	for image in vdso32.so vdsox32.so; do
		result "compat: $image is built and does not export getrandom" \
			built_without_getrandom "$x86/$image"
	done
fi
# x86_64's kbuild ARCH=x86 builds 32 bits when the configuration says so
if build tiny32 x86_64 "$config/tiny32.config"; then
	result "tiny32: vdso32.so is built and does not export getrandom" \
		built_without_getrandom $x86/vdso32.so
fi
build tiny64-arm64 arm64 "$config/tiny64.config" || true
export CROSS_COMPILE_COMPAT=arm-linux-gnueabihf-
if build compat-arm64 arm64 "$config/test.config" "$config/arm64.config" \
	"$config/compat-arm64.config"; then
	result "compat-arm64: the 64-bit vDSO exports __kernel_getrandom (LINUX_2.6.39)" \
		grep -qx '__kernel_getrandom@@LINUX_2.6.39' <(exports $arm64/vdso/vdso.so)
	result "compat-arm64: the compat vdso.so is built and does not export getrandom" \
		built_without_getrandom $arm64/vdso32/vdso.so
fi
unset CROSS_COMPILE_COMPAT
arch_settings x86_64

# W=1 and sparse on the series' C files that the test configuration
# builds, against the base's.
KERNEL=base "$HARNESS/assemble.sh" >/dev/null
KERNEL=base "$HARNESS/kernel.sh" >/dev/null
objects=$(for f in $touched; do
	case $f in *.c) [ ! -f "$BUILD/obj-normal/${f%.c}.o" ] || echo "${f%.c}.o" ;; esac
done)
# check KIND FLAGS: the objects with FLAGS, against the base's.
check() {
	result "$1: no new warning in $(wc -w <<<"$objects") objects of the series' files" \
		none "$(new_warnings "$1" "$2" "$BUILD/obj-normal" "$BUILD/obj-base" $objects)"
}
check W=1 W=1
command -v sparse >/dev/null || die "sparse is missing (make deps)"
check sparse C=2

# The series' documentation, with the kernel's own Sphinx build of the
# folders it touches (Debian's sphinx-build, which finds Debian's python3
# first): it must say nothing of the series' pages, and build each of them.
docs=$(git -C "$SERIES_TREE" diff --name-only base series -- 'Documentation/*.rst')
dirs=$(for f in $docs; do f=${f#Documentation/}; echo "${f%%/*}"; done | sort -u)
OBJ=$BUILD/obj-docs
docs_clean() {
	local f
	PATH=/usr/bin:$PATH make -C "$SERIES_TREE" O="$OBJ" SPHINXDIRS="$dirs" \
		htmldocs >"$BUILD/logs/htmldocs.log" 2>&1 || return 1
	none "$(grep -F "$docs" "$BUILD/logs/htmldocs.log")" || return 1
	for f in $docs; do
		f=${f#Documentation/}
		[ -f "$OBJ/Documentation/output/${f%.rst}.html" ] || return 1
	done
}
result "htmldocs of $(echo $dirs): the series' pages build, with no warning" docs_clean

results_end
