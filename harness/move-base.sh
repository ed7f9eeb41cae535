#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make move-base [VERSION=...]`: move the series onto another Debian
# linux-source-6.1 (by default the newest in the archive). It fetches and
# verifies that version (source.sh), rebases the assembled tree's commits
# onto it (git's three-way merge), and if every patch applies, writes the
# series back (refresh.sh)
# and moves the pin (harness/common.sh) and the version named in README.md
# and in the cover letter. If a patch does not apply, it names the patch
# and shows the conflicting hunks, and changes nothing.
. "$(dirname "$0")/common.sh"

version=${1:-$(apt-cache policy "$BASE_PACKAGE" | awk '/Candidate:/ { print $2 }')}
[ -n "$version" ] && [ "$version" != "(none)" ] || die "no $BASE_PACKAGE in the archive"
if [ "$version" = "$BASE_VERSION" ]; then
	say "move-base: the base is $BASE_PACKAGE $version already"
	exit 0
fi

# The tree, assembled from the repository (this refuses if it holds
# edits that are not in the repository).
"$HARNESS/assemble.sh" >/dev/null
new=$("$HARNESS/source.sh" debian "$version")
sha=$(sha256sum "$CACHE/download/${BASE_PACKAGE}_${version}_all.deb" | cut -d' ' -f1)

cd "$SERIES_TREE"
git fetch -q "$CACHE/base.git" "refs/tags/debian/$version"
say "move-base: rebasing $(git rev-list --count base..series) patches from $BASE_VERSION onto $version"
if ! git rebase -q --onto "$new" base series >"$BUILD/logs/move-base.log" 2>&1; then
	patch=$(git log -1 --format=%s REBASE_HEAD 2>/dev/null || echo '?')
	files=$(git diff --name-only --diff-filter=U)
	say "move-base: patch '$patch' does not apply on $version; conflicts in:"
	printf '    %s\n' $files
	git diff -- $files | sed 's/^/    /'
	git rebase --abort
	die "the base stays at $BASE_VERSION: shape those hunks (make tree, edit, make refresh) and retry"
fi
git branch -f base "$new"
"$HARNESS/refresh.sh"

# The pin, and the version where the README and the cover letter name it.
sed -i -e "s/^BASE_VERSION=.*/BASE_VERSION=$version/" \
	-e "s/^BASE_SHA256=.*/BASE_SHA256=$sha/" "$HARNESS/common.sh"
old=${BASE_VERSION//./\\.}
sed -i "s/pinned at $old\b/pinned at $version/" "$TOP/README.md"
sed -i "s/$BASE_PACKAGE $old\b/$BASE_PACKAGE $version/" "$TOP/SERIES"
say "move-base: the series is on $BASE_PACKAGE $version (sha256 $sha)"
# git's three-way merge can carry a hunk onto code that changed under it
# without a conflict (onto 6.1.190-1 it removes a variable that the older
# sort_folio() still uses): only a build and the tests tell.
say "move-base: review 'git diff' and run 'make check' before committing"
