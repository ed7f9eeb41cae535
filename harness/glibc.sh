#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch glibc 2.41 (Debian 13 "trixie"'s libc6) for $ARCH and unpack it
# (debs.sh), so that a program can be run under its dynamic loader:
#
#   $ROOT/$GLIBC_LOADER --library-path $ROOT/usr/lib/$TRIPLET PROGRAM
#
# that is, on x86_64 (see arch_settings in common.sh):
#
#   $ROOT/usr/lib64/ld-linux-x86-64.so.2 \
#	--library-path $ROOT/usr/lib/x86_64-linux-gnu PROGRAM
#
# Usage: glibc.sh [ROOT]   (default: $GLIBC_ROOT, in the harness cache)
. "$(dirname "$0")/common.sh"

ROOT=${1:-$GLIBC_ROOT}
WANT=2.41

"$HARNESS/debs.sh" "$ROOT" trixie "$DEB_ARCH" libc6
version=$(awk '$1 == "libc6" { print $2 }' "$ROOT.packages")
case $version in
"$WANT"-*) ;;
*) die "glibc: trixie's libc6 is '$version', not $WANT" ;;
esac
[ -x "$ROOT/$GLIBC_LOADER" ] || die "glibc: libc6 $version has no $GLIBC_LOADER"
say "glibc: libc6 $version ($DEB_ARCH) in $ROOT"
