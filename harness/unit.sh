#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The host-side unit test of the assembled tree's vDSO getrandom() (see
# harness/vdso-unit/README): KTAP out; with RESULTS=FILE also "passed
# failed skipped" there, from the test's own totals line.
. "$(dirname "$0")/common.sh"

log=$BUILD/logs/vdso-unit.log
mkdir -p "$BUILD/logs"
set +e
make -s --no-print-directory -C "$HARNESS/vdso-unit" KSRC="$SERIES_TREE" \
	O="$BUILD/vdso-unit" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
counts=$(sed -n 's/^# Totals: pass:\([0-9]*\) fail:\([0-9]*\) .* skip:\([0-9]*\) .*/\1 \2 \3/p' "$log")
[ -n "$counts" ] || counts="0 1 0"
read -r p f s <<<"$counts"
[ "$status" = 0 ] || [ "$f" != 0 ] || f=1
say "$p passed, $f failed, $s skipped"
[ -z "${RESULTS:-}" ] || echo "$p $f $s" >"$RESULTS"
[ "$status" = 0 ] && [ "$f" = 0 ]
