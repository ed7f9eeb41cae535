#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Configure and build the kernel of variant $KERNEL (normal or debug) from
# the assembled tree, out of tree in build/obj-$KERNEL, and build and
# install the selftests of harness/suite against that tree's own headers.
. "$(dirname "$0")/common.sh"

fragments=$HARNESS/config/test.config
case $KERNEL in
normal) ;;
debug) fragments="$fragments $HARNESS/config/debug.config" ;;
*) die "KERNEL must be normal or debug, not '$KERNEL'" ;;
esac
mkdir -p "$OBJ"
kmake() { make -C "$TREE" O="$OBJ" -j"$JOBS" "$@"; }

# Configure only when the fragments or the base changed, so that an
# unchanged configuration never triggers a rebuild.
inputs=$(cat $fragments "$CACHE/base.git/base-version" | sha256sum | cut -d' ' -f1)
if [ ! -f "$OBJ/.config" ] || [ "$(cat "$OBJ/.harness-config" 2>/dev/null)" != "$inputs" ]; then
	configure() {
		kmake tinyconfig &&
		"$TREE/scripts/kconfig/merge_config.sh" -m -O "$OBJ" "$OBJ/.config" $fragments &&
		kmake olddefconfig
	}
	step "config: tinyconfig + $(echo $fragments | sed "s|$HARNESS/||g")" \
		"$OBJ/logs/config.log" configure
	# merge_config.sh only warns when an option cannot be set: fail here.
	lost=$(grep -h -E '^(CONFIG_|# CONFIG_)' $fragments | sort -u |
		while read -r line; do
			grep -qxF -- "$line" "$OBJ/.config" || printf '  %s\n' "$line"
		done)
	[ -z "$lost" ] || die "config: these options did not take:
$lost"
	printf '%s\n' "$inputs" >"$OBJ/.harness-config"
fi

step "build: kernel ($KERNEL)" "$OBJ/logs/kernel.log" kmake bzImage

collections=$(grep -v '^#' "$HARNESS/suite" | cut -d: -f1 | sort -u | tr '\n' ' ')
step "build: selftests ($collections)" "$OBJ/logs/selftests.log" \
	kmake kselftest-install TARGETS="$collections"
# The 6.1 kselftest Makefile reports a failure only when every collection
# fails to build: check each test of the suite is really there.
for t in $(grep -v '^#' "$HARNESS/suite"); do
	[ -x "$OBJ/kselftest/kselftest_install/${t%%:*}/${t#*:}" ] ||
		die "selftest $t was not built (see $OBJ/logs/selftests.log)"
done
