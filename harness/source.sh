#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# source.sh debian|vanilla VERSION: a 6.1 kernel source as a commit of the
# cache's base.git (tag KIND/VERSION), downloaded, verified and committed
# the first time only; prints the commit id.
#
#   debian VERSION   Debian's linux-source-6.1 package at VERSION (say
#                    6.1.192-3), through the machine's apt: apt checks it
#                    against the signed index; for the pinned base it must
#                    also have the pinned SHA-256.
#   vanilla VERSION  the upstream 6.1.y stable source at VERSION (say
#                    6.1.192): the .orig tarball of Debian's "linux" source
#                    package, through a private apt with bookworm's deb-src
#                    indexes (private-apt.sh), checked by apt against them.
#
# source.sh vanilla-list prints the 6.1.y releases those indexes have.
#
# The commit's id depends only on the source (fixed identity and dates,
# common.sh), so it is the same on every machine.
. "$(dirname "$0")/common.sh"
. "$HARNESS/private-apt.sh"

# deb_src: the private apt of bookworm's deb-src indexes, updated.
deb_src() {
	private_apt "$CACHE/apt-src" amd64 \
		"deb-src [signed-by=$PRIVATE_APT_KEYRING] http://deb.debian.org/debian bookworm main" \
		"deb-src [signed-by=$PRIVATE_APT_KEYRING] http://deb.debian.org/debian-security bookworm-security main" ||
		die "apt-get update of the deb-src indexes failed (see $CACHE/apt-src/log/update.log)"
}

kind=${1:-} version=${2:-}
case $kind in
debian | vanilla) [ -n "$version" ] || die "usage: source.sh debian|vanilla VERSION" ;;
vanilla-list)
	deb_src
	apt-cache showsrc linux 2>/dev/null |
		sed -n 's/.* linux_\(6\.1\.[0-9]*\)\.orig\.tar\.xz$/\1/p' | sort -uV
	exit 0
	;;
*) die "usage: source.sh debian|vanilla VERSION, or source.sh vanilla-list" ;;
esac
repo=$CACHE/base.git
tag=$kind/$version
[ -d "$repo" ] || git init -q --bare "$repo"
if commit=$(git --git-dir="$repo" rev-parse -q --verify "refs/tags/$tag^{commit}"); then
	say "$commit"
	exit 0
fi

mkdir -p "$CACHE/download"
cd "$CACHE/download"
case $kind in
debian)
	# the machine's apt, whatever private configuration a caller set up
	unset APT_CONFIG
	file=${BASE_PACKAGE}_${version}_all.deb
	if [ ! -f "$file" ]; then
		say "source: downloading $BASE_PACKAGE $version" >&2
		apt-get download -o APT::Sandbox::User=root "$BASE_PACKAGE=$version" \
			>/dev/null 2>&1 || {
			apt-get update >/dev/null 2>&1
			apt-get download -o APT::Sandbox::User=root \
				"$BASE_PACKAGE=$version" >/dev/null 2>&1
		} || die "cannot download $BASE_PACKAGE $version: not in the archive?"
	fi
	want=$(apt-cache show "$BASE_PACKAGE=$version" 2>/dev/null |
		awk '/^SHA256:/ { print $2; exit }')
	[ "$version" != "$BASE_VERSION" ] || want=$BASE_SHA256
	title="Linux ${version%-*} (Debian $BASE_PACKAGE $version)"
	;;
vanilla)
	file=linux_$version.orig.tar.xz
	deb_src
	want=$(apt-cache showsrc linux 2>/dev/null |
		awk -v f="$file" '/^Checksums-Sha256:/ { s = 1; next }
			/^[^ ]/ { s = 0 } s && $3 == f { print $1; exit }')
	[ -n "$want" ] || die "no $file in Debian's deb-src indexes"
	if [ ! -f "$file" ]; then
		say "source: downloading $file" >&2
		debian=$(apt-cache showsrc linux 2>/dev/null | awk -v v="$version" '
			/^Version:/ && index($2, v "-") == 1 { print $2; exit }')
		apt-get -q source --download-only "linux=$debian" \
			>"$CACHE/apt-src/log/source.log" 2>&1 ||
			die "apt-get source linux=$debian failed: $(grep -m 1 -o 'Failed to fetch.*' \
				"$CACHE/apt-src/log/source.log") (see $CACHE/apt-src/log/source.log)"
		rm -f "linux_$debian.dsc" "linux_$debian.debian.tar.xz"
	fi
	title="Linux $version (upstream stable, Debian's $file)"
	;;
esac
[ -n "$want" ] || die "apt's index has no SHA256 for $file"
have=$(sha256sum "$file" | cut -d' ' -f1)
if [ "$have" != "$want" ]; then
	rm -f "$file"
	die "checksum mismatch for $file: got $have, want ${want:-nothing} (removed; rerun)"
fi
say "source: $file sha256 verified" >&2

src=$(mktemp -d "$CACHE/extract.XXXXXX")
trap 'rm -rf "$src"' EXIT
say "source: unpacking and committing $file" >&2
case $kind in
debian)
	dpkg-deb --fsys-tarfile "$file" |
		tar -xO ./usr/src/linux-source-6.1.tar.xz | tar -xJ -C "$src" --strip-components=1
	;;
vanilla)
	tar -xJf "$file" -C "$src" --strip-components=1
	;;
esac
export GIT_DIR=$repo GIT_WORK_TREE=$src GIT_INDEX_FILE=$src.index
git add --force --all
commit=$(printf '%s\n' "$title" | git commit-tree "$(git write-tree)")
rm -f "$GIT_INDEX_FILE"
git update-ref "refs/tags/$tag" "$commit"
say "$commit"
