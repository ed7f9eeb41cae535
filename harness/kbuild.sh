# SPDX-License-Identifier: GPL-2.0
# Configuring and building a kernel tree; sourced after common.sh, with
# TREE (the source) and OBJ (the kbuild output) set.

# Compiles go through ccache, whose cache lives in the harness's cache
# folder: every kernel build of every clone on the machine shares it (CI's
# fresh clones included), and with paths under the repository hashed
# relative to it, a clone elsewhere hits what another clone compiled.
export CCACHE_DIR=$CACHE/ccache CCACHE_BASEDIR=$TOP
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-10G}

# kmake ARGS...: make in $TREE with its output in $OBJ, for $KARCH with
# $CROSS_COMPILE (see arch_settings in common.sh).
kmake() {
	make -C "$TREE" O="$OBJ" ARCH="$KARCH" CROSS_COMPILE="$CROSS_COMPILE" \
		CC="ccache ${CROSS_COMPILE}gcc" -j"$JOBS" "$@"
}

# configure FRAGMENT...: a starting configuration with the fragments
# merged in: tinyconfig, or the file $START_CONFIG when set (Debian's, see
# kernel.sh). Redone only when the inputs or the base changed, so that an
# unchanged configuration never triggers a rebuild. Fails if an option of
# a fragment did not take (merge_config.sh only warns).
configure() {
	local inputs lost from=${START_CONFIG:-}
	inputs=$({ cat "$@" ${from:+"$from"} "$CACHE/base.git/base-version"
		echo "${SOURCE#debian}"; } | sha256sum | cut -d' ' -f1)
	[ ! -f "$OBJ/.config" ] ||
		[ "$(cat "$OBJ/.harness-config" 2>/dev/null)" != "$inputs" ] || return 0
	mkdir -p "$OBJ"
	merge() {
		if [ -n "$from" ]; then
			cp "$from" "$OBJ/.config"
		else
			kmake tinyconfig
		fi &&
		"$TREE/scripts/kconfig/merge_config.sh" -m -O "$OBJ" "$OBJ/.config" "$@" &&
		kmake olddefconfig
	}
	step "config: $(basename "${from:-tinyconfig}") + $(echo "$@" | sed "s|$HARNESS/||g")" \
		"$OBJ/logs/config.log" merge "$@"
	lost=$(grep -h -E '^(CONFIG_|# CONFIG_)' "$@" | sort -u |
		while read -r line; do
			grep -qxF -- "$line" "$OBJ/.config" || printf '  %s\n' "$line"
		done)
	[ -z "$lost" ] || die "config: these options did not take:
$lost"
	printf '%s\n' "$inputs" >"$OBJ/.harness-config"
}
