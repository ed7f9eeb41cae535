# SPDX-License-Identifier: GPL-2.0
# Shared settings and helpers for the harness scripts; sourced, not run.

set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HARNESS=$TOP/harness
BUILD=${BUILD:-$TOP/build}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vgetrandom-6.1}

# The base: Debian's kernel source package, pinned.
BASE_PACKAGE=linux-source-6.1
BASE_VERSION=6.1.192-3
BASE_SHA256=5259c57ca92092da39bd2ea803046da0e3c28f2b6a11ea20f6297468188ceb67

# The source under the series: Debian's linux-source-6.1 at the pin
# (SOURCE=debian), or the upstream stable release that it packages
# (SOURCE=vanilla: Debian's .orig tarball, without Debian's patches). The
# base commit is BASE_REF of the cache's base.git (see source.sh); each
# source has its own trees and kbuild outputs, suffixed -vanilla.
SOURCE=${SOURCE:-debian}
case $SOURCE in
debian) BASE_REF=refs/heads/base suffix= ;;
vanilla) BASE_REF=refs/tags/vanilla/${BASE_VERSION%-*} suffix=-vanilla ;;
*) printf 'error: SOURCE must be debian or vanilla, not %s\n' "$SOURCE" >&2; exit 1 ;;
esac
SERIES_TREE=$BUILD/linux$suffix	# the assembled git tree: base + series
KERNEL=${KERNEL:-normal}	# kernel variant: normal, debug or base
# The tree the variant's kernel is built from. The base variant is the
# base kernel with only the series' selftests, to show that they fail
# without the series (see assemble.sh).
case $KERNEL in
base) TREE=$BUILD/linux$suffix-base ;;
*) TREE=$SERIES_TREE ;;
esac
# The tests the guest runs: harness/suite, or harness/stress-suite for
# `make stress`; the console log of a run is build/console-$RUN.log.
SUITE=${SUITE:-suite}
RUN=$KERNEL$suffix
[ "$SUITE" = suite ] || RUN=$RUN-${SUITE%-suite}
OBJ=$BUILD/obj-$KERNEL$suffix	# kbuild output for that variant
JOBS=${JOBS:-$(nproc)}

# Fixed identity and dates make the assembled commits reproducible:
# the same inputs give the same commit ids on every machine.
export GIT_AUTHOR_NAME="vgetrandom-6.1 harness"
export GIT_AUTHOR_EMAIL="harness@vgetrandom-6.1.invalid"
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME
export GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z"
export GIT_COMMITTER_DATE=$GIT_AUTHOR_DATE

say() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# step LABEL LOG CMD...: run a long command quietly with its output in LOG,
# print one line when it ends, and the tail of LOG if it fails.
step() {
	local label=$1 log=$2 start=$SECONDS
	shift 2
	printf '%s ...\n' "$label"
	mkdir -p "$(dirname "$log")"
	if "$@" >"$log" 2>&1; then
		printf '%s: done in %ds\n' "$label" $((SECONDS - start))
	else
		printf '%s: FAILED after %ds; last lines of %s:\n' \
			"$label" $((SECONDS - start)) "$log" >&2
		tail -n 40 "$log" >&2
		exit 1
	fi
}
