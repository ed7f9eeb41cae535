#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the harness needs, if any are missing.
. "$(dirname "$0")/common.sh"

packages="bc bison build-essential busybox-static ccache cpio flex
	gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf git kmod
	libc6-dev-arm64-cross libcap-dev libelf-dev libnuma-dev libssl-dev perl
	python3 python3-git python3-ply python3-sphinx qemu-system-arm
	qemu-system-x86 qemu-user-static rng-tools5 rsync sparse xz-utils"

missing=
for p in $packages; do
	dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null |
		grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	die "missing packages:$missing (run as root, or install them with apt-get)"
fi
export DEBIAN_FRONTEND=noninteractive
step "deps: installing$missing" "$BUILD/logs/deps.log" \
	sh -c "apt-get update && apt-get install -y --no-install-recommends $missing"
