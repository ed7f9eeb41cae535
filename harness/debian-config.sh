#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the path of Debian's own kernel configuration for $ARCH (its
# "none" flavour: config.amd64_none_amd64), taken from Debian 12's
# linux-config-6.1 package at the base's version, downloaded once into
# the cache through the machine's apt and checked against its index.
. "$(dirname "$0")/common.sh"

version=$(cat "$CACHE/base.git/base-version")
package=linux-config-6.1
deb=${package}_${version}_$DEB_ARCH.deb
config=$CACHE/download/config.${DEB_ARCH}_none_$DEB_ARCH-$version
if [ ! -f "$config" ]; then
	mkdir -p "$CACHE/download"
	cd "$CACHE/download"
	unset APT_CONFIG
	[ -f "$deb" ] ||
		apt-get download -o APT::Sandbox::User=root "$package=$version" >/dev/null 2>&1 || {
			apt-get update >/dev/null 2>&1
			apt-get download -o APT::Sandbox::User=root "$package=$version" >/dev/null 2>&1
		} || die "cannot download $package $version for $DEB_ARCH"
	want=$(apt-cache show "$package=$version" 2>/dev/null |
		awk '/^SHA256:/ { print $2; exit }')
	[ -n "$want" ] && [ "$(sha256sum "$deb" | cut -d' ' -f1)" = "$want" ] || {
		rm -f "$deb"
		die "checksum mismatch for $deb (removed; rerun)"
	}
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO "./usr/src/$package/config.${DEB_ARCH}_none_$DEB_ARCH.xz" |
		xz -d >"$config.tmp"
	mv "$config.tmp" "$config"
fi
say "$config"
