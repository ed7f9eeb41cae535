#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Take the edits made in build/linux back into the repository layout.
#
# The tree's commits on top of base become the patches of SERIES (subject,
# message, files). Uncommitted edits go to the last commit that touches
# that file; a new file no commit touches must be committed first. Each
# file becomes, in the repository, PATH.diff: one diff per commit touching
# it, each against the state before that commit; a file the base lacks is
# kept whole as its first commit made it, and only later commits' changes
# go to PATH.diff. Files that left the series are removed.
. "$(dirname "$0")/common.sh"

[ -d "$SERIES_TREE/.git" ] || die "no tree to refresh from: run 'make tree' first"
cd "$SERIES_TREE"
git add --all
commits=$(git rev-list --reverse base..HEAD)

# The commits touching each changed file, oldest first.
declare -A owners
changed=$(git diff --cached --name-only --no-renames base)
for path in $changed; do
	owners[$path]=$(git rev-list --reverse base..HEAD -- "$path")
	[ -n "${owners[$path]}" ] ||
		die "$path is changed but no commit touches it: commit it in $SERIES_TREE first (git commit)"
done

new=$(mktemp)
trap 'rm -f "$new"' EXIT
# Keep the preamble and the cover letter, rewrite the patches.
# Its trailing blank lines go: each patch entry starts with one.
awk '/^patch: /{exit} {print}' "$TOP/SERIES" |
	sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$new"
for c in $commits; do
	files=
	for path in $changed; do
		grep -qw "$c" <<<"${owners[$path]}" && files="$files$path"$'\n'
	done
	if [ -z "$files" ]; then
		say "refresh: skipping $(git log -1 --format=%s "$c"): it changes no file in the end"
		continue
	fi
	{
		printf '\npatch: %s\n' "$(git log -1 --format=%s "$c")"
		printf '\t%s\n' $files
		printf '\n'
		git log -1 --format=%b "$c" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
	} >>"$new"
done

# Write the files, and remove those no longer in the series.
old_files=$("$HARNESS/series-files.sh")
for path in $old_files; do
	grep -qxF -- "$path" <<<"$changed" || rm -f "$TOP/$path" "$TOP/$path.diff"
done
for path in $changed; do
	mkdir -p "$TOP/$(dirname "$path")"
	diffed=${owners[$path]}
	if git cat-file -e "base:$path" 2>/dev/null; then
		rm -f "$TOP/$path"
	else
		# A new file: whole as its first commit made it, and the
		# later commits' changes as diffs.
		first=$(head -n 1 <<<"$diffed")
		diffed=$(tail -n +2 <<<"$diffed")
		if [ -n "$diffed" ]; then
			git show "$first:$path" >"$TOP/$path"
			mode=$(git ls-tree "$first" -- "$path" | cut -d' ' -f1)
		else
			git show ":$path" >"$TOP/$path"
			mode=$(git ls-files -s -- "$path" | cut -d' ' -f1)
		fi
		if [ "$mode" = 100755 ]; then chmod +x "$TOP/$path"; else chmod -x "$TOP/$path"; fi
	fi
	rm -f "$TOP/$path.diff"
	# The last diff also takes the uncommitted edits (the index). A fixed
	# abbreviation keeps the index lines the same on every machine,
	# whatever the number of objects.
	last=$(tail -n 1 <<<"$diffed")
	for c in $diffed; do
		if [ "$c" = "$last" ]; then
			git diff --cached --no-renames --abbrev=9 "$c^" -- "$path"
		else
			git diff --no-renames --abbrev=9 "$c^" "$c" -- "$path"
		fi
	done >"$TOP/$path.diff"
	[ -s "$TOP/$path.diff" ] || rm -f "$TOP/$path.diff"
done
mv "$new" "$TOP/SERIES"
trap - EXIT
say "refresh: $(grep -c '^patch: ' "$TOP/SERIES") patches, $(wc -w <<<"$changed") files written back"
