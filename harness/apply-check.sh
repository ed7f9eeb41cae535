#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make apply-check` (in `make series-check`): apply the exported series
# (build/series, `make export`) with git am to a clean tree of each 6.1
# base there is, and print a table: one row per base, one column per
# patch, each cell "applies", "offsets" (applies, some hunks moved) or
# "FAILS (FILE)", "-" after a failure.
#
# The bases: every linux-source-6.1 version the machine's apt index lists
# (Debian's 6.1 with its own patches), and upstream stable 6.1.y from the
# .orig tarballs in Debian's deb-src indexes (source.sh): the oldest from
# VANILLA_FROM (6.1.164; the index also keeps a few much older tarballs
# for Built-Using), the newest, and that of the pin; VANILLA=all takes
# every one from VANILLA_FROM on. Each is downloaded once (the cache).
#
# Fails if the series does not apply on the pinned base, the newest
# Debian one, or the upstream release of either; a row that fails
# otherwise, or whose source the archive does not serve, is reported and
# counted as skipped, not as passed. Ends with
# "N passed, N failed"; with RESULTS=FILE also "passed failed skipped".
. "$(dirname "$0")/common.sh"

patches=$(ls "$BUILD"/series/0*-*.patch 2>/dev/null | grep -v /0000-cover-letter.patch) ||
	die "no exported series in $BUILD/series: run 'make export' first"
from=${VANILLA_FROM:-6.1.164}

debian=$(apt-cache madison "$BASE_PACKAGE" | awk '{ print $3 }' | sort -uV)
[ -n "$debian" ] || die "apt knows no $BASE_PACKAGE"
newest_debian=$(tail -n 1 <<<"$debian")
upstream=$("$HARNESS/source.sh" vanilla-list |
	awk -v from="$from" '{ split($0, v, "."); split(from, f, ".") }
		v[3] + 0 >= f[3] + 0')
[ -n "$upstream" ] || die "no 6.1 .orig tarball from $from on in the deb-src indexes"
pinned_upstream=${BASE_VERSION%-*}
newest_upstream=${newest_debian%-*}
vanilla=$upstream
[ "${VANILLA:-}" = all ] ||
	vanilla=$(printf '%s\n' "$(head -n 1 <<<"$upstream")" "$(tail -n 1 <<<"$upstream")" \
		"$pinned_upstream" "$newest_upstream" | sort -uV | grep -xF -f <(echo "$upstream"))

required() {	# required KIND VERSION: must the series apply there?
	case $1/$2 in
	"debian/$BASE_VERSION" | "debian/$newest_debian") return 0 ;;
	"vanilla/$pinned_upstream" | "vanilla/$newest_upstream") return 0 ;;
	esac
	return 1
}

cd "$SERIES_TREE"
wt=$BUILD/apply-check
if [ ! -d "$wt" ]; then
	git worktree prune
	git worktree add -q --detach "$wt" base
fi
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
pass=0 fail=0 skip=0
for base in $(printf 'debian/%s\n' $debian; printf 'vanilla/%s\n' $vanilla); do
	kind=${base%%/*} version=${base#*/}
	# A source the archive does not serve (source.sh said why) is not
	# the series failing: a skip, with the reason above the table.
	commit=$("$HARNESS/source.sh" "$kind" "$version") || {
		printf '%s\tcannot be had\n' "$base" >>"$rows"
		skip=$((skip + 1))
		continue
	}
	git fetch -q "$CACHE/base.git" "refs/tags/$base"
	git -C "$wt" am --abort >/dev/null 2>&1 || true
	git -C "$wt" checkout -q -f --detach "$commit"
	git -C "$wt" clean -q -fdx
	row=$base ok=1
	for patch in $patches; do
		if [ "$ok" = 0 ]; then
			row="$row	-"
			continue
		fi
		check=$(git -C "$wt" apply --check -v "$patch" 2>&1 || true)
		if git -C "$wt" am -q "$patch" >/dev/null 2>&1; then
			if grep -q 'succeeded at .*(offset' <<<"$check"; then
				row="$row	offsets"
			else
				row="$row	applies"
			fi
		else
			git -C "$wt" am --abort >/dev/null 2>&1 || true
			file=$(sed -n 's/^error: patch failed: \([^:]*\):.*/\1/p; s/^error: \([^:]*\): does not exist in index$/\1/p' \
				<<<"$check" | head -n 1)
			row="$row	FAILS (${file:-?})"
			ok=0
		fi
	done
	printf '%s\n' "$row" >>"$rows"
	if [ "$ok" = 1 ]; then
		pass=$((pass + 1))
	elif required "$kind" "$version"; then
		fail=$((fail + 1))
	else
		skip=$((skip + 1))
	fi
done

# The table, columns as wide as their widest cell.
{
	printf 'base'
	n=0
	for patch in $patches; do
		n=$((n + 1))
		printf '\tpatch %d' "$n"
	done
	printf '\n'
	cat "$rows"
} | awk -F '\t' '{ for (i = 1; i <= NF; i++) { cell[NR, i] = $i
		if (length($i) > w[i]) w[i] = length($i) } n[NR] = NF }
	END { for (r = 1; r <= NR; r++) { line = ""
		for (i = 1; i <= n[r]; i++) line = line sprintf("%-*s  ", w[i], cell[r, i])
		sub(/ +$/, "", line); print line } }'
git log --reverse --format=%s base..series | awk '{ print "patch " NR ": " $0 }'
say "must apply: debian/$BASE_VERSION (pinned), debian/$newest_debian (newest), vanilla/$pinned_upstream, vanilla/$newest_upstream; other failing rows, and sources that cannot be had, count as skipped"
say "$pass passed, $fail failed"
[ -z "${RESULTS:-}" ] || echo "$pass $fail $skip" >"$RESULTS"
[ "$fail" = 0 ]
