# SPDX-License-Identifier: GPL-2.0
# The compiler's (and sparse's) warnings in the files the series changes,
# in the series' tree against the base's; sourced after common.sh.

# The files the series changes, outside tools/ and Documentation/.
touched=$(git -C "$SERIES_TREE" diff --name-only base series -- . ':!tools' ':!Documentation')

# warnings_in_touched LOG: the warnings in LOG that are in files the
# series changes, without line numbers or tree paths.
warnings_in_touched() {
	grep -E '(warning|error):' "$1" |
		sed -E -e "s|$BUILD/linux[^/]*/||" -e 's|^\.\./linux[^/]*/||' \
			-e 's|:[0-9]+:[0-9]+:|:|' |
		grep -F -f <(sed 's|$|:|' <<<"$touched") | sort -u || true
}

# new_warnings KIND FLAGS SERIES_OBJ BASE_OBJ OBJECT...: build the OBJECTs
# afresh, with make FLAGS, in the series' tree (kbuild output SERIES_OBJ,
# configured) and in the base's (BASE_OBJ, configured alike), logs in
# build/logs/KIND-series.log and KIND-base.log; print what the series'
# files warn of that the base's do not. Objects the base does not have
# are built in the series only. Leaves TREE and OBJ set to the base's.
new_warnings() {
	local kind=$1 flags=$2 series_obj=$3 base_obj=$4 tree objects
	shift 4
	mkdir -p "$BUILD/logs"
	for tree in series base; do
		case $tree in
		series) TREE=$SERIES_TREE OBJ=$series_obj ;;
		base) TREE=$BUILD/linux$source_suffix-base OBJ=$base_obj ;;
		esac
		. "$HARNESS/kbuild.sh"
		objects=$(for o; do [ ! -f "$TREE/${o%.o}.c" ] || echo "$o"; done)
		(cd "$OBJ" && rm -f $objects)
		kmake $flags $objects >"$BUILD/logs/$kind-$tree.log" 2>&1 || true
	done
	comm -23 <(warnings_in_touched "$BUILD/logs/$kind-series.log") \
		<(warnings_in_touched "$BUILD/logs/$kind-base.log")
}
