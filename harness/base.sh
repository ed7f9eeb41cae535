#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Get the base kernel: Debian's linux-source-6.1 at the pinned version,
# checksum verified, committed once into a cached git repository whose
# commit id depends only on the source (fixed identity and dates).
#
# Prints nothing when the cache is already there.
. "$(dirname "$0")/common.sh"

repo=$CACHE/base.git
[ -n "$(git --git-dir="$repo" rev-parse -q --verify refs/heads/base 2>/dev/null)" ] &&
	exit 0

mkdir -p "$CACHE/download"
cd "$CACHE/download"

# apt-get download verifies the package against the signed archive index;
# the pinned checksum additionally fixes exactly which upload we build on.
fetch() {
	apt-get download -o APT::Sandbox::User=root "$@" >/dev/null 2>&1 || {
		apt-get update >/dev/null 2>&1
		apt-get download -o APT::Sandbox::User=root "$@" >/dev/null 2>&1
	}
}

version=$BASE_VERSION
deb=${BASE_PACKAGE}_${version}_all.deb
if [ ! -f "$deb" ]; then
	say "base: downloading $BASE_PACKAGE $version"
	if ! fetch "$BASE_PACKAGE=$version"; then
		version=$(apt-cache policy "$BASE_PACKAGE" | awk '/Candidate:/ { print $2 }')
		cat >&2 <<-EOT
		########################################################################
		WARNING: $BASE_PACKAGE $BASE_VERSION, the pinned base, is gone from the
		archive. Falling back to the newest 6.1 there: ${version:-none}.
		Results are NOT from the pinned base; update BASE_VERSION and
		BASE_SHA256 in harness/common.sh once the series is checked on it.
		########################################################################
		EOT
		[ -n "$version" ] && [ "$version" != "(none)" ] ||
			die "no $BASE_PACKAGE in the archive"
		deb=${BASE_PACKAGE}_${version}_all.deb
		fetch "$BASE_PACKAGE=$version" || die "cannot download $deb"
	fi
fi

if [ "$version" = "$BASE_VERSION" ]; then
	want=$BASE_SHA256
else
	want=$(apt-cache show "$BASE_PACKAGE=$version" | awk '/^SHA256:/ { print $2; exit }')
fi
have=$(sha256sum "$deb" | cut -d' ' -f1)
if [ "$have" != "$want" ]; then
	rm -f "$deb"
	die "checksum mismatch for $deb: got $have, want $want (removed; rerun)"
fi
say "base: $deb sha256 verified"

src=$(mktemp -d "$CACHE/extract.XXXXXX")
trap 'rm -rf "$src"' EXIT
say "base: unpacking"
dpkg-deb --fsys-tarfile "$deb" |
	tar -xO ./usr/src/linux-source-6.1.tar.xz | tar -xJ -C "$src"

say "base: committing the source tree to $repo"
rm -rf "$repo.tmp"
git init -q --bare "$repo.tmp"
export GIT_DIR=$repo.tmp GIT_WORK_TREE=$src/linux-source-6.1
git add --force --all
tree=$(git write-tree)
commit=$(printf 'Linux %s (Debian %s %s)\n' "${version%-*}" "$BASE_PACKAGE" "$version" |
	git commit-tree "$tree")
git update-ref refs/heads/base "$commit"
git symbolic-ref HEAD refs/heads/base
rm -f "$GIT_DIR/index"
printf '%s\n' "$version" >"$GIT_DIR/base-version"
mv "$repo.tmp" "$repo"
say "base: $BASE_PACKAGE $version is commit $commit"
