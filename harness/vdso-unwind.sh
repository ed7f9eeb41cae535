#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vdso-unwind.sh IMAGE [SYMBOLS]: check that every function of a vDSO
# image can be unwound through: each FUNC symbol of .text, over its whole
# size, and each label of .text (such as a second entry point inside a
# function) must lie in the range of an FDE of the image's .eh_frame.
# Without one, glibc's backtrace(), the forced unwinding of
# pthread_cancel() and perf's DWARF call graphs stop in that function.
#
# The FDEs are read from IMAGE, the stripped image the kernel maps; the
# symbols from SYMBOLS (default: IMAGE.dbg when it exists, which has the
# full symbol table, else IMAGE, whose dynamic symbols are the exported
# ones). Prints each symbol that is not covered and fails if there is
# one, or if it finds no FDE or no symbol at all.
set -eu

image=$1
symbols=${2:-$image.dbg}
[ -f "$symbols" ] || symbols=$image
[ -f "$image" ] || { echo "$image: no such file"; exit 1; }

# The ranges the FDEs cover, as "start end" in hex, end excluded.
fdes=$(readelf -W --debug-dump=frames "$image" |
	sed -n 's/.* FDE .*pc=\([0-9a-f]*\)\.\.\([0-9a-f]*\).*/\1 \2/p')
# The section number of .text in SYMBOLS.
text=$(readelf -W -S "$symbols" |
	sed -n 's/^ *\[ *\([0-9]*\)\] \.text .*/\1/p')
[ -n "$text" ] || { echo "$symbols: no .text section"; exit 1; }

# Symbol table lines: "Num: Value Size Type Bind Vis Ndx Name". Both
# tables are read; a symbol in both is checked twice, harmlessly.
readelf -W -s "$symbols" |
	awk -v text="$text" -v fdes="$fdes" -v image="${image##*/}" '
	# hex(S): the value of the hexadecimal digits S (mawk has no
	# strtonum; vDSO addresses are far below 2^53).
	function hex(s,    v, i) {
		s = tolower(s)
		sub(/^0x/, "", s)
		for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v
	}
	BEGIN {
		n = split(fdes, f, /[ \n]/)
		for (i = 1; i + 1 <= n; i += 2) {
			nfde++
			lo[nfde] = hex(f[i])
			hi[nfde] = hex(f[i + 1])
		}
	}
	# covered(A, B): whether [A, B) is inside one FDE range (a symbol
	# of size 0 needs its address covered).
	function covered(a, b,    i) {
		for (i = 1; i <= nfde; i++)
			if (lo[i] <= a && (b <= hi[i] || (a == b && a < hi[i])))
				return 1
		return 0
	}
	$1 ~ /^[0-9]+:$/ && $7 == text && $8 != "" &&
	($4 == "FUNC" || $4 == "NOTYPE") {
		name = $8
		sub(/@.*/, "", name)
		if (seen[name]++)
			next
		start = hex($2)
		size = $3 ~ /^0x/ ? hex($3) : $3 + 0
		checked++
		if (!covered(start, start + size)) {
			printf "%s: %s %s at %#x, size %d, is not covered by an FDE in .eh_frame\n",
				image, tolower($4), name, start, size
			bad++
		}
	}
	END {
		if (!nfde) {
			printf "%s: no FDE in .eh_frame\n", image
			exit 1
		}
		if (!checked) {
			printf "%s: no function in .text\n", image
			exit 1
		}
		printf "%s: %d of %d text symbols covered by .eh_frame (%d FDEs)\n",
			image, checked - bad, checked, nfde
		exit bad > 0
	}'
