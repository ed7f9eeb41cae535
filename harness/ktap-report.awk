# SPDX-License-Identifier: GPL-2.0
# Read the guest's console, stream the KTAP results as they come, and end
# with a summary table and the line "N passed, N failed, N skipped".
# Exit status 0 only if every expected test reported and none failed,
# the run reached its end, the guest brought up two CPUs and two NUMA
# nodes (boot.sh), and the kernel printed no splat.
#
# Variables: expected  space-separated COLLECTION:TEST names that must report
#            console_log  where the full console log is (named on failure)
#            results      if set, a file to write "passed failed skipped" to
#            known        space-separated COLLECTION:TEST:N, nested results
#                         whose failure is a known, open bug
#                         (harness/known-failures)
#
# Counting: each nested KTAP result of a test counts once; a test without
# nested results counts as one. A test that reports "not ok" without a
# failing nested result counts one more failure (it crashed or exited
# non-zero). Skips are counted and shown, never as passes. A failing
# nested result listed in "known" is shown as KNOWN and counted with the
# skipped, and then the test's "not ok" is no failure of its own.

BEGIN {
	ntests = split(expected, order, " ")
	for (i = 1; i <= ntests; i++)
		listed[order[i]] = 1
	nknown = split(known, k, " ")
	for (i = 1; i <= nknown; i++)
		is_known[k[i]] = 1
	# Kernel lines carry a printk timestamp; test output does not.
	stamp = "\\[ *[0-9]+\\.[0-9]+\\] "
	# (a stack dump is "Call Trace:" on x86, "Call trace:" on arm64)
	splat = stamp ".*(BUG: |kernel BUG at|WARNING: |Oops|KASAN|UBSAN|" \
		"Call [Tt]race:|blocked for more than|soft lockup|hard LOCKUP|" \
		"general protection fault|page allocation failure|" \
		"rcu: INFO: |Kernel panic)"
}

function kind(line) {
	if (line ~ /# (SKIP|skip)/)
		return "skip"
	return line ~ /^not ok/ ? "fail" : "pass"
}

function show(line) {
	print line
	fflush()
}

{ sub(/\r+$/, "") }

# "harness: time COLLECTION:TEST SECONDS of LIMIT" (durations.awk): for
# the table, not the stream.
/^harness: time [^ ]+ [0-9.]+ of [0-9]+$/ {
	seconds[$3] = $4
	limit[$3] = $6
	next
}

/^harness: / {
	if ($0 ~ /^harness: suite finished/)
		finished = 1
	# QEMU runs the guest with two CPUs on two NUMA nodes: fewer of
	# either means SMP or NUMA went untested.
	if ($0 ~ /^harness: guest up, .*, [01] CPUs, /)
		one_cpu = 1
	if ($0 ~ /^harness: guest up, .*, [01] NUMA nodes, /)
		one_node = 1
	show($0)
	next
}

# An OOM kill is no kernel bug: the tests that must not cause one check
# for it (memory.events), and some cause one on purpose (6.1's memory
# cgroup tests; droppable's page tables filling a memory cgroup may). The
# stack dump of its report is no splat.
$0 ~ stamp ".* invoked oom-killer: " {
	oom_report = 1
	next
}

oom_report && $0 ~ stamp "Call [Tt]race:" {
	oom_report = 0
	next
}

$0 ~ splat {
	if (++nsplat <= 20)
		show("!! console: " $0)
	if ($0 ~ /Kernel panic/)
		panicked = 1
	next
}

/^TAP version [0-9]+$/ || /^1\.\.[0-9]+$/ {
	show($0)
	next
}

# "# selftests: COLLECTION: TEST" opens a test's output.
/^# selftests: [^ ]+: [^ ]+$/ {
	current = $3 $4
	show($0)
	next
}

# Its nested results, as the runner prefixes them: "# ok 1 ...".
current != "" && /^# (not )?ok [0-9]+ / {
	line = substr($0, 3)
	what = kind(line)
	if (what == "fail" && (current ":" $4) in is_known) {
		what = "known"
		line = line " # KNOWN FAILURE (harness/known-failures)"
	}
	nested[current, what]++
	show("    " line)
	next
}

# "ok N selftests: COLLECTION: TEST" closes it.
/^(not )?ok [0-9]+ selftests: [^ ]+: [^ ]+/ {
	f = ($1 == "not") ? 5 : 4
	test = $f $(f + 1)
	result[test] = kind($0)
	if (!(test in listed)) {
		listed[test] = 1
		order[++ntests] = test
	}
	current = ""
	show($0)
}

function count(test, what, n) {
	n = nested[test, what] + 0
	tally[what] += n
	return n
}

END {
	print ""
	printf "%-40s %-8s %5s %5s %5s %14s\n", "test", "result", "pass", "fail",
		"skip", "seconds"
	for (i = 1; i <= ntests; i++) {
		t = order[i]
		p = count(t, "pass"); f = count(t, "fail"); s = count(t, "skip")
		kn = count(t, "known")
		s += kn
		if (!(t in result)) {
			r = "MISSING"
			f++; tally["fail"]++
		} else if (p + f + s == 0) {
			r = result[t]
			if (r == "pass") p++
			if (r == "fail") f++
			if (r == "skip") s++
			tally[r]++
		} else {
			r = result[t]
			if (r == "fail" && f == 0 && kn)
				r = "known"
			else if (r == "fail" && f == 0) {
				f++; tally["fail"]++
			}
		}
		if (r == "pass" && f > 0)
			r = "fail"
		# the time taken and the time limit, where the guest said
		took = (t in seconds) ? sprintf("%s of %s", seconds[t], limit[t]) : "-"
		printf "%-40s %-8s %5d %5d %5d %14s\n", t, r, p, f, s, took
	}
	if (!finished) {
		printf "%-40s %s\n", "run completed", "FAIL (timeout, crash or truncated log)"
		tally["fail"]++
	}
	if (one_cpu) {
		printf "%-40s %s\n", "guest CPUs", "FAIL (one CPU came up, not two)"
		tally["fail"]++
	}
	if (one_node) {
		printf "%-40s %s\n", "guest NUMA nodes", "FAIL (one node came up, not two)"
		tally["fail"]++
	}
	if (nsplat) {
		printf "%-40s FAIL (%d line%s%s)\n", "kernel console clean", nsplat,
			(nsplat > 1 ? "s" : ""), (panicked ? ", kernel panic" : "")
		tally["fail"]++
	}
	if ((!finished || nsplat || tally["fail"]) && console_log != "")
		print "full console log: " console_log
	if (tally["known"])
		printf "%d known failure%s (harness/known-failures), counted as skipped\n",
			tally["known"], (tally["known"] > 1 ? "s" : "")
	tally["skip"] += tally["known"]
	printf "%d passed, %d failed, %d skipped\n", tally["pass"], tally["fail"], tally["skip"]
	if (results != "")
		printf "%d %d %d\n", tally["pass"], tally["fail"], tally["skip"] > results
	exit tally["fail"] > 0
}
