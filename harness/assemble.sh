#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Assemble build/linux: a git tree holding the base commit and, on top,
# one commit per patch of SERIES (branch "series", checked out).
#
# Commits are built in a scratch index, so nothing in the work tree is
# touched while they are made; the work tree is then moved to the new tip
# with a two-tree merge, which rewrites only the files whose content
# changed. kbuild therefore rebuilds only what depends on them.
. "$(dirname "$0")/common.sh"

"$HARNESS/base.sh"

if [ ! -d "$SERIES_TREE/.git" ]; then
	say "tree: cloning the base into $SERIES_TREE"
	git clone -q --no-checkout "$CACHE/base.git" "$SERIES_TREE"
	# The base's objects come loose: no background repack of the tree's
	# 75,000 files in the middle of a build.
	git -C "$SERIES_TREE" config gc.auto 0
fi
cd "$SERIES_TREE"
cached_base=$(git --git-dir="$CACHE/base.git" rev-parse "$BASE_REF^{commit}")
if [ "$(git rev-parse -q --verify refs/heads/base)" != "$cached_base" ]; then
	git fetch -q "$CACHE/base.git" "+$BASE_REF:refs/heads/base"
fi
base=$(git rev-parse base)

parsed=$(mktemp -d)
trap 'rm -rf "$parsed"' EXIT
awk -v OUT="$parsed" -f "$HARNESS/series.awk" "$TOP/SERIES"

# Every kernel file of the repository must belong to a patch, and every
# file of a patch must be in the repository, whole or as a diff.
"$HARNESS/series-files.sh" | sort -u >"$parsed/present"
cat "$parsed"/[0-9]*/files 2>/dev/null | sort -u >"$parsed/listed" || true
stray=$(comm -23 "$parsed/present" "$parsed/listed")
[ -z "$stray" ] || die "not in any patch of SERIES: $stray"
absent=$(comm -13 "$parsed/present" "$parsed/listed")
[ -z "$absent" ] || die "in SERIES but not in the repository: $absent"

# section FILE N: the Nth diff of FILE (diffs start with "diff --git").
section() {
	awk -v n="$2" '/^diff --git / { i++ } i == n' "$1"
}
# A new file is whole in the first patch listing it; PATH.diff holds the
# changes of every other patch listing PATH, one diff each.
for path in $(cat "$parsed/listed"); do
	listings=$(cat "$parsed"/[0-9][0-9]/files | grep -cxF -- "$path")
	[ ! -f "$TOP/$path" ] || listings=$((listings - 1))
	diffs=0
	[ ! -f "$TOP/$path.diff" ] || diffs=$(grep -c '^diff --git ' "$TOP/$path.diff")
	[ "$diffs" = "$listings" ] ||
		die "$path.diff must hold one diff per patch listing $path (but the one creating it)"
done

# Build the commits.
export GIT_INDEX_FILE=$SERIES_TREE/.git/assemble-index
git read-tree "$base"
tip=$base
declare -A uses
for dir in "$parsed"/[0-9][0-9]; do
	[ "$dir" != "$parsed/00" ] || continue
	while read -r path; do
		uses[$path]=$((${uses[$path]:-0} + 1))
		if [ ! -f "$TOP/$path" ] || [ "${uses[$path]}" -gt 1 ]; then
			# The Nth patch listing PATH applies the Nth diff of
			# PATH.diff, counting from the patch creating it if new.
			n=${uses[$path]}
			[ ! -f "$TOP/$path" ] || n=$((n - 1))
			section "$TOP/$path.diff" "$n" >"$parsed/section"
			[ -s "$parsed/section" ] ||
				die "$path.diff has fewer diffs than patches listing it"
			git apply --cached --whitespace=nowarn "$parsed/section" ||
				die "diff $n of $path.diff does not apply"
		else
			git ls-tree --name-only "$base" -- "$path" | grep -q . &&
				die "$path is a base file: keep it as $path.diff"
			mode=100644
			[ -x "$TOP/$path" ] && mode=100755
			blob=$(git hash-object -w -- "$TOP/$path")
			git update-index --add --cacheinfo "$mode,$blob,$path"
		fi
	done <"$dir/files"
	# The author is the first Signed-off-by of the message.
	sob=$(sed -n 's/^Signed-off-by: //p' "$dir/message" | head -n 1)
	[ -n "$sob" ] || die "patch '$(cat "$dir/subject")' has no Signed-off-by"
	tip=$(GIT_AUTHOR_NAME=${sob% <*} GIT_AUTHOR_EMAIL=$(expr "$sob" : '.*<\(.*\)>') \
		git commit-tree "$(git write-tree)" -p "$tip" -F "$dir/message")
done

# The base variant (KERNEL=base) shows what the series' selftests do on a
# kernel without the series: the base with only the files they are built
# from, that is tools/, the uapi headers (MAP_DROPPABLE, struct
# vgetrandom_opaque_params: definitions the base kernel never uses) and
# the assembly that vdso_test_chacha links in, of every architecture.
git read-tree "$base"
git diff --binary "$base" "$tip" -- tools include/uapi \
	'arch/*/vgetrandom-chacha.S' >"$parsed/selftests.diff"
[ ! -s "$parsed/selftests.diff" ] || git apply --cached "$parsed/selftests.diff"
tests_only=$(git commit-tree "$(git write-tree)" -p "$base" \
	-m "The selftests of the series, without the series")
unset GIT_INDEX_FILE
rm -f "$SERIES_TREE/.git/assemble-index"

# The cover letter travels as the branch description (see export.sh).
git config branch.series.description "$(cat "$parsed/00/message" 2>/dev/null)"

# Move the work tree to the new tip. Edits made in the tree that are not
# in the repository would be lost: refuse unless they equal the new tip.
if [ -f .git/index ]; then
	git add --all
	now=$(git write-tree)
	last=$(git rev-parse -q --verify 'refs/harness/assembled^{tree}' || echo none)
	if [ "$now" != "$last" ] && [ "$now" != "$(git rev-parse "$tip^{tree}")" ]; then
		die "$SERIES_TREE has edits that are not in the repository:
$(git diff --cached --stat refs/harness/assembled | tail -n 20)
Take them back with 'make refresh', or drop them with 'make tree-reset'."
	fi
	git read-tree -m -u "$now" "$tip"
else
	git read-tree -u --reset "$tip"
fi
git update-ref refs/heads/series "$tip"
git symbolic-ref HEAD refs/heads/series
git update-ref refs/harness/assembled "$tip"
git update-ref refs/harness/base-tests "$tests_only"
if [ "$KERNEL" = base ]; then
	if [ -d "$TREE" ]; then
		git -C "$TREE" checkout -q --detach "$tests_only"
	else
		git worktree prune
		git worktree add -q --detach "$TREE" "$tests_only"
	fi
	say "tree: $TREE holds the base with only the series' selftests"
fi
say "tree: $(git rev-list --count "$base..$tip") patches on base $(git rev-parse --short "$base"), tip $(git rev-parse --short "$tip")"
