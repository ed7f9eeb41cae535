# SPDX-License-Identifier: GPL-2.0
# Split the SERIES manifest into one directory per entry under OUT:
#   OUT/00/      the cover letter: subject, message
#   OUT/NN/      patch NN: subject, files (one path a line), message
# The message file holds the subject line, a blank line and the body, as
# git expects a commit message.
#
# Format of SERIES: '#' lines before the first entry are comments. An entry
# starts with "cover: SUBJECT" or "patch: SUBJECT"; a patch's files follow
# as tab-indented lines; everything after them, up to the next entry, is
# the body of the message. A file may be in several patches (see
# assemble.sh for how its diff is shared out).

function finish() {
	if (dir == "")
		return
	sub(/\n+$/, "\n", body)
	printf "%s\n", subject > (dir "/subject")
	printf "%s\n\n%s", subject, body > (dir "/message")
	printf "%s", files > (dir "/files")
	close(dir "/subject"); close(dir "/message"); close(dir "/files")
}

function start(kind, text) {
	finish()
	if (kind == "cover") {
		if (ncover++)
			fail("more than one cover entry")
		dir = OUT "/00"
	} else {
		dir = sprintf("%s/%02d", OUT, ++npatch)
	}
	system("mkdir -p '" dir "'")
	subject = text; files = ""; body = ""; infiles = (kind == "patch")
}

function fail(msg) {
	printf "SERIES:%d: %s\n", NR, msg > "/dev/stderr"
	err = 1
	exit 1
}

/^(cover|patch): / {
	kind = substr($0, 1, 5)
	start(kind, substr($0, 8))
	next
}
dir == "" && /^#/ { next }
dir == "" && /^[[:space:]]*$/ { next }
dir == "" { fail("text before the first entry") }
infiles && /^\t[^\t ]/ {
	path = substr($0, 2)
	if (seen[npatch, path]++)
		fail(path " is listed twice in one patch")
	files = files path "\n"
	next
}
{
	infiles = 0
	if (body == "" && $0 ~ /^[[:space:]]*$/)
		next
	body = body $0 "\n"
}
END {
	if (err)
		exit 1
	finish()
}
