# SPDX-License-Identifier: GPL-2.0
# Read a console log of the regress suite (harness/regress-suite) and
# print one line per result of the tests it ran: "SUITE: TEST<TAB>RESULT",
# RESULT pass, fail or skip (a TEST run again is numbered: "TEST (2)"). run_vmtests.sh reports each test it runs as
# "running COMMAND" then [PASS], [FAIL] or [SKIP]; the cgroup programs are
# KTAP, one "ok"/"not ok" line per test. Their output comes behind "| "
# (harness/initramfs/regress) through the kselftest runner ("# "): "# | ".
# The results of a vm test's own subtests are not read: run_vmtests.sh
# sums each test up itself.
{ sub(/\r$/, "") }

/^# selftests: regress: / {
	suite = $4
	running = ""
	next
}

suite == "run_vmtests" && /^# \| running / {
	running = substr($0, 13)
	next
}

suite == "run_vmtests" && running != "" && /^# \| \[(PASS|FAIL|SKIP)\]$/ {
	result = tolower(substr($3, 2, 4))
	emit("vm: " running, result)
	running = ""
	next
}

# "ok N NAME", "not ok N NAME", "ok N NAME # SKIP why" or "ok N # SKIP
# NAME". A result whose number was seen is a copy: the cgroup programs
# fork with unflushed output, which their children print again.
suite != "" && suite != "run_vmtests" && /^# \| (not )?ok [0-9]+ / {
	result = ($3 == "not") ? "fail" : "pass"
	number = (result == "fail") ? $5 : $4
	if (numbered[suite, number]++)
		next
	name = $0
	sub(/^# \| (not )?ok [0-9]+ /, "", name)
	if (name ~ /# [Ss][Kk][Ii][Pp]/)
		result = "skip"
	sub(/^# [Ss][Kk][Ii][Pp] */, "", name)
	sub(/ *#.*/, "", name)
	emit(suite ": " name, result)
}

# emit NAME RESULT: a result line; a name seen before gets a number
function emit(name, result) {
	if (seen[name]++)
		name = name " (" seen[name] ")"
	print name "\t" result
}
