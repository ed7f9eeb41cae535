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
# apt-get runs with a private configuration and private state and cache
# directories: the machine's apt sources, configuration, lists and cache
# are neither read nor changed. The archive is verified as apt always
# does: the InRelease signature against Debian's archive keyring (which
# on Debian 12 already holds the Debian 13 keys), the Packages index
# against the hashes in InRelease, and the .deb against the SHA256 in the
# Packages index; the last step is repeated here explicitly.
set -eu

CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vgetrandom-6.1}
ROOT=${1:-${GLIBC_ROOT:-$CACHE/glibc-2.41/root}}
MIRROR=${GLIBC_MIRROR:-http://deb.debian.org/debian}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
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

[ -r "$KEYRING" ] || die "$KEYRING missing (install debian-archive-keyring)"

work=$(dirname "$ROOT")/apt
mkdir -p "$work/etc/empty.d" "$work/state/lists/partial" \
	"$work/cache/archives/partial" "$work/log"
: >"$work/state/status"
printf 'deb [signed-by=%s] %s trixie main\n' "$KEYRING" "$MIRROR" \
	>"$work/etc/sources.list"

# APT_CONFIG is read before anything else, so it can point the rest of
# the configuration (main file, parts directory) away from /etc/apt: no
# hook of the machine (e.g. APT::Update::Post-Invoke) runs on our update.
cat >"$work/etc/apt.conf" <<EOF
Dir::Etc::main "/dev/null";
Dir::Etc::parts "$work/etc/empty.d";
Dir::Etc::sourcelist "$work/etc/sources.list";
Dir::Etc::sourceparts "$work/etc/empty.d";
Dir::Etc::preferences "/dev/null";
Dir::Etc::preferencesparts "$work/etc/empty.d";
Dir::Etc::trusted "/dev/null";
Dir::Etc::trustedparts "$work/etc/empty.d";
Dir::State "$work/state";
Dir::State::status "$work/state/status";
Dir::Cache "$work/cache";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Dir::Log "$work/log";
APT::Architecture "amd64";
APT::Architectures { "amd64"; };
Acquire::Languages "none";
Acquire::GzipIndexes "true";
EOF
# As root, apt downloads as user _apt, who cannot write our directories.
[ "$(id -u)" != 0 ] || echo 'APT::Sandbox::User "root";' >>"$work/etc/apt.conf"
export APT_CONFIG=$work/etc/apt.conf

log=$work/log/fetch.log
if ! apt-get -q update >"$log" 2>&1; then
	tail -n 20 "$log" >&2
	! grep -q NO_PUBKEY "$log" ||
		die "$KEYRING lacks the key that signs trixie (update debian-archive-keyring)"
	die "apt-get update failed"
fi

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
