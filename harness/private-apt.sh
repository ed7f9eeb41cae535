# SPDX-License-Identifier: GPL-2.0
# An apt of the harness's own, for what the machine's apt sources do not
# list (Debian 13's glibc, Debian's kernel source packages, arm64
# packages); sourced.
#
# private_apt DIR ARCH LINE...: set up, in DIR, an apt configuration for
# Debian architecture ARCH (amd64, arm64: the packages it lists and
# fetches; dpkg's architectures are not involved) whose sources.list
# holds the LINEs, with private state, cache and log directories, export
# APT_CONFIG for it, and run apt-get update (its output in
# DIR/log/update.log). The machine's apt sources, configuration,
# lists and cache are neither read nor changed. apt verifies what it
# fetches as always: the InRelease signature against the keyring named in
# each line, the indexes against the hashes in InRelease, and packages
# and source files against the hashes in the indexes.

PRIVATE_APT_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

private_apt() {
	local dir=$1 arch=$2
	shift 2
	mkdir -p "$dir/etc/empty.d" "$dir/state/lists/partial" \
		"$dir/cache/archives/partial" "$dir/log"
	: >"$dir/state/status"
	printf '%s\n' "$@" >"$dir/etc/sources.list"
	# APT_CONFIG is read before anything else, so it can point the rest of
	# the configuration (main file, parts directory) away from /etc/apt:
	# no hook of the machine (e.g. APT::Update::Post-Invoke) runs here.
	cat >"$dir/etc/apt.conf" <<-EOC
	Dir::Etc::main "/dev/null";
	Dir::Etc::parts "$dir/etc/empty.d";
	Dir::Etc::sourcelist "$dir/etc/sources.list";
	Dir::Etc::sourceparts "$dir/etc/empty.d";
	Dir::Etc::preferences "/dev/null";
	Dir::Etc::preferencesparts "$dir/etc/empty.d";
	Dir::Etc::trusted "/dev/null";
	Dir::Etc::trustedparts "$dir/etc/empty.d";
	Dir::State "$dir/state";
	Dir::State::status "$dir/state/status";
	Dir::Cache "$dir/cache";
	Dir::Cache::pkgcache "";
	Dir::Cache::srcpkgcache "";
	Dir::Log "$dir/log";
	APT::Architecture "$arch";
	APT::Architectures { "$arch"; };
	Acquire::Languages "none";
	Acquire::GzipIndexes "true";
	EOC
	# As root, apt downloads as user _apt, who cannot write here.
	[ "$(id -u)" != 0 ] || echo 'APT::Sandbox::User "root";' >>"$dir/etc/apt.conf"
	export APT_CONFIG=$dir/etc/apt.conf
	apt-get -q update >"$dir/log/update.log" 2>&1
}
