#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# elf-libs.sh ROOT USERLAND TRIPLET: copy into ROOT, at the same paths,
# the shared libraries (DT_NEEDED) and dynamic loaders (PT_INTERP) that
# the ELF files of ROOT need, and those that these need in turn, taken
# from USERLAND (a root folder: / for the host's) and its folders
# lib/TRIPLET and usr/lib/TRIPLET. readelf reads the ELF files of any
# architecture, where ldd runs only the host's. Fails naming a library
# that USERLAND lacks.
. "$(dirname "$0")/common.sh"

[ $# = 3 ] || die "usage: elf-libs.sh ROOT USERLAND TRIPLET"
root=$1 userland=${2%/} triplet=$3

needs() {	# needs FILE...: what they need, as paths in $userland
	local lib dir
	readelf -d "$@" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p' |
		sort -u | while read -r lib; do
			for dir in /lib/$triplet /usr/lib/$triplet ""; do
				[ ! -e "$userland$dir/$lib" ] || break
			done
			echo "$dir/$lib"	# ("/LIB" when not found)
		done
	readelf -l "$@" 2>/dev/null |
		sed -n 's/.*program interpreter: \(.*\)\]$/\1/p' | sort -u
}
new=$(find "$root" -type f)
while [ -n "$new" ]; do
	new=$(for path in $(needs $new); do
		[ ! -e "$root$path" ] || continue
		[ -e "$userland$path" ] || die "no ${path##*/} for $triplet in ${userland:-/}"
		mkdir -p "$root${path%/*}"
		cp -L "$userland$path" "$root$path"
		echo "$root$path"
	done)
done
