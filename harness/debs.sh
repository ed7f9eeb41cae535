#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# debs.sh ROOT SUITE ARCH PACKAGE...: unpack the PACKAGEs of Debian's
# SUITE (bookworm, trixie) for architecture ARCH (amd64, arm64) into ROOT
# with dpkg-deb -x: files to copy or run, nothing installed. Done once:
# ROOT.packages lists each package with its version, and a later call for
# the same packages does nothing.
#
# apt-get runs with a private configuration (private-apt.sh): the
# machine's apt sources, configuration, lists, cache and dpkg
# architectures are neither read nor changed. Debian's archive keyring on
# Debian 12 already holds the Debian 13 keys. Each .deb is checked
# against the SHA256 in the Packages index, as apt does, once more here
# explicitly.
. "$(dirname "$0")/common.sh"
. "$HARNESS/private-apt.sh"

[ $# -ge 4 ] || die "usage: debs.sh ROOT SUITE ARCH PACKAGE..."
root=$1 suite=$2 arch=$3
shift 3
stamp=$root.packages
if [ -d "$root" ] && [ -f "$stamp" ] &&
	[ "$(cut -d' ' -f1 "$stamp")" = "$(printf '%s\n' "$@")" ]; then
	exit 0
fi
[ -r "$PRIVATE_APT_KEYRING" ] ||
	die "$PRIVATE_APT_KEYRING missing (install debian-archive-keyring)"

work=$(dirname "$root")/apt
log=$work/log/update.log
if ! private_apt "$work" "$arch" \
	"deb [signed-by=$PRIVATE_APT_KEYRING] ${DEBIAN_MIRROR:-http://deb.debian.org/debian} $suite main"; then
	tail -n 20 "$log" >&2
	! grep -q NO_PUBKEY "$log" ||
		die "$PRIVATE_APT_KEYRING lacks the key that signs $suite (update debian-archive-keyring)"
	die "apt-get update for $suite ($arch) failed"
fi

log=$work/log/fetch.log
rm -rf "$root.tmp"
: >"$stamp.tmp"
cd "$work/cache"
for package; do
	# field NAME: that field of the package's entry in the index
	field() { apt-cache show "$package" | awk -v f="$1:" '$1 == f { print $2; exit }'; }
	version=$(field Version)
	[ -n "$version" ] || die "$suite has no $package for $arch"
	deb=$(printf '%s_%s_%s.deb' "$package" "$version" "$(field Architecture)" |
		sed 's/:/%3a/')
	[ -f "$deb" ] || apt-get -q download "$package=$version" >>"$log" 2>&1 ||
		{ tail -n 20 "$log" >&2; die "apt-get download $package=$version failed"; }
	have=$(sha256sum "$deb" | cut -d' ' -f1)
	[ "$have" = "$(field SHA256)" ] ||
		{ rm -f "$deb"; die "$deb: sha256 $have, the index says $(field SHA256)"; }
	dpkg-deb -x "$deb" "$root.tmp"
	echo "$package $version" >>"$stamp.tmp"
done
rm -rf "$root"
mv "$root.tmp" "$root"
mv "$stamp.tmp" "$stamp"
say "debs: $suite $arch $(tr '\n' ' ' <"$stamp")(sha256 verified) unpacked in $root"
