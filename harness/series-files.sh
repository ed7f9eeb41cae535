#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# List the kernel files this repository holds for the series, as kernel
# paths (PATH.diff is listed as PATH): every file that is neither the
# harness nor the project's own top-level files.
. "$(dirname "$0")/common.sh"
cd "$TOP"
git ls-files --cached --others --exclude-standard |
	grep -v -e '^harness/' -e '^\.ci/' -e '^\.gitignore$' \
		-e '^Makefile$' -e '^README\.md$' -e '^SERIES$' |
	while read -r f; do
		[ -e "$f" ] && printf '%s\n' "${f%.diff}"
	done
