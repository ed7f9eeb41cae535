#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Get the pinned base, Debian's linux-source-6.1 at BASE_VERSION
# (common.sh), into the cache: source.sh commits it into base.git, whose
# branch "base" then points at it and whose file base-version names it.
# Prints nothing when that is done already, except one line when the
# archive has a newer 6.1 than the pin (`make move-base` moves to it).
. "$(dirname "$0")/common.sh"

repo=$CACHE/base.git
if [ "$(cat "$repo/base-version" 2>/dev/null)" != "$BASE_VERSION" ] ||
   ! git --git-dir="$repo" rev-parse -q --verify refs/heads/base >/dev/null; then
	version=$BASE_VERSION
	if ! commit=$("$HARNESS/source.sh" debian "$version"); then
		version=$(apt-cache policy "$BASE_PACKAGE" | awk '/Candidate:/ { print $2 }')
		cat >&2 <<-EOT
		########################################################################
		WARNING: $BASE_PACKAGE $BASE_VERSION, the pinned base, cannot be had.
		Falling back to the newest 6.1 in the archive: ${version:-none}.
		Results are NOT from the pinned base: move the pin with
		'make move-base' once the series is checked on it.
		########################################################################
		EOT
		[ -n "$version" ] && [ "$version" != "(none)" ] ||
			die "no $BASE_PACKAGE in the archive"
		commit=$("$HARNESS/source.sh" debian "$version")
	fi
	git --git-dir="$repo" update-ref refs/heads/base "$commit"
	git --git-dir="$repo" symbolic-ref HEAD refs/heads/base
	printf '%s\n' "$version" >"$repo/base-version"
	say "base: $BASE_PACKAGE $version is commit $commit"
fi

# SOURCE=vanilla (common.sh) also needs the upstream release of the pin.
[ "$SOURCE" != vanilla ] || "$HARNESS/source.sh" vanilla "${BASE_VERSION%-*}" >/dev/null

newest=$(apt-cache policy "$BASE_PACKAGE" 2>/dev/null | awk '/Candidate:/ { print $2 }')
if [ -n "$newest" ] && [ "$newest" != "(none)" ] &&
   dpkg --compare-versions "$newest" gt "$(cat "$repo/base-version")"; then
	say "base: Debian has $BASE_PACKAGE $newest, newer than the pinned $BASE_VERSION ('make move-base' moves the series onto it)"
fi
