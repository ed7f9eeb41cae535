#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make debian`: the series on the kernel people run. Configure the
# series' tree with Debian 12's own amd64 configuration (KERNEL=debian:
# debian-config.sh, with config/debian.config on top), build the kernel,
# boot it and run the suite, as `make` does; then build the C files the
# series changes in the base's tree with the same configuration, and
# check that the series' give no warning the base's do not. Long (see
# README.md), and incremental: run again after an interruption, it goes
# on from where it stopped. KTAP-style lines, then "N passed, N failed";
# with RESULTS=FILE also "passed failed skipped".
export KERNEL=debian
. "$(dirname "$0")/common.sh"
[ "$ARCH" = x86_64 ] || die "Debian's configuration is amd64's: run it without ARCH"

. "$HARNESS/results.sh"

start=$SECONDS
mkdir -p "$BUILD/logs"
log=$BUILD/logs/debian-run.log
say "== the series' kernel with Debian's configuration: build, boot, suite (log: $log)"
set +e
RESULTS= make --no-print-directory -C "$TOP" run 2>&1 | tee "$log"
ran=${PIPESTATUS[0]}
set -e
result "Debian's configuration: builds, boots, the suite passes, console clean ($((SECONDS - start))s)" \
	[ "$ran" = 0 ]

# The series' C files that Debian's configuration builds, in the base's
# tree too (the base kernel, KERNEL=base in assemble.sh).
. "$HARNESS/warnings.sh"
series_obj=$OBJ
objects=$(for f in $touched; do
	case $f in *.c) [ ! -f "$series_obj/${f%.c}.o" ] || echo "${f%.c}.o" ;; esac
done)
KERNEL=base "$HARNESS/assemble.sh" >/dev/null
TREE=$BUILD/linux-base OBJ=$BUILD/obj-debian-base
. "$HARNESS/kbuild.sh"
START_CONFIG=$("$HARNESS/debian-config.sh") configure "$HARNESS/config/debian.config"
result "Debian's configuration: no new warning in $(wc -w <<<"$objects") objects of the series' files" \
	none "$(new_warnings debian "" "$series_obj" "$OBJ" $objects)"

results_end
