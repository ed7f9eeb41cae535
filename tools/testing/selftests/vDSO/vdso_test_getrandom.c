// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests for the vDSO getrandom() function, vgetrandom(), which fills a
 * buffer from a per-thread ChaCha20 state kept in memory the caller maps
 * with the parameters the vDSO reports, and which must behave exactly like
 * the getrandom() syscall given the same arguments.
 *
 * Without arguments this prints KTAP results. "bench-single" and
 * "bench-multi [threads]" print nanoseconds per call for the vDSO function
 * and for the syscall instead; those figures are not pass/fail.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <linux/mman.h>
#include <linux/random.h>

#include "../kselftest.h"
#include "parse_vdso.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME	0x00000080
#endif

#if defined(__x86_64__)
#define VGETRANDOM_VERSION	"LINUX_2.6"
#define VGETRANDOM_NAME		"__vdso_getrandom"
#elif defined(__aarch64__)
#define VGETRANDOM_VERSION	"LINUX_2.6.39"
#define VGETRANDOM_NAME		"__kernel_getrandom"
#else
/* Not wired up here: the tests report SKIP. */
#define VGETRANDOM_NAME		"getrandom"
#endif

/* Exit codes of forked helpers. */
#define CHILD_PASS	0
#define CHILD_FAIL	1
#define CHILD_SKIP	2

static int child_fail(const char *what)
{
	ksft_print_msg("%s: %s\n", what, strerror(errno));
	return CHILD_FAIL;
}

#define NR_THREADS		64
#define THREAD_CALLS		256
#define STATE_CHUNK_PAGES	4

static struct {
	ssize_t (*fn)(void *buffer, size_t len, unsigned int flags,
		      void *opaque_state, size_t opaque_len);
	struct vgetrandom_opaque_params params;
	bool have_params;
	size_t page_size;
} vgrnd;

/* The reason printed with the next SKIP result. */
static char skip_reason[256];

static int test_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(skip_reason, sizeof(skip_reason), fmt, ap);
	va_end(ap);
	return KSFT_SKIP;
}

static ssize_t vgetrandom(void *buf, size_t len, unsigned int flags, void *state)
{
	return vgrnd.fn(buf, len, flags, state, vgrnd.params.size_of_opaque_state);
}

/* The syscall, returning errors the way the vDSO does: as -errno. */
static ssize_t sys_getrandom(void *buf, size_t len, unsigned int flags)
{
	long ret = syscall(SYS_getrandom, buf, len, flags);

	return ret == -1 ? -errno : ret;
}

/*
 * Hand out opaque states the way a libc would: map whole pages with exactly
 * the protection and flags the vDSO asked for, and slice them so that no
 * state straddles a page boundary.
 */
static struct {
	pthread_mutex_t lock;
	char *chunk;
	size_t off;
} pool = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void *state_alloc(void)
{
	size_t size = vgrnd.params.size_of_opaque_state;
	size_t chunk_len = STATE_CHUNK_PAGES * vgrnd.page_size;
	void *state = NULL;

	if (!vgrnd.have_params || !size || size > vgrnd.page_size)
		return NULL;

	pthread_mutex_lock(&pool.lock);
	if (pool.chunk && pool.off % vgrnd.page_size + size > vgrnd.page_size)
		pool.off += vgrnd.page_size - pool.off % vgrnd.page_size;
	if (!pool.chunk || pool.off + size > chunk_len) {
		char *chunk = mmap(NULL, chunk_len, vgrnd.params.mmap_prot,
				   vgrnd.params.mmap_flags, -1, 0);

		if (chunk == MAP_FAILED) {
			ksft_print_msg("mmap(prot=%#x, flags=%#x) of states: %s\n",
				       vgrnd.params.mmap_prot,
				       vgrnd.params.mmap_flags, strerror(errno));
			goto out;
		}
		pool.chunk = chunk;
		pool.off = 0;
	}
	state = pool.chunk + pool.off;
	pool.off += size;
out:
	pthread_mutex_unlock(&pool.lock);
	return state;
}

static bool straddles_page(const void *state)
{
	uintptr_t start = (uintptr_t)state;
	uintptr_t end = start + vgrnd.params.size_of_opaque_state - 1;

	return start / vgrnd.page_size != end / vgrnd.page_size;
}

static int cmp16(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

/* True if none of the n 16-byte records at recs is repeated. */
static bool all_distinct16(uint8_t (*recs)[16], size_t n)
{
	size_t i;

	qsort(recs, n, 16, cmp16);
	for (i = 1; i < n; i++)
		if (!memcmp(recs[i - 1], recs[i], 16))
			return false;
	return true;
}

static bool all_bytes(const uint8_t *p, size_t len, uint8_t val)
{
	while (len--)
		if (*p++ != val)
			return false;
	return true;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Syscall tracing: a child stops itself, the parent traces it with
 * PTRACE_SYSCALL and records the number and first arguments of every
 * syscall the child enters. Markers (close() of a negative, impossible fd)
 * let the child delimit the phases the parent looks at.
 */
#define MAX_TRACE_RECS	8192

struct syscall_rec {
	unsigned long nr;
	unsigned long args[3];
};

static struct {
	struct syscall_rec rec[MAX_TRACE_RECS];
	size_t nrec;
	bool overflow;
	int exit_status;	/* exit code, or -signal if killed */
} trace;

#define MARKER_BASE	(-100000L)

static void trace_marker(long id)
{
	syscall(SYS_close, MARKER_BASE - id);
}

static bool is_marker(const struct syscall_rec *r, long id)
{
	return r->nr == SYS_close && (long)r->args[0] == MARKER_BASE - id;
}

/* Index of the record of marker id, or -1. */
static long find_marker(long id)
{
	size_t i;

	for (i = 0; i < trace.nrec; i++)
		if (is_marker(&trace.rec[i], id))
			return i;
	return -1;
}

/* getrandom() syscalls recorded strictly between records from and to. */
static size_t count_getrandom(long from, long to, const void *lo, size_t len)
{
	uintptr_t start = (uintptr_t)lo;
	size_t n = 0;
	long i;

	for (i = from + 1; i < to && i < (long)trace.nrec; i++) {
		const struct syscall_rec *r = &trace.rec[i];

		if (r->nr == SYS_getrandom &&
		    r->args[0] >= start && r->args[0] < start + len)
			n++;
	}
	return n;
}

static size_t count_all_getrandom(long from, long to)
{
	return count_getrandom(from, to, NULL, UINTPTR_MAX);
}

/*
 * Run fn(arg) in a traced child. Returns 0 once the child has exited (its
 * status is in trace.exit_status), -1 if tracing itself failed.
 */
static int run_traced(int (*fn)(void *), void *arg)
{
	int status, sig = 0;
	pid_t pid;

	memset(&trace, 0, sizeof(trace));
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		ksft_print_msg("fork: %s\n", strerror(errno));
		return -1;
	}
	if (!pid) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
			_exit(CHILD_FAIL);
		raise(SIGSTOP);
		_exit(fn(arg));
	}

	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status) ||
	    WSTOPSIG(status) != SIGSTOP) {
		ksft_print_msg("traced child did not stop\n");
		goto kill;
	}
	if (ptrace(PTRACE_SETOPTIONS, pid, NULL,
		   PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL)) {
		ksft_print_msg("PTRACE_SETOPTIONS: %s\n", strerror(errno));
		goto kill;
	}

	for (;;) {
		struct __ptrace_syscall_info info;

		if (ptrace(PTRACE_SYSCALL, pid, NULL, sig)) {
			ksft_print_msg("PTRACE_SYSCALL: %s\n", strerror(errno));
			goto kill;
		}
		sig = 0;
		if (waitpid(pid, &status, 0) != pid) {
			ksft_print_msg("waitpid: %s\n", strerror(errno));
			goto kill;
		}
		if (WIFEXITED(status)) {
			trace.exit_status = WEXITSTATUS(status);
			return 0;
		}
		if (WIFSIGNALED(status)) {
			trace.exit_status = -WTERMSIG(status);
			return 0;
		}
		if (!WIFSTOPPED(status))
			continue;
		if (WSTOPSIG(status) != (SIGTRAP | 0x80)) {
			/* A signal for the child: deliver it. */
			sig = WSTOPSIG(status);
			continue;
		}
		if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(info),
			   &info) <= 0) {
			ksft_print_msg("PTRACE_GET_SYSCALL_INFO: %s\n",
				       strerror(errno));
			goto kill;
		}
		if (info.op != PTRACE_SYSCALL_INFO_ENTRY)
			continue;
		if (trace.nrec == MAX_TRACE_RECS) {
			trace.overflow = true;
			continue;
		}
		trace.rec[trace.nrec].nr = info.entry.nr;
		memcpy(trace.rec[trace.nrec].args, info.entry.args,
		       sizeof(trace.rec[0].args));
		trace.nrec++;
	}

kill:
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

/* Common verdict on a traced run: tracing worked and the child passed. */
static bool traced_child_ok(int ret)
{
	if (ret)
		return false;
	if (trace.overflow) {
		ksft_print_msg("more than %d syscalls traced\n", MAX_TRACE_RECS);
		return false;
	}
	if (trace.exit_status != CHILD_PASS) {
		ksft_print_msg("traced child failed (status %d)\n",
			       trace.exit_status);
		return false;
	}
	return true;
}

/* Buffers written by children; the same addresses in parent and child. */
static uint8_t user_buf[1 << 17];
static uint8_t control_buf[64];

/* ---------------------------------------------------------------------- */

static int test_symbol(void)
{
	/* Checked in main(): only reached when the symbol exists. */
	return KSFT_PASS;
}

static int test_query(void)
{
	struct vgetrandom_opaque_params *p = &vgrnd.params;
	unsigned int want_flags = MAP_DROPPABLE | MAP_ANONYMOUS;
	unsigned int want_prot = PROT_READ | PROT_WRITE;
	bool ok = true;
	ssize_t ret;
	size_t i;

	/* Poison the output so that "left untouched" cannot pass. */
	memset(p, 0xa5, sizeof(*p));
	ret = vgrnd.fn(NULL, 0, 0, p, ~0UL);
	if (ret) {
		ksft_print_msg("query call returned %zd, not 0\n", ret);
		return KSFT_FAIL;
	}
	/*
	 * A state holds at least a 256-bit key; one that could not fit in a
	 * page could not be sliced without straddling one.
	 */
	if (p->size_of_opaque_state < 32 ||
	    p->size_of_opaque_state > vgrnd.page_size) {
		ksft_print_msg("size_of_opaque_state %u is not sensible\n",
			       p->size_of_opaque_state);
		ok = false;
	}
	if (p->mmap_prot != want_prot) {
		ksft_print_msg("mmap_prot %#x, expected %#x\n", p->mmap_prot,
			       want_prot);
		ok = false;
	}
	if (p->mmap_flags != want_flags) {
		ksft_print_msg("mmap_flags %#x, expected %#x\n", p->mmap_flags,
			       want_flags);
		ok = false;
	}
	for (i = 0; i < ARRAY_SIZE(p->reserved); i++) {
		if (p->reserved[i]) {
			ksft_print_msg("reserved[%zu] = %#x, expected 0\n", i,
				       p->reserved[i]);
			ok = false;
		}
	}
	ksft_print_msg("opaque state: %u bytes, prot %#x, flags %#x\n",
		       p->size_of_opaque_state, p->mmap_prot, p->mmap_flags);
	vgrnd.have_params = ok;
	return ok ? KSFT_PASS : KSFT_FAIL;
}

static int test_states(void)
{
	size_t per_page = vgrnd.page_size / vgrnd.params.size_of_opaque_state;
	size_t i, n = 3 * STATE_CHUNK_PAGES * per_page;
	uint8_t buf[32];

	/* Several chunks' worth, so that page and chunk ends are crossed. */
	for (i = 0; i < n; i++) {
		void *state = state_alloc();
		ssize_t ret;

		if (!state)
			return KSFT_FAIL;
		if (straddles_page(state)) {
			ksft_print_msg("allocator bug: state %p straddles a page\n",
				       state);
			return KSFT_FAIL;
		}
		ret = vgetrandom(buf, sizeof(buf), 0, state);
		if (ret != sizeof(buf)) {
			ksft_print_msg("state %zu at %p: vgetrandom returned %zd\n",
				       i, state, ret);
			return KSFT_FAIL;
		}
	}
	ksft_print_msg("%zu states, %zu per page, all usable\n", n, per_page);
	return KSFT_PASS;
}

#define GUARD_LEN	64
#define GUARD_BYTE	0xcc

#define SEEN_WRITTEN	1
#define SEEN_CHANGED	2
#define SEEN_ALL	(SEEN_WRITTEN | SEEN_CHANGED)

struct size_check {
	uint8_t *area;		/* guards and buffer */
	uint8_t *prev;		/* previous output */
	uint8_t *seen;		/* SEEN_* per byte of the buffer */
	size_t zeroes, bytes;	/* zero bytes among the bytes output */
};

/*
 * Serve len bytes at an offset making the destination unaligned, with
 * guards on both sides. Repeat, with different sentinels, until every byte
 * of the buffer has been seen to differ from the sentinel written before
 * the call (a byte the vDSO skips keeps it) and from the same byte of the
 * previous output (a byte stuck at one value, e.g. zero, does not change).
 * The probability that a random byte does neither in 16 calls is 2^-120.
 */
static bool check_size(void *state, size_t len, struct size_check *c)
{
	static const uint8_t sentinels[] = { 0x00, 0xff, 0x5a, 0xa5 };
	size_t misalign = len % 8, left = len, i, trial;
	uint8_t *area = c->area, *prev = c->prev, *seen = c->seen;
	uint8_t *buf = area + GUARD_LEN + misalign;

	memset(seen, 0, len);
	for (trial = 0; trial < 16 && (left || trial < 4); trial++) {
		uint8_t sentinel = sentinels[trial % ARRAY_SIZE(sentinels)];
		ssize_t ret;

		memset(area, GUARD_BYTE, GUARD_LEN + misalign);
		memset(buf, sentinel, len);
		memset(buf + len, GUARD_BYTE, GUARD_LEN);
		ret = vgetrandom(buf, len, 0, state);
		if (ret != (ssize_t)len) {
			ksft_print_msg("len %zu: returned %zd\n", len, ret);
			return false;
		}
		if (!all_bytes(area, GUARD_LEN + misalign, GUARD_BYTE) ||
		    !all_bytes(buf + len, GUARD_LEN, GUARD_BYTE)) {
			ksft_print_msg("len %zu: wrote outside the buffer\n", len);
			return false;
		}
		for (i = 0; i < len; i++) {
			uint8_t was = seen[i];

			if (buf[i] != sentinel)
				seen[i] |= SEEN_WRITTEN;
			if (trial && buf[i] != prev[i])
				seen[i] |= SEEN_CHANGED;
			if (seen[i] == SEEN_ALL && was != SEEN_ALL)
				left--;
			c->zeroes += !buf[i];
		}
		c->bytes += len;
		/* Eight bytes repeat by chance with probability 2^-64. */
		if (len >= 8 && trial && !memcmp(prev, buf, len)) {
			ksft_print_msg("len %zu: same output twice\n", len);
			return false;
		}
		memcpy(prev, buf, len);
	}
	if (left) {
		ksft_print_msg("len %zu: %zu bytes never written or never changed\n",
			       len, left);
		return false;
	}
	return true;
}

static int test_odd_sizes(void)
{
	static const size_t big[] = {
		1000, 1023, 1024, 1025, 4095, 4096, 4097, 8191, 8192, 8193,
		65535, 65536, 65537, (1 << 20) + 13,
	};
	size_t max = big[ARRAY_SIZE(big) - 1], i, len, ones = 0;
	struct size_check c = { 0 };
	double diff, var;
	void *state;
	bool ok = true;

	state = state_alloc();
	c.area = malloc(max + 2 * GUARD_LEN + 8);
	c.prev = malloc(max);
	c.seen = malloc(max);
	if (!state || !c.area || !c.prev || !c.seen) {
		ok = false;
		goto out;
	}

	/* Every size across several batches and blocks... */
	for (len = 1; len <= 600 && ok; len++)
		ok = check_size(state, len, &c);
	if (!ok)
		goto out;

	/*
	 * ... where serving a byte twice would show up as extra zeroes (the
	 * vDSO zeroes keystream it hands out): there must be about one zero
	 * in 256 bytes, within ten standard deviations.
	 */
	diff = (double)c.zeroes - c.bytes / 256.0;
	var = c.bytes / 256.0 * (255.0 / 256);
	if (diff * diff > 100 * var) {
		ksft_print_msg("%zu zero bytes in %zu: unexpected\n", c.zeroes,
			       c.bytes);
		ok = false;
		goto out;
	}

	/* Then larger sizes, up to several pages. */
	for (i = 0; i < ARRAY_SIZE(big) && ok; i++)
		ok = check_size(state, big[i], &c);
	if (!ok)
		goto out;

	/*
	 * The last output is over a megabyte: its bits must be balanced to
	 * within ten standard deviations (the variance of a count of n fair
	 * bits is n / 4), which excludes, e.g., zeroed blocks.
	 */
	for (i = 0; i < max; i++)
		ones += __builtin_popcount(c.prev[i]);
	diff = (double)ones - max * 4.0;
	var = max * 8.0 / 4;
	if (diff * diff > 100 * var) {
		ksft_print_msg("%zu one bits in %zu bytes: unbalanced\n", ones,
			       max);
		ok = false;
	}
out:
	free(c.area);
	free(c.prev);
	free(c.seen);
	return ok ? KSFT_PASS : KSFT_FAIL;
}

static int test_distinct(void)
{
	size_t n = 4096, i;
	uint8_t (*recs)[16];
	void *a, *b;
	bool ok = true;

	a = state_alloc();
	b = state_alloc();
	recs = calloc(n, 16);
	if (!a || !b || !recs) {
		free(recs);
		return KSFT_FAIL;
	}
	/* 8-byte outputs of two interleaved states: no repeats at all. */
	for (i = 0; i < n && ok; i++) {
		ssize_t ret = vgetrandom(recs[i], 8, 0, i & 1 ? a : b);

		if (ret != 8) {
			ksft_print_msg("call %zu returned %zd\n", i, ret);
			ok = false;
		}
	}
	if (ok && !all_distinct16(recs, n)) {
		ksft_print_msg("an 8-byte output repeated\n");
		ok = false;
	}
	free(recs);
	return ok ? KSFT_PASS : KSFT_FAIL;
}

static const size_t traced_sizes[] = {
	1, 7, 16, 31, 32, 33, 63, 64, 65, 127, 128, 129, 200, 255, 256, 257,
	511, 512, 513, 1000, 4096, 4097, 65536, sizeof(user_buf),
};

/* Runs in a traced child: a control syscall, then only vDSO calls. */
static int userspace_child(void *state)
{
	size_t i;

	if (sys_getrandom(control_buf, sizeof(control_buf), 0) !=
	    sizeof(control_buf))
		return CHILD_FAIL;
	trace_marker(1);
	for (i = 0; i < ARRAY_SIZE(traced_sizes); i++) {
		memset(user_buf, 0, traced_sizes[i]);
		if (vgetrandom(user_buf, traced_sizes[i], 0, state) !=
		    (ssize_t)traced_sizes[i])
			return CHILD_FAIL;
		if (traced_sizes[i] >= 16 && all_bytes(user_buf, 16, 0))
			return CHILD_FAIL;
	}
	for (i = 0; i < 1000; i++)
		if (vgetrandom(user_buf + i % 64, 24, 0, state) != 24)
			return CHILD_FAIL;
	trace_marker(2);
	return CHILD_PASS;
}

/*
 * Verdict on a run of userspace_child(): the control syscall was seen with
 * the control buffer (so the tracing would catch a fallback), and between
 * the markers no getrandom() syscall had the caller's buffer as its target;
 * any syscall there may only fetch a key into the state.
 */
static bool check_userspace_trace(void *state)
{
	long m1 = find_marker(1), m2 = find_marker(2);
	size_t to_buf, to_state, all;

	if (m1 < 0 || m2 < 0) {
		ksft_print_msg("markers missing from the trace\n");
		return false;
	}
	if (count_getrandom(-1, m1, control_buf, sizeof(control_buf)) != 1) {
		ksft_print_msg("control getrandom() syscall not seen\n");
		return false;
	}
	to_buf = count_getrandom(m1, m2, user_buf, sizeof(user_buf));
	to_state = count_getrandom(m1, m2, state,
				   vgrnd.params.size_of_opaque_state);
	all = count_all_getrandom(m1, m2);
	ksft_print_msg("getrandom() syscalls: %zu to the buffer, %zu to the state, %zu other\n",
		       to_buf, to_state, all - to_buf - to_state);
	return !to_buf && to_state == all;
}

static int test_userspace(void)
{
	void *state = state_alloc();

	if (!state)
		return KSFT_FAIL;
	if (!traced_child_ok(run_traced(userspace_child, state)))
		return KSFT_FAIL;
	return check_userspace_trace(state) ? KSFT_PASS : KSFT_FAIL;
}

#define TIMENS_OFFSET_SECS	(10 * 24 * 3600)

/* CLOCK_MONOTONIC seconds of the creator of the namespace, before it. */
static time_t timens_creator_secs;

static int timens_child(void *state)
{
	struct timespec ts;
	char path[64], ns[64];
	ssize_t n;

	/* Entered a new namespace, with the offset its creator set. */
	n = readlink("/proc/self/ns/time", ns, sizeof(ns) - 1);
	if (n < 0)
		return child_fail("readlink /proc/self/ns/time");
	ns[n] = 0;
	n = readlink("/proc/self/ns/time_for_children", path, sizeof(path) - 1);
	if (n < 0)
		return child_fail("readlink /proc/self/ns/time_for_children");
	path[n] = 0;
	if (strcmp(ns, path)) {
		ksft_print_msg("child not in the new time namespace\n");
		return CHILD_FAIL;
	}
	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		return child_fail("clock_gettime");
	if (ts.tv_sec - timens_creator_secs < TIMENS_OFFSET_SECS - 1) {
		ksft_print_msg("time namespace offset not in effect\n");
		return CHILD_FAIL;
	}
	return userspace_child(state);
}

/*
 * In a new time namespace the vvar pages are laid out differently. The
 * child must still be served by the vDSO (tracing shows no fallback to the
 * syscall, which a misread data page would cause).
 */
static int timens_helper(void *state)
{
	char parent_ns[64], child_ns[64];
	struct timespec ts;
	ssize_t n;
	FILE *f;

	if (unshare(CLONE_NEWTIME)) {
		if (errno == EPERM || errno == EINVAL)
			return CHILD_SKIP;
		return child_fail("unshare(CLONE_NEWTIME)");
	}
	n = readlink("/proc/self/ns/time", parent_ns, sizeof(parent_ns) - 1);
	if (n < 0)
		return child_fail("readlink /proc/self/ns/time");
	parent_ns[n] = 0;
	n = readlink("/proc/self/ns/time_for_children", child_ns,
		     sizeof(child_ns) - 1);
	if (n < 0)
		return child_fail("readlink /proc/self/ns/time_for_children");
	child_ns[n] = 0;
	if (!strcmp(parent_ns, child_ns)) {
		ksft_print_msg("unshare(CLONE_NEWTIME) made no new namespace\n");
		return CHILD_FAIL;
	}

	f = fopen("/proc/self/timens_offsets", "w");
	if (!f)
		return child_fail("open /proc/self/timens_offsets");
	if (fprintf(f, "monotonic %d 0\n", TIMENS_OFFSET_SECS) < 0 ||
	    fclose(f))
		return child_fail("write /proc/self/timens_offsets");
	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		return child_fail("clock_gettime");
	timens_creator_secs = ts.tv_sec;

	if (!traced_child_ok(run_traced(timens_child, state)))
		return CHILD_FAIL;
	return check_userspace_trace(state) ? CHILD_PASS : CHILD_FAIL;
}

static int test_timens(void)
{
	void *state = state_alloc();
	int status;
	pid_t pid;

	if (!state)
		return KSFT_FAIL;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return KSFT_FAIL;
	if (!pid) {
		int ret = timens_helper(state);

		fflush(stdout);
		_exit(ret);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return KSFT_FAIL;
	if (WEXITSTATUS(status) == CHILD_SKIP)
		return test_skip("cannot create a time namespace (needs root and CONFIG_TIME_NS)");
	return WEXITSTATUS(status) == CHILD_PASS ? KSFT_PASS : KSFT_FAIL;
}

static int test_fork(void)
{
	enum { ROUNDS = 32, LEN = 32 };
	uint8_t (*recs)[16] = calloc(2 * ROUNDS, 16);
	uint8_t out[LEN], child_out[LEN];
	void *state = state_alloc();
	bool ok = true;
	int i;

	if (!state || !recs) {
		free(recs);
		return KSFT_FAIL;
	}
	for (i = 0; i < ROUNDS && ok; i++) {
		int fds[2], status;
		ssize_t ret;
		pid_t pid;

		/* Key the state before the fork. */
		if (vgetrandom(out, LEN, 0, state) != LEN || pipe(fds)) {
			ok = false;
			break;
		}
		fflush(stdout);
		pid = fork();
		if (pid < 0) {
			ok = false;
			break;
		}
		if (!pid) {
			ret = vgetrandom(out, LEN, 0, state);
			if (ret != LEN || write(fds[1], out, LEN) != LEN)
				_exit(CHILD_FAIL);
			_exit(CHILD_PASS);
		}
		ret = vgetrandom(out, LEN, 0, state);
		close(fds[1]);
		if (read(fds[0], child_out, LEN) != LEN || ret != LEN)
			ok = false;
		close(fds[0]);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != CHILD_PASS)
			ok = false;
		if (!ok) {
			ksft_print_msg("round %d: a call failed\n", i);
			break;
		}
		if (!memcmp(out, child_out, LEN)) {
			ksft_print_msg("round %d: parent and child got the same bytes\n",
				       i);
			ok = false;
		}
		memcpy(recs[2 * i], out, 16);
		memcpy(recs[2 * i + 1], child_out, 16);
	}
	if (ok && !all_distinct16(recs, 2 * ROUNDS)) {
		ksft_print_msg("output repeated across forks\n");
		ok = false;
	}
	free(recs);
	return ok ? KSFT_PASS : KSFT_FAIL;
}

#define RESEED_STATES	4

static int rnd_fd = -1;

/*
 * What can a reseed be seen to do? The state is opaque, so the generation
 * it records cannot be read, and output differing after the reseed proves
 * nothing: it differs from call to call anyway. What is observable is the
 * vDSO's reaction to the new generation: the next call on every state
 * fetches a fresh key with the getrandom() syscall, into that state (not
 * into the caller's buffer, which would be a fallback), and still returns
 * the bytes asked for. The traced child brackets each call after the
 * reseed with markers, so the parent can tie each key fetch to its state.
 */
static int reseed_child(void *arg)
{
	uint8_t **states = arg;
	uint8_t before[RESEED_STATES][32];
	int i;

	for (i = 0; i < RESEED_STATES; i++)
		if (vgetrandom(before[i], 32, 0, states[i]) != 32)
			return CHILD_FAIL;
	trace_marker(1);
	if (ioctl(rnd_fd, RNDRESEEDCRNG))
		return CHILD_FAIL;
	for (i = 0; i < RESEED_STATES; i++) {
		trace_marker(2 + i);
		if (vgetrandom(user_buf, 32, 0, states[i]) != 32 ||
		    !memcmp(user_buf, before[i], 32))
			return CHILD_FAIL;
	}
	trace_marker(2 + RESEED_STATES);
	return CHILD_PASS;
}

static int test_reseed(void)
{
	void *states[RESEED_STATES];
	bool ok;
	int i;

	rnd_fd = open("/dev/random", O_RDONLY);
	if (rnd_fd < 0)
		return test_skip("cannot open /dev/random: %s", strerror(errno));
	if (ioctl(rnd_fd, RNDRESEEDCRNG)) {
		int err = errno;

		close(rnd_fd);
		if (err == EPERM)
			return test_skip("RNDRESEEDCRNG needs CAP_SYS_ADMIN");
		ksft_print_msg("RNDRESEEDCRNG: %s\n", strerror(err));
		return KSFT_FAIL;
	}
	for (i = 0; i < RESEED_STATES; i++) {
		states[i] = state_alloc();
		if (!states[i])
			return KSFT_FAIL;
	}
	ok = traced_child_ok(run_traced(reseed_child, states));
	close(rnd_fd);
	if (!ok)
		return KSFT_FAIL;
	for (i = 0; i < RESEED_STATES; i++) {
		long from = find_marker(2 + i), to = find_marker(3 + i);

		if (from < 0 || to < 0) {
			ksft_print_msg("markers missing from the trace\n");
			return KSFT_FAIL;
		}
		if (count_getrandom(from, to, user_buf, sizeof(user_buf))) {
			ksft_print_msg("state %d: fell back to the syscall\n", i);
			ok = false;
		}
		if (!count_getrandom(from, to, states[i],
				     vgrnd.params.size_of_opaque_state)) {
			ksft_print_msg("state %d: not rekeyed after the reseed\n", i);
			ok = false;
		}
	}
	return ok ? KSFT_PASS : KSFT_FAIL;
}

/*
 * The crng must reseed, and the states rekey, on the kernel's reseed
 * interval even when nothing in the kernel asks the crng for bytes, as is
 * the case for a process that only calls vgetrandom(). A traced child
 * keys a state, then does nothing but call vgetrandom() (and read the
 * clock) for two intervals and a bit; the parent counts the key fetches,
 * getrandom() syscalls into the state, in that time. The interval is that
 * of the kernel's crng: a minute, but half the uptime (at least a second)
 * during the first two minutes after boot, which is when this can be
 * checked in a test's time.
 */
static uint64_t schedule_ns;

static int schedule_child(void *state)
{
	unsigned long i, every = 1;
	uint64_t end, last, now;
	uint8_t buf[4];

	if (vgetrandom(buf, sizeof(buf), 0, state) != sizeof(buf))
		return CHILD_FAIL;
	trace_marker(1);
	last = now_ns();
	end = last + schedule_ns;
	for (i = 1;; i++) {
		if (vgetrandom(buf, sizeof(buf), 0, state) != sizeof(buf))
			return CHILD_FAIL;
		if (i % every)
			continue;
		/*
		 * Where the clock is not readable in the vDSO, each reading is
		 * a traced syscall: read it about every 50 ms, not more.
		 */
		now = now_ns();
		if (now >= end)
			break;
		if (now - last < 50000000 && every < 1000000000)
			every *= 2;
		last = now;
	}
	trace_marker(2);
	return CHILD_PASS;
}

static int test_scheduled_reseed(void)
{
	unsigned long uptime, interval;
	long from, to;
	size_t fetches;
	void *state;
	FILE *f;

	f = fopen("/proc/uptime", "r");
	if (!f || fscanf(f, "%lu", &uptime) != 1) {
		if (f)
			fclose(f);
		return test_skip("cannot read /proc/uptime");
	}
	fclose(f);
	interval = uptime < 120 ? (uptime / 2 > 1 ? uptime / 2 : 1) : 60;
	/* a slow boot makes it up to 30 s: still worth the wait */
	if (interval > 30)
		return test_skip("uptime %lu s: reseeds %lu s apart, too long a wait",
				 uptime, interval);
	schedule_ns = (2 * interval + 2) * 1000000000ULL;

	state = state_alloc();
	if (!state)
		return KSFT_FAIL;
	if (!traced_child_ok(run_traced(schedule_child, state)))
		return KSFT_FAIL;
	from = find_marker(1);
	to = find_marker(2);
	if (from < 0 || to < 0) {
		ksft_print_msg("markers missing from the trace\n");
		return KSFT_FAIL;
	}
	fetches = count_getrandom(from, to, state,
				  vgrnd.params.size_of_opaque_state);
	ksft_print_msg("uptime %lu s, reseed interval %lu s: %zu key fetches in %lu s\n",
		       uptime, interval, fetches, 2 * interval + 2);
	if (!fetches) {
		ksft_print_msg("never rekeyed: the crng did not reseed by itself\n");
		return KSFT_FAIL;
	}
	return KSFT_PASS;
}

static int test_unknown_flags(void)
{
	void *state = state_alloc();
	uint8_t buf[16];
	bool ok = true;
	int bit;

	if (!state)
		return KSFT_FAIL;
	for (bit = 3; bit <= 32; bit++) {
		unsigned int flags = bit < 32 ? 1U << bit : ~0U;
		ssize_t vret = vgetrandom(buf, sizeof(buf), flags, state);
		ssize_t sret = sys_getrandom(buf, sizeof(buf), flags);

		if (vret != -EINVAL || sret != -EINVAL) {
			ksft_print_msg("flags %#x: vDSO %zd, syscall %zd, expected %d\n",
				       flags, vret, sret, -EINVAL);
			ok = false;
		}
	}
	return ok ? KSFT_PASS : KSFT_FAIL;
}

static int test_known_flags(void)
{
	static const unsigned int valid[] = {
		0, GRND_NONBLOCK, GRND_RANDOM, GRND_INSECURE,
		GRND_NONBLOCK | GRND_RANDOM, GRND_NONBLOCK | GRND_INSECURE,
	};
	void *state = state_alloc();
	uint8_t buf[48];
	bool ok = true;
	size_t i;

	if (!state)
		return KSFT_FAIL;
	for (i = 0; i < ARRAY_SIZE(valid); i++) {
		ssize_t sret = sys_getrandom(buf, sizeof(buf), valid[i]);
		ssize_t vret;

		memset(buf, 0, sizeof(buf));
		vret = vgetrandom(buf, sizeof(buf), valid[i], state);
		if (vret != sizeof(buf) || sret != sizeof(buf) ||
		    all_bytes(buf, sizeof(buf), 0)) {
			ksft_print_msg("flags %#x: vDSO %zd, syscall %zd\n",
				       valid[i], vret, sret);
			ok = false;
		}
	}
	return ok ? KSFT_PASS : KSFT_FAIL;
}

static int test_insecure_random(void)
{
	static const unsigned int pairs[] = {
		GRND_INSECURE | GRND_RANDOM,
		GRND_INSECURE | GRND_RANDOM | GRND_NONBLOCK,
	};
	void *state = state_alloc();
	ssize_t vret, sret;
	uint8_t buf[16];
	bool ok = true;
	size_t i;

	/* The syscall refuses the contradictory pair; so must the vDSO. */
	if (!state)
		return KSFT_FAIL;
	for (i = 0; i < ARRAY_SIZE(pairs); i++) {
		sret = sys_getrandom(buf, sizeof(buf), pairs[i]);
		vret = vgetrandom(buf, sizeof(buf), pairs[i], state);
		if (vret != sret || sret != -EINVAL) {
			ksft_print_msg("flags %#x: vDSO %zd, syscall %zd\n",
				       pairs[i], vret, sret);
			ok = false;
		}
	}
	return ok ? KSFT_PASS : KSFT_FAIL;
}

#define NR_BAD_OPAQUE_LENS	5

static void bad_opaque_lens(size_t *lens)
{
	size_t good = vgrnd.params.size_of_opaque_state;

	lens[0] = good - 1;
	lens[1] = good + 1;
	lens[2] = good * 2;
	lens[3] = 0;
	lens[4] = ~0UL;
}

static int bad_opaque_len_child(void *state)
{
	size_t lens[NR_BAD_OPAQUE_LENS];
	int i;

	bad_opaque_lens(lens);
	for (i = 0; i < NR_BAD_OPAQUE_LENS; i++) {
		trace_marker(1 + i);
		memset(user_buf, 0, 32);
		if (vgrnd.fn(user_buf, 32, 0, state, lens[i]) != 32 ||
		    all_bytes(user_buf, 32, 0))
			return CHILD_FAIL;
	}
	trace_marker(1 + i);
	return CHILD_PASS;
}

/*
 * A wrong opaque_len (including the query value ~0UL with a real buffer)
 * must not be trusted: the call is the plain syscall, on the caller's
 * buffer, and succeeds.
 */
static int test_bad_opaque_len(void)
{
	size_t lens[NR_BAD_OPAQUE_LENS];
	void *state = state_alloc();
	bool ok = true;
	int i;

	if (!state)
		return KSFT_FAIL;
	if (!traced_child_ok(run_traced(bad_opaque_len_child, state)))
		return KSFT_FAIL;
	bad_opaque_lens(lens);
	for (i = 0; i < NR_BAD_OPAQUE_LENS; i++) {
		long from = find_marker(1 + i), to = find_marker(2 + i);

		if (from < 0 || to < 0 ||
		    count_getrandom(from, to, user_buf, 32) != 1) {
			ksft_print_msg("opaque_len %zu: no syscall on the buffer\n",
				       lens[i]);
			ok = false;
		}
	}
	return ok ? KSFT_PASS : KSFT_FAIL;
}

static int test_zero_len(void)
{
	static const unsigned int flags[] = {
		0, GRND_NONBLOCK, GRND_RANDOM, GRND_INSECURE,
	};
	void *state = state_alloc();
	uint8_t buf[8];
	bool ok = true;
	size_t i;

	if (!state)
		return KSFT_FAIL;
	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		ssize_t sret = sys_getrandom(buf, 0, flags[i]);
		ssize_t vret;

		memset(buf, 0, sizeof(buf));
		vret = vgetrandom(buf, 0, flags[i], state);
		if (vret || sret || !all_bytes(buf, sizeof(buf), 0)) {
			ksft_print_msg("len 0, flags %#x: vDSO %zd, syscall %zd\n",
				       flags[i], vret, sret);
			ok = false;
		}
		vret = vgetrandom(NULL, 0, flags[i], state);
		if (vret) {
			ksft_print_msg("NULL, len 0, flags %#x: vDSO %zd\n",
				       flags[i], vret);
			ok = false;
		}
	}
	return ok ? KSFT_PASS : KSFT_FAIL;
}

static int test_straddle(void)
{
	size_t size = vgrnd.params.size_of_opaque_state;
	uint8_t buf[16], *map;
	bool ok = true;
	size_t off;

	map = mmap(NULL, 2 * vgrnd.page_size, vgrnd.params.mmap_prot,
		   vgrnd.params.mmap_flags, -1, 0);
	if (map == MAP_FAILED)
		return KSFT_FAIL;
	/* From one byte over the page end to all but one byte. */
	for (off = 1; off < size; off += off < 16 ? 1 : 16) {
		uint8_t *state = map + vgrnd.page_size - size + off;
		ssize_t ret;

		memset(buf, 0, sizeof(buf));
		ret = vgetrandom(buf, sizeof(buf), 0, state);
		if (ret != -EFAULT || !all_bytes(buf, sizeof(buf), 0)) {
			ksft_print_msg("state at page end - %zu: returned %zd\n",
				       size - off, ret);
			ok = false;
		}
	}
	/* The last slot that fits is fine. */
	if (vgetrandom(buf, sizeof(buf), 0, map + vgrnd.page_size - size) !=
	    sizeof(buf)) {
		ksft_print_msg("state ending at the page end refused\n");
		ok = false;
	}
	munmap(map, 2 * vgrnd.page_size);
	return ok ? KSFT_PASS : KSFT_FAIL;
}

/*
 * A signal handler using the state of the call it interrupted must not get
 * bytes that call is about to hand out (or has handed out), nor corrupt it.
 */
#define SIG_MAIN_CALLS	20000
#define SIG_MAX_CALLS	4096

/*
 * The main loop does not look at calls and bad until it has stopped the
 * timer, and function calls separate the two: no volatile needed.
 */
static struct {
	void *state;
	uint8_t out[SIG_MAX_CALLS][16];
	int calls;
	bool bad;
} sig;

static void sig_handler(int signo)
{
	int n = sig.calls;

	if (n >= SIG_MAX_CALLS)
		return;
	if (vgetrandom(sig.out[n], 16, 0, sig.state) != 16)
		sig.bad = true;
	sig.calls = n + 1;
}

static int test_signal(void)
{
	struct itimerval it = { { 0, 50 }, { 0, 50 } };
	struct sigaction sa = { .sa_handler = sig_handler };
	size_t total = 0, i, max_len = 512;
	uint8_t *stream;
	bool ok = true;

	sig.state = state_alloc();
	stream = malloc(SIG_MAIN_CALLS * max_len);
	if (!sig.state || !stream) {
		free(stream);
		return KSFT_FAIL;
	}
	sig.calls = 0;
	sig.bad = false;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGALRM, &sa, NULL) || setitimer(ITIMER_REAL, &it, NULL)) {
		free(stream);
		return KSFT_FAIL;
	}
	for (i = 0; i < SIG_MAIN_CALLS && ok; i++) {
		size_t len = 1 + (i * 37) % max_len;

		if (vgetrandom(stream + total, len, 0, sig.state) != (ssize_t)len)
			ok = false;
		total += len;
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_DFL);

	ksft_print_msg("%d calls from the signal handler\n", sig.calls);
	if (!ok || sig.bad) {
		ksft_print_msg("a call returned the wrong length\n");
		ok = false;
	} else if (!sig.calls) {
		ksft_print_msg("no signal was handled\n");
		ok = false;
	}
	if (ok && !all_distinct16(sig.out, sig.calls)) {
		ksft_print_msg("handler output repeated\n");
		ok = false;
	}
	/* all_distinct16() sorted them: look up every 16 bytes of the stream. */
	for (i = 0; ok && i + 16 <= total; i++) {
		if (bsearch(stream + i, sig.out, sig.calls, 16, cmp16)) {
			ksft_print_msg("handler output repeats main output at %zu\n",
				       i);
			ok = false;
		}
	}
	free(stream);
	return ok ? KSFT_PASS : KSFT_FAIL;
}

/*
 * The state's page dropped (by memory pressure, here MADV_PAGEOUT) or
 * wiped (in the child of a fork from a signal handler) in the middle of a
 * call, and a signal handler calling in with the same state: the
 * interrupted call must notice that it lost the state, and neither it, nor
 * the first handler call that interrupts it, nor any call after it may
 * hand out zeroes read from the new page or keystream that it cleared
 * there, nor bytes that another process hands out. A second handler call
 * interrupting the same call may, as vdso_getrandom.rst says: the
 * interrupted call's stores, until it finds its claim gone, can land on
 * what the first one left. Those calls are counted, and their outputs with
 * a zero word reported, not checked. Another thread pages the state out in
 * a loop and signals the main thread right after each page-out (a timer
 * would do too, but where the only clocksource is jiffies it fires a few
 * hundred times a second), so the handler often runs just after a drop,
 * while a call of the main thread is under way. Every output is 16 or 32
 * bytes, so all of them start at multiples of 16 in the keystream, and a
 * repeat shows as a repeated aligned 16-byte block; an aligned 8-byte word
 * of zeroes (one chance in 2^64 for random bytes) is what a call that read
 * a dropped page gives. It runs for a fixed time; how often the race is
 * hit is not asserted.
 */
#define RACE_SECONDS		3
#define RACE_MAX_MAIN		262144
#define RACE_MAX_HANDLER	65536
#define RACE_FORK_EVERY		64
#define RACE_CHILD_CALLS	64
#define RACE_MAX_CHILDREN	64

#define race_get(field)		__atomic_load_n(&race.field, __ATOMIC_RELAXED)
#define race_set(field, v)	__atomic_store_n(&race.field, v, __ATOMIC_RELAXED)

static struct {
	void *state;
	uint8_t (*main)[16];		/* two blocks per recorded main call */
	uint8_t (*handler)[16];
	size_t nmain, nhandler;
	unsigned long zeroes;
	bool fork;
	bool bad_len;
	unsigned long interrupted;	/* main call of the last handler call */
	unsigned long unchecked, unchecked_zeroes;
	/* Shared with the handler and the page-out thread: race_get/set */
	unsigned long main_call;	/* number of the main call, 0 outside */
	bool stop;
	bool in_child;
	bool no_fork;
	bool pin_failed;
	pid_t main_tid;
	int pageout_cpu;		/* or -1: where the scheduler puts it */
	unsigned long signals;
	int pipe_wr;
	int children;
} race;

/* A child's report: its outputs, its interrupted call's output apart. */
struct race_report {
	uint8_t handler[16];
	uint8_t interrupted[32];
	uint8_t later[RACE_CHILD_CALLS][32];
	bool bad_len;
};

static struct race_report child_report;

static bool block_has_zero_word(const uint8_t *b)
{
	return all_bytes(b, 8, 0) || all_bytes(b + 8, 8, 0);
}

static void race_handler(int signo)
{
	uint8_t scratch[16], *out = scratch;
	int saved = errno;
	unsigned long call;

	race.signals++;
	if (race_get(in_child))
		goto out;
	if (race.fork && !race_get(no_fork) &&
	    race.children < RACE_MAX_CHILDREN &&
	    race.signals % RACE_FORK_EVERY == 0) {
		pid_t pid = syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0);

		if (!pid) {
			/* The child: its copy of the state was wiped. */
			race_set(in_child, true);
			if (vgetrandom(child_report.handler, 16, 0,
				       race.state) != 16)
				child_report.bad_len = true;
			goto out;
		}
		if (pid > 0)
			race.children++;
	}
	call = race_get(main_call);
	if (call && call == race.interrupted) {
		/* A second handler call in one main call: not checked. */
		if (vgetrandom(out, 16, 0, race.state) != 16)
			race.bad_len = true;
		race.unchecked++;
		race.unchecked_zeroes += block_has_zero_word(out);
		goto out;
	}
	race.interrupted = call;
	if (race.nhandler < RACE_MAX_HANDLER)
		out = race.handler[race.nhandler++];
	if (vgetrandom(out, 16, 0, race.state) != 16)
		race.bad_len = true;
	race.zeroes += block_has_zero_word(out);
out:
	errno = saved;
}

/* Keeps the calling thread on @cpu; false if it cannot. */
static bool race_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return !sched_setaffinity(0, sizeof(set), &set);
}

static void *race_pageout_fn(void *arg)
{
	void *page = (void *)((uintptr_t)race.state & ~(vgrnd.page_size - 1));
	unsigned long *drops = arg;

	if (race.pageout_cpu >= 0 && !race_pin(race.pageout_cpu))
		race_set(pin_failed, true);
	while (!race_get(stop)) {
		if (!madvise(page, vgrnd.page_size, MADV_PAGEOUT))
			++*drops;
		syscall(SYS_tgkill, getpid(), race.main_tid, SIGUSR1);
	}
	return NULL;
}

/* The child's life after the handler that forked it returned. */
static void race_child_finish(const uint8_t *interrupted)
{
	const uint8_t *p = (const uint8_t *)&child_report;
	size_t i, done = 0;

	memcpy(child_report.interrupted, interrupted, 32);
	for (i = 0; i < RACE_CHILD_CALLS; i++)
		if (vgetrandom(child_report.later[i], 32, 0, race.state) != 32)
			child_report.bad_len = true;
	while (done < sizeof(child_report)) {
		ssize_t n = write(race.pipe_wr, p + done,
				  sizeof(child_report) - done);

		if (n <= 0)
			_exit(CHILD_FAIL);
		done += n;
	}
	_exit(CHILD_PASS);
}

/* Reads the children's reports; counts zeroes and blocks the parent has. */
static bool race_check_children(int fd, size_t nblocks, unsigned long *shared)
{
	struct race_report rep;
	int i, status;
	size_t j;

	for (i = 0; i < race.children; i++) {
		size_t got = 0;

		while (got < sizeof(rep)) {
			ssize_t n = read(fd, (uint8_t *)&rep + got,
					 sizeof(rep) - got);

			if (n <= 0)
				break;
			got += n;
		}
		if (got < sizeof(rep)) {
			ksft_print_msg("a child did not report\n");
			return false;
		}
		if (rep.bad_len)
			race.bad_len = true;
		race.zeroes += block_has_zero_word(rep.handler);
		race.zeroes += block_has_zero_word(rep.interrupted);
		race.zeroes += block_has_zero_word(rep.interrupted + 16);
		/*
		 * The interrupted call may have finished before the fork:
		 * then its output is in both processes, as that of any call
		 * made before the fork is. Everything else must be new.
		 */
		if (bsearch(rep.handler, race.main, nblocks, 16, cmp16))
			++*shared;
		for (j = 0; j < 2 * RACE_CHILD_CALLS; j++) {
			const uint8_t *b = rep.later[j / 2] + 16 * (j % 2);

			race.zeroes += block_has_zero_word(b);
			if (bsearch(b, race.main, nblocks, 16, cmp16))
				++*shared;
		}
		while (wait(&status) < 0 && errno == EINTR)
			;
	}
	return true;
}

static int race_run(bool fork_too)
{
	struct sigaction sa = { .sa_handler = race_handler };
	uint64_t end = now_ns() + RACE_SECONDS * 1000000000ULL;
	unsigned long drops = 0, shared = 0, calls;
	uint8_t scratch[32];
	cpu_set_t affinity;
	pthread_t pageout;
	int cpu, ncpus;
	bool ok = true;
	int pipefd[2];
	sigset_t mask;
	size_t j, k;

	memset(&race, 0, sizeof(race));
	race.fork = fork_too;
	race.main_tid = syscall(SYS_gettid);
	race.state = state_alloc();
	/* Room for the handler's blocks too, copied after the main ones. */
	race.main = calloc(2 * RACE_MAX_MAIN + RACE_MAX_HANDLER, 16);
	race.handler = calloc(RACE_MAX_HANDLER, 16);
	if (!race.state || !race.main || !race.handler || pipe(pipefd))
		return KSFT_FAIL;
	race.pipe_wr = pipefd[1];
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGUSR1, &sa, NULL))
		return KSFT_FAIL;
	/*
	 * The main thread and the page-out thread on two CPUs, when there are
	 * two: left to the scheduler they may share one, and the main thread
	 * then takes a signal only when it is scheduled in, a few hundred
	 * times a second, instead of after nearly every page-out.
	 */
	race.pageout_cpu = -1;
	if (sched_getaffinity(0, sizeof(affinity), &affinity))
		return KSFT_FAIL;
	for (cpu = 0, ncpus = 0; cpu < CPU_SETSIZE && ncpus < 2; cpu++) {
		if (!CPU_ISSET(cpu, &affinity))
			continue;
		if (!ncpus++) {
			if (!race_pin(cpu))
				return KSFT_FAIL;
		} else {
			race.pageout_cpu = cpu;
		}
	}
	/* Only the main thread may run the handler: it uses its state. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	if (pthread_sigmask(SIG_BLOCK, &mask, NULL) ||
	    pthread_create(&pageout, NULL, race_pageout_fn, &drops) ||
	    pthread_sigmask(SIG_UNBLOCK, &mask, NULL))
		return KSFT_FAIL;
	for (calls = 0;; calls++) {
		uint8_t *out = scratch;

		if (race.nmain < RACE_MAX_MAIN)
			out = race.main[2 * race.nmain];
		race_set(main_call, calls + 1);
		if (vgetrandom(out, 32, 0, race.state) != 32)
			race.bad_len = true;
		race_set(main_call, 0);
		if (race_get(in_child))
			race_child_finish(out);
		race.zeroes += block_has_zero_word(out) +
			       block_has_zero_word(out + 16);
		if (out != scratch)
			race.nmain++;
		if (!(calls % 256) && now_ns() >= end)
			break;
	}
	/* A child forked after the last check above still ends here. */
	race_set(no_fork, true);
	if (race_get(in_child))
		race_child_finish(scratch);
	race_set(stop, true);
	pthread_join(pageout, NULL);
	signal(SIGUSR1, SIG_DFL);
	if (sched_setaffinity(0, sizeof(affinity), &affinity) ||
	    race.pin_failed) {
		ksft_print_msg("could not place the threads on two CPUs\n");
		ok = false;
	}
	close(pipefd[1]);

	/* The parent's blocks, sorted: none repeated, none in a child. */
	memcpy(race.main[2 * race.nmain], race.handler, race.nhandler * 16);
	k = 2 * race.nmain + race.nhandler;
	qsort(race.main, k, 16, cmp16);
	for (j = 1; j < k; j++)
		if (!memcmp(race.main[j - 1], race.main[j], 16))
			shared++;
	if (!race_check_children(pipefd[0], k, &shared))
		ok = false;
	close(pipefd[0]);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;

	ksft_print_msg("%lu calls, %lu signals, %lu page-outs, %d children, page-outs %s\n",
		       calls, race.signals, drops, race.children,
		       race.pageout_cpu >= 0 ? "from another CPU" :
		       "on the same CPU (one CPU)");
	ksft_print_msg("%lu outputs with a zero word, %lu blocks repeated\n",
		       race.zeroes, shared);
	ksft_print_msg("%lu second handler calls in one call, not checked: %lu with a zero word\n",
		       race.unchecked, race.unchecked_zeroes);
	if (race.bad_len) {
		ksft_print_msg("a call returned the wrong length\n");
		ok = false;
	}
	if (!race.nhandler || !drops || (fork_too && !race.children)) {
		ksft_print_msg("the race was not run\n");
		ok = false;
	}
	if (race.zeroes || shared)
		ok = false;
	free(race.main);
	free(race.handler);
	return ok ? KSFT_PASS : KSFT_FAIL;
}

static int test_drop_race(void)
{
	return race_run(false);
}

static int test_wipe_race(void)
{
	return race_run(true);
}

static struct {
	pthread_barrier_t start;
	uint8_t out[NR_THREADS][THREAD_CALLS][16];
	bool bad[NR_THREADS];
} thr;

static void *thread_fn(void *arg)
{
	long id = (long)arg;
	uint8_t big[3000];
	void *state;
	int i;

	state = state_alloc();
	pthread_barrier_wait(&thr.start);
	if (!state) {
		thr.bad[id] = true;
		return NULL;
	}
	for (i = 0; i < THREAD_CALLS; i++) {
		if (vgetrandom(thr.out[id][i], 16, 0, state) != 16 ||
		    vgetrandom(big, 1 + (i * 97) % sizeof(big), 0, state) !=
		    (ssize_t)(1 + (i * 97) % sizeof(big)))
			thr.bad[id] = true;
	}
	return NULL;
}

static int test_threads(void)
{
	pthread_t threads[NR_THREADS];
	bool ok = true;
	long i;

	memset(&thr.bad, 0, sizeof(thr.bad));
	pthread_barrier_init(&thr.start, NULL, NR_THREADS);
	for (i = 0; i < NR_THREADS; i++) {
		int err = pthread_create(&threads[i], NULL, thread_fn, (void *)i);

		if (err)
			ksft_exit_fail_msg("pthread_create: %s\n", strerror(err));
	}
	for (i = 0; i < NR_THREADS; i++) {
		pthread_join(threads[i], NULL);
		if (thr.bad[i]) {
			ksft_print_msg("thread %ld: a call failed\n", i);
			ok = false;
		}
	}
	pthread_barrier_destroy(&thr.start);
	if (ok && !all_distinct16(&thr.out[0][0], NR_THREADS * THREAD_CALLS)) {
		ksft_print_msg("two threads' outputs repeated\n");
		ok = false;
	}
	return ok ? KSFT_PASS : KSFT_FAIL;
}

static const struct {
	int (*fn)(void);
	const char *name;
	bool needs_state;
} tests[] = {
	{ test_symbol, "vDSO exports " VGETRANDOM_NAME, false },
	{ test_query, "query call reports state size, mmap prot and flags", false },
	{ test_scheduled_reseed, "states rekeyed on schedule with no other crng use", true },
	{ test_states, "states mmapped and sliced as reported are usable", true },
	{ test_odd_sizes, "odd sizes are written exactly and differ", true },
	{ test_distinct, "many small outputs are all distinct", true },
	{ test_userspace, "buffer filled in userspace, not by the syscall", true },
	{ test_timens, "works in a new time namespace", true },
	{ test_fork, "parent and child differ after fork", true },
	{ test_reseed, "RNDRESEEDCRNG rekeys every state", true },
	{ test_unknown_flags, "unknown flags give -EINVAL like the syscall", true },
	{ test_known_flags, "GRND_NONBLOCK, GRND_RANDOM, GRND_INSECURE accepted", true },
	{ test_insecure_random, "GRND_INSECURE|GRND_RANDOM like the syscall", true },
	{ test_bad_opaque_len, "wrong opaque_len falls back to the syscall", true },
	{ test_zero_len, "len 0 returns 0", true },
	{ test_straddle, "state straddling a page gives -EFAULT", true },
	{ test_signal, "signal handler reusing the state in use", true },
	{ test_drop_race, "state dropped under a call and its handler: no zeroes", true },
	{ test_wipe_race, "state wiped by a fork in a handler: no zeroes, no repeats", true },
	{ test_threads, "threads with their own states", true },
};

/* ---------------------------------------------------------------------- */

enum bench_kind { BENCH_VDSO, BENCH_SYSCALL };

static ssize_t bench_call(enum bench_kind kind, void *buf, size_t len,
			  void *state)
{
	if (kind == BENCH_VDSO)
		return vgetrandom(buf, len, 0, state);
	return sys_getrandom(buf, len, 0);
}

/* ns per call, doubling the count until a run lasts a quarter second. */
static double bench_one(enum bench_kind kind, void *buf, size_t len,
			void *state)
{
	uint64_t n, i, t0, t;

	for (n = 16;; n *= 2) {
		t0 = now_ns();
		for (i = 0; i < n; i++)
			if (bench_call(kind, buf, len, state) != (ssize_t)len)
				ksft_exit_fail_msg("call failed during benchmark\n");
		t = now_ns() - t0;
		if (t >= 250000000ULL)
			return (double)t / n;
	}
}

static const size_t bench_sizes[] = { 4, 16, 64, 256, 4096, 65536 };

static int bench_single(void)
{
	void *state = state_alloc();
	uint8_t *buf = malloc(65536);
	size_t i;

	if (!state || !buf)
		ksft_exit_fail_msg("cannot allocate a state\n");
	ksft_print_msg("single thread, per call:\n");
	for (i = 0; i < ARRAY_SIZE(bench_sizes); i++) {
		size_t len = bench_sizes[i];
		double v = bench_one(BENCH_VDSO, buf, len, state);
		double s = bench_one(BENCH_SYSCALL, buf, len, state);

		ksft_print_msg("%6zu B: vdso %9.1f ns %6.3f GB/s, ", len, v, len / v);
		printf("syscall %9.1f ns %6.3f GB/s, vdso %5.1fx faster\n",
		       s, len / s, s / v);
	}
	free(buf);
	return KSFT_PASS;
}

static struct {
	pthread_barrier_t start;
	bool stop;
	enum bench_kind kind;
	size_t len;
} bm;

struct bench_thread {
	pthread_t thread;
	void *state;
	uint64_t calls, ns;
};

static void *bench_thread_fn(void *arg)
{
	struct bench_thread *bt = arg;
	uint8_t buf[256];
	uint64_t t0;

	pthread_barrier_wait(&bm.start);
	t0 = now_ns();
	bt->calls = 0;
	while (!__atomic_load_n(&bm.stop, __ATOMIC_RELAXED)) {
		if (bench_call(bm.kind, buf, bm.len, bt->state) != (ssize_t)bm.len)
			ksft_exit_fail_msg("call failed during benchmark\n");
		bt->calls++;
	}
	bt->ns = now_ns() - t0;
	return NULL;
}

static void bench_threads(struct bench_thread *bt, int n, enum bench_kind kind,
			  size_t len)
{
	uint64_t calls = 0, ns = 0;
	int i;

	bm.stop = false;
	bm.kind = kind;
	bm.len = len;
	pthread_barrier_init(&bm.start, NULL, n + 1);
	for (i = 0; i < n; i++)
		if (pthread_create(&bt[i].thread, NULL, bench_thread_fn, &bt[i]))
			ksft_exit_fail_msg("pthread_create failed\n");
	pthread_barrier_wait(&bm.start);
	usleep(1000000);
	__atomic_store_n(&bm.stop, true, __ATOMIC_RELAXED);
	for (i = 0; i < n; i++) {
		pthread_join(bt[i].thread, NULL);
		calls += bt[i].calls;
		ns += bt[i].ns;
	}
	pthread_barrier_destroy(&bm.start);
	ksft_print_msg("%4zu B, %s: %10.1f ns per call per thread, %12.0f calls/s in total\n",
		       len, kind == BENCH_VDSO ? "vdso   " : "syscall",
		       calls ? (double)ns / calls : 0.0,
		       ns ? calls * 1e9 * n / ns : 0.0);
}

static int bench_multi(int n)
{
	struct bench_thread *bt;
	int i;

	if (n < 1)
		n = sysconf(_SC_NPROCESSORS_ONLN) > 0 ?
		    sysconf(_SC_NPROCESSORS_ONLN) : 1;
	bt = calloc(n, sizeof(*bt));
	if (!bt)
		ksft_exit_fail_msg("out of memory\n");
	for (i = 0; i < n; i++) {
		bt[i].state = state_alloc();
		if (!bt[i].state)
			ksft_exit_fail_msg("cannot allocate a state\n");
	}
	ksft_print_msg("%d threads, one second each:\n", n);
	bench_threads(bt, n, BENCH_VDSO, 16);
	bench_threads(bt, n, BENCH_SYSCALL, 16);
	bench_threads(bt, n, BENCH_VDSO, 256);
	bench_threads(bt, n, BENCH_SYSCALL, 256);
	free(bt);
	return KSFT_PASS;
}

static void find_vgetrandom(void)
{
	unsigned long sysinfo_ehdr = getauxval(AT_SYSINFO_EHDR);
	struct vgetrandom_opaque_params p;

	vgrnd.page_size = sysconf(_SC_PAGESIZE);
#ifdef VGETRANDOM_VERSION
	if (sysinfo_ehdr) {
		vdso_init_from_sysinfo_ehdr(sysinfo_ehdr);
		vgrnd.fn = vdso_sym(VGETRANDOM_VERSION, VGETRANDOM_NAME);
	}
#endif
	/* The benchmarks need the parameters without the test reporting. */
	if (vgrnd.fn && !vgrnd.fn(NULL, 0, 0, &p, ~0UL)) {
		vgrnd.params = p;
		vgrnd.have_params = true;
	}
}

int main(int argc, char **argv)
{
	uint8_t byte;
	size_t i;

	/* Keep what was printed if a vDSO bug crashes the test. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	find_vgetrandom();

	/* Wait until the RNG is ready, so that nothing falls back for that. */
	if (sys_getrandom(&byte, 1, 0) != 1)
		ksft_exit_fail_msg("getrandom() syscall failed\n");

	if (argc > 1 && !strncmp(argv[1], "bench-", 6)) {
		if (!vgrnd.have_params) {
			printf("vDSO getrandom() unavailable: nothing to benchmark\n");
			return KSFT_SKIP;
		}
		if (!strcmp(argv[1], "bench-single"))
			return bench_single();
		if (!strcmp(argv[1], "bench-multi"))
			return bench_multi(argc > 2 ? atoi(argv[2]) : 0);
	}
	if (argc > 1) {
		fprintf(stderr, "usage: %s [bench-single | bench-multi [threads]]\n",
			argv[0]);
		return KSFT_FAIL;
	}

	ksft_print_header();
	ksft_set_plan(ARRAY_SIZE(tests));
	vgrnd.have_params = false;

	if (!vgrnd.fn) {
		/* A kernel without vDSO getrandom() has nothing to test. */
		ksft_print_msg("%s not found in the vDSO: kernel without vDSO getrandom()\n",
			       VGETRANDOM_NAME);
		for (i = 0; i < ARRAY_SIZE(tests); i++)
			ksft_test_result_skip("%s: the vDSO has no %s\n",
					      tests[i].name, VGETRANDOM_NAME);
		ksft_print_cnts();
		return KSFT_SKIP;
	}

	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		int ret;

		if (tests[i].needs_state && !vgrnd.have_params) {
			ksft_test_result_skip("%s: no usable query result\n",
					      tests[i].name);
			continue;
		}
		skip_reason[0] = 0;
		ret = tests[i].fn();
		if (ret == KSFT_PASS)
			ksft_test_result_pass("%s\n", tests[i].name);
		else if (ret == KSFT_SKIP)
			ksft_test_result_skip("%s: %s\n", tests[i].name, skip_reason);
		else
			ksft_test_result_fail("%s\n", tests[i].name);
	}
	ksft_finished();
}
