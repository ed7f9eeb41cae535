# SPDX-License-Identifier: GPL-2.0
# Run in the guest (busybox awk) on the kselftest runner's output: pass
# every line through as it comes, and after each test's closing line add
#
#   harness: time COLLECTION:TEST SECONDS of LIMIT
#
# its duration by the guest's clock and the runner's time limit for it
# (its collection's settings file, else kselftest's 45 s), for the table.

function uptime(line, f) {
	getline line <"/proc/uptime"
	close("/proc/uptime")
	split(line, f, " ")
	return f[1]
}

function time_limit(collection, line, limit) {
	limit = 45
	while ((getline line <("/kselftest/" collection "/settings")) > 0)
		if (line ~ /^timeout=[0-9]+$/)
			limit = substr(line, 9)
	close("/kselftest/" collection "/settings")
	return limit
}

{
	print
	fflush()
}

/^# selftests: [^ ]+: [^ ]+$/ {
	start = uptime()
}

/^(not )?ok [0-9]+ selftests: [^ ]+: [^ ]+/ {
	f = ($1 == "not") ? 5 : 4
	collection = substr($f, 1, length($f) - 1)
	printf "harness: time %s:%s %.1f of %d\n", collection, $(f + 1),
		uptime() - start, time_limit(collection)
	fflush()
}
