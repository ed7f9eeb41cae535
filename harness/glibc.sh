#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch glibc 2.41 (Debian 13 "trixie" amd64 libc6) and unpack it, so that
# a program can be run under its dynamic loader:
#
#   $ROOT/usr/lib64/ld-linux-x86-64.so.2 \
#	--library-path $ROOT/usr/lib/x86_64-linux-gnu PROGRAM
#
# Usage: glibc.sh [ROOT]   (default: $GLIBC_ROOT, else the harness cache)
#
# apt-get runs with a private configuration (private-apt.sh): the
# machine's apt sources, configuration, lists and cache are neither read
# nor changed. Debian's archive keyring on Debian 12 already holds the
# Debian 13 keys. The .deb is checked against the SHA256 in the Packages
# index, as apt does, once more here explicitly.
set -eu
. "$(dirname "$0")/private-apt.sh"

CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vgetrandom-6.1}
ROOT=${1:-${GLIBC_ROOT:-$CACHE/glibc-2.41/root}}
MIRROR=${GLIBC_MIRROR:-http://deb.debian.org/debian}
WANT=2.41

die() { printf 'glibc: error: %s\n' "$*" >&2; exit 1; }

# Done already? The version unpacked is kept beside the root.
stamp=$ROOT.version
if [ -d "$ROOT" ] && [ -f "$stamp" ]; then
	case $(cat "$stamp") in
	"$WANT"-*) printf 'glibc: libc6 %s already in %s\n' "$(cat "$stamp")" "$ROOT"
		exit 0 ;;
	esac
fi

[ -r "$PRIVATE_APT_KEYRING" ] || die "$PRIVATE_APT_KEYRING missing (install debian-archive-keyring)"

work=$(dirname "$ROOT")/apt
log=$work/log/update.log
if ! private_apt "$work" \
	"deb [signed-by=$PRIVATE_APT_KEYRING] $MIRROR trixie main"; then
	tail -n 20 "$log" >&2
	! grep -q NO_PUBKEY "$log" ||
		die "$PRIVATE_APT_KEYRING lacks the key that signs trixie (update debian-archive-keyring)"
	die "apt-get update failed"
fi
log=$work/log/fetch.log

version=$(apt-cache show libc6 | awk '/^Version:/ { print $2; exit }')
case $version in
"$WANT"-*) ;;
*) die "trixie's libc6 is '${version:-none}', not $WANT" ;;
esac
sha=$(apt-cache show "libc6=$version" | awk '/^SHA256:/ { print $2; exit }')

cd "$work/cache"
deb=$(printf 'libc6_%s_amd64.deb' "$version" | sed 's/:/%3a/')
[ -f "$deb" ] || apt-get -q download "libc6=$version" >>"$log" 2>&1 ||
	{ tail -n 20 "$log" >&2; die "apt-get download failed"; }
have=$(sha256sum "$deb" | cut -d' ' -f1)
[ "$have" = "$sha" ] || { rm -f "$deb"; die "$deb: sha256 $have, index says $sha"; }

rm -rf "$ROOT.tmp"
dpkg-deb -x "$deb" "$ROOT.tmp"
[ -x "$ROOT.tmp/usr/lib64/ld-linux-x86-64.so.2" ] ||
	die "$deb has no usr/lib64/ld-linux-x86-64.so.2"
rm -rf "$ROOT"
mv "$ROOT.tmp" "$ROOT"
printf '%s\n' "$version" >"$stamp"
printf 'glibc: libc6 %s (sha256 verified) unpacked in %s\n' "$version" "$ROOT"
