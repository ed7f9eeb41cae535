# SPDX-License-Identifier: GPL-2.0
# KTAP-style results of a check script, sourced after common.sh: "ok N -
# WHAT" or "not ok N - WHAT" per result, then results_end.

pass=0 fail=0 n=0
result() {	# result DESCRIPTION COMMAND...: a result, ok if COMMAND succeeds
	local what=$1
	shift
	n=$((n + 1))
	if "$@"; then
		pass=$((pass + 1)); say "ok $n - $what"
	else
		fail=$((fail + 1)); say "not ok $n - $what"
	fi
}

# none TEXT: succeeds if TEXT is empty, else shows it, indented, and fails
none() { [ -z "$1" ] || { sed 's/^/    /' <<<"$1"; false; }; }

# results_end: "N passed, N failed" (and "passed failed skipped" to the
# file RESULTS, if set); fails if a result did.
results_end() {
	say "$pass passed, $fail failed"
	[ -z "${RESULTS:-}" ] || echo "$pass $fail 0" >"$RESULTS"
	[ "$fail" = 0 ]
}
