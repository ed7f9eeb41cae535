// SPDX-License-Identifier: GPL-2.0
/*
 * glibc_client: does an unmodified glibc serve getrandom(), arc4random()
 * and arc4random_buf() through the vDSO when the kernel offers it, and
 * fall back cleanly when it does not?
 *
 * The program calls the libc functions the ordinary way and watches from
 * outside: it counts the getrandom system calls a piece of code makes
 * (a seccomp filter hands each one to a supervisor thread, which counts
 * it and lets it go on) and looks for droppable mappings in smaps.
 * What it expects depends on whether the vDSO exports getrandom
 * (__vdso_getrandom on x86-64, __kernel_getrandom on arm64: arch.h):
 * "vdso" mode or "fallback" mode.
 *
 *   glibc_client [--expect=vdso|--expect=fallback] [bench]
 *
 * --expect overrides the mode found in the vDSO (a glibc older than 2.41
 * ignores the vDSO, so it must be tested with --expect=fallback). Output
 * is KTAP; the exit status is 0 when all tests pass, 1 on any failure, 4
 * if all skipped. "bench" instead prints the time per call of glibc's
 * getrandom(4 bytes) and arc4random() and of the bare syscall, each
 * labelled with the path glibc was seen to take (vdso or fallback).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <gnu/libc-version.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arch.h"
#include "ktap.h"
#include "vdso_lookup.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define LOOP_CALLS	100000	/* calls per single-thread loop */
#define MAX_SIZE	4096	/* sizes 1..MAX_SIZE, in turn */
#define GUARD		64	/* bytes after the buffer that must stay 0 */
#define NTHREADS	64
#define THREAD_CALLS	16	/* 4-byte getrandom() calls per thread */
#define CHILD_TIMEOUT	300	/* seconds, for one counted test under TCG */

/*
 * In vdso mode a thread makes a getrandom syscall only to key its state:
 * once when the state is first used (each counted test runs in a fresh
 * child, whose states are new or were wiped by fork, being droppable),
 * and once more each time the kernel's crng reseeds, since that makes
 * every state stale. The crng reseeds at most once a second early after
 * boot (every uptime/2 seconds, then every minute from two minutes on).
 * A single-thread loop lasts a few seconds even under TCG, so 8 (a key
 * and up to 7 reseeds) is a wide margin, while a fallback to the syscall
 * shows 100000. The short threads test allows 2 per thread (a key, and a
 * rekey if a reseed falls within it) plus 6; the fallback shows 1024.
 */
#define VDSO_MAX_SYSCALLS(threads) (2 * (threads) + 6)

static bool vdso_mode;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the vDSO: is there a VDSO_GETRANDOM? ---- */

/*
 * Look NAME@VERSION up among the dynamic symbols of the vDSO image, found
 * through its section headers (the whole image is mapped). Returns the
 * symbol's value, 0 if it is not there, -1 if the image cannot be read.
 */
static long vdso_symbol(const char *name, const char *version)
{
	struct vdso_image img;
	bool bad_version = false;
	size_t i;

	if (vdso_image_read(&img) || !img.sym || !img.versym || !img.verdef)
		return -1;
	i = vdso_image_find(&img, name, version, &bad_version);
	if (bad_version)
		return -1;
	return i ? (long)img.sym[i].st_value : 0;
}

/* ---- counting getrandom syscalls ---- */

static atomic_long counted;
static int notify_fd = -1;
static pthread_barrier_t counter_ready;
static struct seccomp_notif *notif;
static struct seccomp_notif_resp *notif_resp;
static struct seccomp_notif_sizes notif_sizes;

static void *supervise(void *unused __maybe_unused)
{
	pthread_barrier_wait(&counter_ready);
	if (notify_fd < 0)
		return NULL;
	for (;;) {
		memset(notif, 0, notif_sizes.seccomp_notif);
		if (ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_RECV, notif)) {
			if (errno == EINTR)
				continue;
			break;
		}
		/* Count first, so the count is complete once the call returns. */
		atomic_fetch_add(&counted, 1);
		memset(notif_resp, 0, notif_sizes.seccomp_notif_resp);
		notif_resp->id = notif->id;
		notif_resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		if (ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_SEND, notif_resp) &&
		    errno != ENOENT)
			break;
	}
	/* Calls would hang without us: end the process, which reports it. */
	perror("glibc_client: seccomp supervisor");
	_exit(3);
}

/*
 * From now on, count the getrandom syscalls of the calling thread and the
 * threads it creates. The supervisor is created first, so it is not
 * filtered itself. Irreversible: done in a child process.
 */
static int counter_start(char *why, size_t len)
{
	static struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getrandom, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { ARRAY_SIZE(insns), insns };
	const char *step;
	pthread_t t;
	int fd = -1, err;

	step = "SECCOMP_GET_NOTIF_SIZES";
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &notif_sizes)) {
		err = errno;
		goto fail;
	}
	if (notif_sizes.seccomp_notif < sizeof(*notif))
		notif_sizes.seccomp_notif = sizeof(*notif);
	if (notif_sizes.seccomp_notif_resp < sizeof(*notif_resp))
		notif_sizes.seccomp_notif_resp = sizeof(*notif_resp);
	notif = malloc(notif_sizes.seccomp_notif);
	notif_resp = malloc(notif_sizes.seccomp_notif_resp);
	pthread_barrier_init(&counter_ready, NULL, 2);
	step = "pthread_create";
	err = pthread_create(&t, NULL, supervise, NULL);
	if (err)
		goto fail;
	step = "PR_SET_NO_NEW_PRIVS";
	if (!prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		step = "SECCOMP_SET_MODE_FILTER";
		fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			     SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	}
	err = errno;
	notify_fd = fd;
	pthread_barrier_wait(&counter_ready);
	if (fd >= 0)
		return 0;
fail:
	snprintf(why, len, "syscall counter: %s: %s", step, strerror(err));
	return -1;
}

struct outcome {
	long syscalls;		/* getrandom syscalls counted, -1 if none */
	double seconds;		/* time the work took */
	int ok;			/* what the work found, 1 if good */
	char msg[200];		/* why not, or what it saw */
};

/*
 * Run WORK in a child with the counter on; WORK fills in ok and msg.
 * A crash or hang of the child is a failed outcome.
 */
static void run_counted(int (*work)(void *, char *, size_t), void *arg,
			struct outcome *out)
{
	int pipefd[2], status;
	ssize_t n;
	pid_t pid;

	memset(out, 0, sizeof(*out));
	out->syscalls = -1;
	fflush(stdout);
	pid = pipe(pipefd) ? -1 : fork();
	if (pid < 0) {
		snprintf(out->msg, sizeof(out->msg), "pipe/fork: %s", strerror(errno));
		return;
	}
	if (!pid) {
		double t0;

		close(pipefd[0]);
		alarm(CHILD_TIMEOUT);
		if (!counter_start(out->msg, sizeof(out->msg))) {
			t0 = now();
			out->ok = work(arg, out->msg, sizeof(out->msg));
			out->seconds = now() - t0;
			out->syscalls = atomic_load(&counted);
		}
		n = write(pipefd[1], out, sizeof(*out));
		_exit(n == sizeof(*out) ? 0 : 1);
	}
	close(pipefd[1]);
	n = read(pipefd[0], out, sizeof(*out));
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	if (n != sizeof(*out) || !WIFEXITED(status) || WEXITSTATUS(status)) {
		memset(out, 0, sizeof(*out));
		out->syscalls = -1;
		if (WIFSIGNALED(status))
			snprintf(out->msg, sizeof(out->msg), "child killed by signal %d%s",
				 WTERMSIG(status),
				 WTERMSIG(status) == SIGALRM ? " (timed out)" : "");
		else
			snprintf(out->msg, sizeof(out->msg), "child failed (status %#x)",
				 status);
	}
}

/*
 * Is COUNT what the mode expects for CALLS libc calls made by THREADS
 * threads? Fallback: one syscall per call. Vdso: a few per thread.
 */
static bool count_ok(long count, long calls, long threads, char *want, size_t len)
{
	if (vdso_mode) {
		snprintf(want, len, "vdso: 1..%ld", VDSO_MAX_SYSCALLS(threads));
		return count >= 1 && count <= VDSO_MAX_SYSCALLS(threads);
	}
	snprintf(want, len, "fallback: exactly %ld", calls);
	return count == calls;
}

/* Report a counted test: the work must be good and the count expected. */
static void report_counted(const char *name, const struct outcome *o,
			   long calls, long threads)
{
	char want[64];
	bool ok;

	if (o->syscalls < 0) {
		result(FAIL, name, "%s", o->msg);
		return;
	}
	ok = count_ok(o->syscalls, calls, threads, want, sizeof(want));
	printf("# %s: %ld calls in %.2f s, %ld getrandom syscalls (%s)\n",
	       name, calls, o->seconds, o->syscalls, want);
	if (!o->ok)
		result(FAIL, name, "%s", o->msg);
	else if (!ok)
		result(FAIL, name, "unexpected number of getrandom syscalls");
	else
		result(PASS, name, o->msg[0] ? "%s" : NULL, o->msg);
}

/* ---- checking output ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Number of adjacent equal values once sorted. */
static size_t duplicates(uint64_t *v, size_t n)
{
	size_t i, dups = 0;

	qsort(v, n, sizeof(*v), cmp_u64);
	for (i = 1; i < n; i++)
		dups += v[i] == v[i - 1];
	return dups;
}

/* The libc calls under test, as "fill BUF with LEN bytes". */
typedef ssize_t fill_fn(void *buf, size_t len);

static ssize_t fill_getrandom(void *buf, size_t len)
{
	return getrandom(buf, len, 0);
}

static ssize_t fill_arc4random_buf(void *buf, size_t len)
{
	arc4random_buf(buf, len);
	return len;
}

/*
 * LOOP_CALLS calls of sizes 1..MAX_SIZE in turn, each into a zeroed
 * buffer: every call must fill exactly its size (return value, and the
 * GUARD bytes after it still zero) with bytes that look random: zero
 * bytes about 1/256 of all (an unfilled part would be zero), the last
 * byte rarely zero (an unfilled tail), and no two outputs starting with
 * the same 8 bytes (a repeat).
 */
static int sizes_loop(void *arg, char *msg, size_t len)
{
	fill_fn *fill = *(fill_fn **)arg;
	static unsigned char buf[MAX_SIZE + GUARD];
	static uint64_t heads[LOOP_CALLS];
	unsigned long bytes = 0, zeros = 0, last_zero = 0, nheads = 0, dups;
	size_t i, j, size;
	ssize_t ret;

	for (i = 0; i < LOOP_CALLS; i++) {
		size = 1 + i % MAX_SIZE;
		memset(buf, 0, size + GUARD);
		ret = fill(buf, size);
		if (ret != (ssize_t)size) {
			snprintf(msg, len, "call %zu: size %zu returned %zd (%s)",
				 i, size, ret, strerror(errno));
			return 0;
		}
		for (j = size; j < size + GUARD; j++) {
			if (buf[j]) {
				snprintf(msg, len, "size %zu: wrote byte %zu", size, j);
				return 0;
			}
		}
		for (j = 0; j < size; j++)
			zeros += !buf[j];
		bytes += size;
		last_zero += !buf[size - 1];
		if (size >= 8)
			memcpy(&heads[nheads++], buf, 8);
	}
	dups = duplicates(heads, nheads);
	snprintf(msg, len,
		 "%.1f MB, zero bytes %.3f%% (expect 0.391), last byte zero %.3f%%, %lu repeats",
		 bytes / 1e6, 100.0 * zeros / bytes, 100.0 * last_zero / LOOP_CALLS, dups);
	return zeros * 200 < bytes && last_zero * 100 < LOOP_CALLS && !dups;
}

/* LOOP_CALLS arc4random(): balanced bits, no repeated pair of values. */
static int arc4random_loop(void *unused __maybe_unused, char *msg, size_t len)
{
	static uint64_t pairs[LOOP_CALLS / 2];
	unsigned long ones = 0, bits = 32UL * LOOP_CALLS, dups;
	size_t i;

	for (i = 0; i < LOOP_CALLS / 2; i++) {
		uint64_t lo = arc4random(), hi = arc4random();

		pairs[i] = hi << 32 | lo;
		ones += __builtin_popcountll(pairs[i]);
	}
	dups = duplicates(pairs, LOOP_CALLS / 2);
	snprintf(msg, len, "one bits %.3f%%, %lu repeated pairs",
		 100.0 * ones / bits, dups);
	return ones > bits * 49 / 100 && ones < bits * 51 / 100 && !dups;
}

/* ---- the tests ---- */

static void test_vdso(void)
{
	long gtod = vdso_symbol(VDSO_CLOCK_GETTIME, VDSO_VERSION);
	long grnd = vdso_symbol(VDSO_GETRANDOM, VDSO_VERSION);

	/* The parser must find a symbol every vDSO has. */
	if (gtod <= 0 || grnd < 0) {
		result(FAIL, "vDSO symbol lookup",
		       "no " VDSO_CLOCK_GETTIME "@" VDSO_VERSION " in the vDSO, or no vDSO (%ld)",
		       gtod);
		return;
	}
	printf("# vDSO: " VDSO_CLOCK_GETTIME "@" VDSO_VERSION " at %#lx, ", gtod);
	if (grnd)
		printf(VDSO_GETRANDOM "@" VDSO_VERSION " at %#lx\n", grnd);
	else
		printf("no " VDSO_GETRANDOM "@" VDSO_VERSION "\n");
	result(PASS, "vDSO symbol lookup", NULL);
}

static int one_syscall(void *unused __maybe_unused, char *msg __maybe_unused,
		       size_t len __maybe_unused)
{
	char buf[16];

	return syscall(SYS_getrandom, buf, sizeof(buf), 0) == sizeof(buf);
}

static void test_counter(void)
{
	struct outcome o;

	run_counted(one_syscall, NULL, &o);
	if (o.syscalls < 0 || !o.ok)
		result(FAIL, "syscall counter works", "%s", o.msg[0] ? o.msg : "syscall failed");
	else
		result(o.syscalls == 1 ? PASS : FAIL, "syscall counter works",
		       "one direct getrandom syscall counted as %ld", o.syscalls);
}

static void test_loops(void)
{
	struct outcome o;
	fill_fn *fill;

	fill = fill_getrandom;
	run_counted(sizes_loop, &fill, &o);
	report_counted("getrandom() sizes 1..4096", &o, LOOP_CALLS, 1);
	run_counted(arc4random_loop, NULL, &o);
	report_counted("arc4random()", &o, LOOP_CALLS, 1);
	fill = fill_arc4random_buf;
	run_counted(sizes_loop, &fill, &o);
	report_counted("arc4random_buf() sizes 1..4096", &o, LOOP_CALLS, 1);
}

/* Mappings with "dp" (droppable) in their VmFlags, or -1. */
static int droppable_mappings(void)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char *line = NULL, *tok, *save;
	size_t size = 0;
	int n = 0;

	if (!f)
		return -1;
	while (getline(&line, &size, f) > 0) {
		if (strncmp(line, "VmFlags:", 8))
			continue;
		for (tok = strtok_r(line + 8, "\n\t ", &save); tok;
		     tok = strtok_r(NULL, "\n\t ", &save))
			n += !strcmp(tok, "dp");
	}
	free(line);
	fclose(f);
	return n;
}

static void test_smaps(void)
{
	const char *name = "droppable states in smaps";
	unsigned char buf[16];
	int n;

	if (getrandom(buf, sizeof(buf), 0) != sizeof(buf)) {
		result(FAIL, name, "getrandom: %s", strerror(errno));
		return;
	}
	n = droppable_mappings();
	if (n < 0)
		result(SKIP, name, "cannot read /proc/self/smaps: %s", strerror(errno));
	else if (vdso_mode)
		result(n > 0 ? PASS : FAIL, name,
		       "%d mapping(s) with dp in VmFlags (vdso: expect 1 or more)", n);
	else
		result(n == 0 ? PASS : FAIL, name,
		       "%d mapping(s) with dp in VmFlags (fallback: expect none)", n);
}

/* 32 bytes of getrandom() then 32 of arc4random_buf(). */
static int draw(unsigned char *buf)
{
	if (getrandom(buf, 32, 0) != 32)
		return -1;
	arc4random_buf(buf + 32, 32);
	return 0;
}

static void test_fork(void)
{
	const char *name = "fork: parent and child differ";
	unsigned char mine[64], theirs[64];
	int pipefd[2], status;
	ssize_t n;
	pid_t pid;

	/* Have this thread's state in use before forking. */
	if (draw(mine) || pipe(pipefd)) {
		result(FAIL, name, "%s", strerror(errno));
		return;
	}
	fflush(stdout);
	pid = fork();
	if (!pid) {
		close(pipefd[0]);
		_exit(draw(theirs) || write(pipefd[1], theirs, 64) != 64);
	}
	close(pipefd[1]);
	n = pid < 0 || draw(mine) ? -1 : read(pipefd[0], theirs, 64);
	close(pipefd[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (n != 64 || !WIFEXITED(status) || WEXITSTATUS(status))
		result(FAIL, name, "child failed");
	else if (!memcmp(mine, theirs, 32) || !memcmp(mine + 32, theirs + 32, 32))
		result(FAIL, name, "same bytes after fork: getrandom %s, arc4random_buf %s",
		       memcmp(mine, theirs, 32) ? "differ" : "SAME",
		       memcmp(mine + 32, theirs + 32, 32) ? "differ" : "SAME");
	else
		result(PASS, name, NULL);
}

static unsigned char thread_out[NTHREADS][THREAD_CALLS * 4];
static pthread_barrier_t thread_start;

static void *thread_draw(void *arg)
{
	unsigned char *out = arg;
	int i;

	pthread_barrier_wait(&thread_start);
	for (i = 0; i < THREAD_CALLS; i++)
		if (getrandom(out + 4 * i, 4, 0) != 4)
			return arg;
	return NULL;
}

static int cmp_block(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

/*
 * NTHREADS threads, started together, THREAD_CALLS calls of 4 bytes
 * each: all the 16-byte blocks they get must differ and none be zero.
 */
static int threads_work(void *unused __maybe_unused, char *msg, size_t len)
{
	static const unsigned char zero[16];
	unsigned char (*blocks)[16] = (void *)thread_out;
	size_t nblocks = sizeof(thread_out) / 16, i;
	pthread_t t[NTHREADS];
	void *ret;
	int err = 0;

	pthread_barrier_init(&thread_start, NULL, NTHREADS);
	for (i = 0; i < NTHREADS; i++) {
		/* On failure the others would wait forever: fail the child. */
		if (pthread_create(&t[i], NULL, thread_draw, thread_out[i]))
			_exit(1);
	}
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], &ret);
		err |= !!ret;
	}
	if (err) {
		snprintf(msg, len, "a getrandom() call failed");
		return 0;
	}
	qsort(blocks, nblocks, 16, cmp_block);
	for (i = 0; i < nblocks; i++) {
		if (!memcmp(blocks[i], zero, 16) ||
		    (i && !memcmp(blocks[i], blocks[i - 1], 16))) {
			snprintf(msg, len, "a 16-byte block is zero or repeated");
			return 0;
		}
	}
	return 1;
}

static void test_threads(void)
{
	struct outcome o;

	run_counted(threads_work, NULL, &o);
	report_counted("64 threads at once", &o, NTHREADS * THREAD_CALLS, NTHREADS);
}

/* ---- bench ---- */

static uint32_t sink;	/* the calls are external: never optimised away */

typedef void call_fn(void);

static void call_getrandom(void)
{
	uint32_t x;

	if (getrandom(&x, sizeof(x), 0) != sizeof(x))
		abort();
	sink ^= x;
}

static void call_arc4random(void)
{
	sink ^= arc4random();
}

static void call_syscall(void)
{
	uint32_t x;

	if (syscall(SYS_getrandom, &x, sizeof(x), 0) != sizeof(x))
		abort();
	sink ^= x;
}

/* Nanoseconds per call of FN, calling it for about a second. */
static double bench(call_fn *fn)
{
	double t0 = now(), t;
	long n = 0;
	int i;

	fn();	/* the first call may set a state up */
	do {
		for (i = 0; i < 1000; i++)
			fn();
		n += 1000;
		t = now() - t0;
	} while (t < 1.0);
	return t * 1e9 / n;
}

static int thousand_calls(void *arg, char *msg __maybe_unused,
			  size_t len __maybe_unused)
{
	call_fn *fn = *(call_fn **)arg;
	int i;

	for (i = 0; i < 1000; i++)
		fn();
	return 1;
}

/* The path glibc really takes for FN, from the syscalls of 1000 calls. */
static const char *path_of(call_fn *fn)
{
	struct outcome o;

	run_counted(thousand_calls, &fn, &o);
	if (o.syscalls < 0)
		return "unknown";
	return o.syscalls < 1000 ? "vdso" : "fallback";
}

static void run_bench(void)
{
	printf("glibc getrandom(4): %.1f ns per call (%s)\n",
	       bench(call_getrandom), path_of(call_getrandom));
	printf("glibc arc4random(): %.1f ns per call (%s)\n",
	       bench(call_arc4random), path_of(call_arc4random));
	printf("syscall getrandom(4): %.1f ns per call\n", bench(call_syscall));
}

int main(int argc, char **argv)
{
	int i, expect = -1, bench_mode = 0;
	struct utsname u;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "bench")) {
			bench_mode = 1;
		} else if (!strcmp(argv[i], "--expect=vdso")) {
			expect = 1;
		} else if (!strcmp(argv[i], "--expect=fallback")) {
			expect = 0;
		} else {
			fprintf(stderr, "usage: %s [--expect=vdso|--expect=fallback] [bench]\n",
				argv[0]);
			return 2;
		}
	}
	vdso_mode = expect >= 0 ? expect : vdso_symbol(VDSO_GETRANDOM, VDSO_VERSION) > 0;
	uname(&u);

	if (bench_mode) {
		printf("# glibc %s, kernel %s\n", gnu_get_libc_version(), u.release);
		run_bench();
		return 0;
	}

	ktap_plan(8);
	printf("# glibc %s, kernel %s, mode %s%s\n", gnu_get_libc_version(), u.release,
	       vdso_mode ? "vdso" : "fallback", expect >= 0 ? " (from --expect)" : "");
	test_vdso();
	test_counter();
	test_loops();
	test_smaps();
	test_fork();
	test_threads();
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n",
	       ktap_pass, ktap_fail, ktap_skip);
	if (ktap_fail)
		return 1;
	return ktap_skip == ktap_tests ? 4 : 0;
}
