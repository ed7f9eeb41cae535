// SPDX-License-Identifier: GPL-2.0
/*
 * vgetrandom_stress: vDSO getrandom() under concurrency, forks, forced
 * reseeds and signals, against hostile arguments, and the quality of its
 * output. See README for what each result establishes.
 *
 *   vgetrandom_stress [--quick] [--seconds N] [--seed N] [--rngtest PATH]
 *                     [--huge]
 *
 * Output is KTAP; exit status 0 if all pass, 1 on any failure, 4 if all
 * were skipped.
 */
#include "stress.h"

#include <limits.h>
#include <linux/random.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/ioctl.h>
#include <ucontext.h>

#ifndef GRND_INSECURE
#define GRND_INSECURE	0x0004
#endif
#ifndef RNDRESEEDCRNG
#define RNDRESEEDCRNG	_IO('R', 0x07)
#endif

#define NR_RESULTS	15

static vgetrandom_fn vgr;
static struct vgr_params params;
static size_t state_size;
static const char *rngtest_path;
static bool opt_huge;		/* also fill 2 GiB: ~15 s natively */

static ssize_t sys_getrandom(void *buf, size_t len, unsigned int flags)
{
	long ret = syscall(SYS_getrandom, buf, len, flags);

	return ret < 0 ? -errno : ret;
}

static ssize_t vgetrandom(void *buf, size_t len, unsigned int flags,
			  void *state)
{
	return vgr(buf, len, flags, state, state_size);
}

/* States for @n threads, sliced from droppable memory as the query said. */
struct states {
	void *map;
	size_t len;
	size_t n;
};

static void *state_at(struct states *s, size_t i)
{
	size_t per_page = page_size / state_size;

	return (char *)s->map + (i / per_page) * page_size +
	       (i % per_page) * state_size;
}

static int states_alloc(struct states *s, size_t n)
{
	size_t per_page = page_size / state_size;

	s->n = n;
	s->len = (n + per_page - 1) / per_page * page_size;
	s->map = mmap(NULL, s->len, params.mmap_prot, params.mmap_flags, -1, 0);
	if (s->map == MAP_FAILED) {
		s->map = NULL;
		return -errno;
	}
	return 0;
}

static void states_free(struct states *s)
{
	if (s->map)
		munmap(s->map, s->len);
	s->map = NULL;
}

/* Request sizes: mostly small, some odd, some over a batch or a block. */
static size_t pick_len(uint64_t *r, size_t max)
{
	size_t len;

	switch (prng_below(r, 8)) {
	case 0:
		len = 1 + prng_below(r, 4096);
		break;
	case 1:
		len = 16 * (1 + prng_below(r, 64));
		break;
	default:
		len = 1 + prng_below(r, 256);
		break;
	}
	return len < max ? len : max;
}

/* ---- 1: query ---- */

static bool test_query(void)
{
	const char *name = "vDSO getrandom found, query call fills the parameters";
	struct vgr_params p;
	ssize_t ret;
	size_t i;

	vgr = vdso_lookup(VDSO_GETRANDOM, VDSO_VERSION);
	if (!vgr) {
		result(SKIP, name, "no " VDSO_GETRANDOM "@" VDSO_VERSION " in the vDSO");
		return false;
	}
	memset(&p, 0xa5, sizeof(p));
	ret = vgr(NULL, 0, 0, &p, ~0UL);
	diag("query: ret %zd, state size %u, prot %#x, flags %#x", ret,
	     p.size_of_opaque_state, p.mmap_prot, p.mmap_flags);
	for (i = 0; i < ARRAY_SIZE(p.reserved); i++) {
		if (p.reserved[i]) {
			result(FAIL, name, "reserved[%zu] = %#x", i,
			       p.reserved[i]);
			return false;
		}
	}
	if (ret || !p.size_of_opaque_state ||
	    p.size_of_opaque_state > page_size ||
	    p.mmap_prot != (PROT_READ | PROT_WRITE) ||
	    p.mmap_flags != (MAP_DROPPABLE | MAP_ANONYMOUS)) {
		result(FAIL, name, "unexpected parameters");
		return false;
	}
	params = p;
	state_size = p.size_of_opaque_state;
	result(PASS, name, NULL);
	return true;
}

/* ---- 2, 3: threads, forks and reseeds ---- */

struct worker {
	pthread_t thread;
	void *state;
	uint8_t *out;
	size_t cap, used;
	unsigned long calls, bad;
	uint64_t rng;
};

static pthread_barrier_t start_barrier;
static atomic_bool stop_all;
static atomic_int workers_left;

/*
 * Workers make the second half of their output only once this many forced
 * reseeds have happened (or the reseeder gave up, or the deadline passed):
 * on a busy machine the threads could otherwise all finish before the
 * reseeder first runs.
 */
#define MIN_RESEEDS	2
static atomic_ulong reseeds_done;
static atomic_bool reseeder_gone;
static double reseed_deadline;

static void wait_for_reseeds(void)
{
	while (atomic_load(&reseeds_done) < MIN_RESEEDS &&
	       !atomic_load(&reseeder_gone) && !atomic_load(&stop_all) &&
	       now() < reseed_deadline)
		usleep(1000);
}

static void *conc_worker(void *arg)
{
	struct worker *w = arg;

	bool waited = false;

	pthread_barrier_wait(&start_barrier);
	while (w->used < w->cap && !atomic_load(&stop_all)) {
		size_t len = pick_len(&w->rng, w->cap - w->used);

		if (!waited && w->used >= w->cap / 2) {
			wait_for_reseeds();
			waited = true;
		}
		ssize_t ret = vgetrandom(w->out + w->used, len, 0, w->state);

		w->calls++;
		if (ret != (ssize_t)len) {
			w->bad++;
			break;
		}
		w->used += len;
	}
	atomic_fetch_sub(&workers_left, 1);
	return NULL;
}

struct reseeder {
	pthread_t thread;
	int fd;
	unsigned long reseeds;
	int err;		/* first errno other than success */
};

static void *reseed_thread(void *arg)
{
	struct reseeder *r = arg;

	pthread_barrier_wait(&start_barrier);
	while (!atomic_load(&stop_all)) {
		if (ioctl(r->fd, RNDRESEEDCRNG)) {
			r->err = errno;
			break;
		}
		r->reseeds++;
		atomic_fetch_add(&reseeds_done, 1);
		sched_yield();
	}
	atomic_store(&reseeder_gone, true);
	return NULL;
}

#define FORK_PARENT_BYTES	64
#define FORK_CHILD_CALLS	4
#define FORK_CHILD_BYTES	(FORK_CHILD_CALLS * 64 + 64)

struct forker {
	pthread_t thread;
	struct states *states;
	void *state;		/* the forker's own state */
	unsigned long min_forks, forks, failures;
	double deadline;
	uint8_t *out;
	size_t cap, used;
	uint64_t rng;
};

/*
 * The child of a fork: its states are wiped, so it must rekey them; it
 * uses the forker's (keyed in the parent just before the fork) and
 * another thread's, which may have been mid-call at the fork.
 */
static void fork_child(struct forker *f, int fd)
{
	uint8_t buf[FORK_CHILD_BYTES];
	void *other = state_at(f->states, prng_below(&f->rng, f->states->n));
	ssize_t ret;
	int i;

	for (i = 0; i < FORK_CHILD_CALLS; i++) {
		ret = vgetrandom(buf + 64 * i, 64, 0, f->state);
		if (ret != 64)
			_exit(3);
	}
	ret = vgetrandom(buf + 64 * i, 64, 0, other);
	if (ret != 64)
		_exit(3);
	if (write(fd, buf, sizeof(buf)) != sizeof(buf))
		_exit(4);
	_exit(0);
}

static void *fork_thread(void *arg)
{
	struct forker *f = arg;

	pthread_barrier_wait(&start_barrier);
	while (f->used + 2 * FORK_PARENT_BYTES + FORK_CHILD_BYTES <= f->cap &&
	       (atomic_load(&workers_left) > 0 || f->forks < f->min_forks) &&
	       now() < f->deadline) {
		int pfd[2];
		pid_t pid;
		ssize_t n;

		if (vgetrandom(f->out + f->used, FORK_PARENT_BYTES, 0,
			       f->state) != FORK_PARENT_BYTES) {
			f->failures++;
			break;
		}
		f->used += FORK_PARENT_BYTES;
		if (pipe(pfd)) {
			f->failures++;
			break;
		}
		pid = fork();
		if (pid < 0) {
			f->failures++;
			close(pfd[0]);
			close(pfd[1]);
			break;
		}
		if (!pid) {
			close(pfd[0]);
			fork_child(f, pfd[1]);
		}
		close(pfd[1]);
		/* the parent goes on with the same state: must not match */
		if (vgetrandom(f->out + f->used, FORK_PARENT_BYTES, 0,
			       f->state) != FORK_PARENT_BYTES)
			f->failures++;
		f->used += FORK_PARENT_BYTES;
		n = read(pfd[0], f->out + f->used, FORK_CHILD_BYTES);
		close(pfd[0]);
		if (wait_child(pid) != 0 || n != FORK_CHILD_BYTES)
			f->failures++;
		else
			f->used += FORK_CHILD_BYTES;
		f->forks++;
	}
	return NULL;
}

static void test_concurrency(void)
{
	const char *name = "threads, forks and reseeds: no 16-byte block repeats";
	const char *rname = "forced reseeds (RNDRESEEDCRNG) ran during the threads";
	size_t nthreads = opt_quick ? 32 : 256;
	size_t per_thread = opt_quick ? 8192 : 128 * 1024;
	double budget = opt_quick ? 20 : opt_seconds * 0.3;
	struct reseeder rs = { .fd = -1 };
	struct forker fk = { 0 };
	struct worker *w = NULL;
	unsigned long calls = 0, bad = 0;
	struct blockset set = { 0 };
	struct states st = { 0 };
	size_t i, total = 0;
	bool reseeding;
	double t0;
	int ret;

	ret = states_alloc(&st, nthreads + 1);
	w = calloc(nthreads, sizeof(*w));
	if (ret || !w) {
		result(FAIL, name, "allocating states: %s", strerror(-ret));
		result(SKIP, rname, "no concurrency run");
		free(w);
		return;
	}
	for (i = 0; i < nthreads; i++) {
		w[i].state = state_at(&st, i);
		w[i].cap = per_thread;
		w[i].out = malloc(per_thread);
		w[i].rng = seed + i + 1;
		if (!w[i].out) {
			result(FAIL, name, "out of memory");
			result(SKIP, rname, "no concurrency run");
			goto out;
		}
	}
	fk.states = &st;
	fk.state = state_at(&st, nthreads);
	fk.min_forks = opt_quick ? 16 : 200;
	fk.cap = (fk.min_forks * 8) *
		 (2 * FORK_PARENT_BYTES + FORK_CHILD_BYTES);
	fk.out = malloc(fk.cap);
	fk.rng = seed ^ 0x5555;
	if (!fk.out) {
		result(FAIL, name, "out of memory");
		result(SKIP, rname, "no concurrency run");
		goto out;
	}

	rs.fd = open("/dev/urandom", O_RDONLY);
	reseeding = rs.fd >= 0 && !ioctl(rs.fd, RNDRESEEDCRNG);
	if (!reseeding)
		rs.err = errno;

	atomic_store(&stop_all, false);
	atomic_store(&workers_left, (int)nthreads);
	pthread_barrier_init(&start_barrier, NULL,
			     nthreads + 2 + (reseeding ? 1 : 0));
	t0 = now();
	fk.deadline = t0 + budget;
	reseed_deadline = t0 + budget / 2;
	atomic_store(&reseeds_done, 0);
	atomic_store(&reseeder_gone, !reseeding);
	for (i = 0; i < nthreads; i++) {
		if (pthread_create(&w[i].thread, NULL, conc_worker, &w[i])) {
			/* cannot go on: the barrier would never open */
			diag("pthread_create failed at thread %zu", i);
			exit(1);
		}
	}
	if (pthread_create(&fk.thread, NULL, fork_thread, &fk) ||
	    (reseeding &&
	     pthread_create(&rs.thread, NULL, reseed_thread, &rs))) {
		diag("pthread_create failed");
		exit(1);
	}
	pthread_barrier_wait(&start_barrier);
	while (atomic_load(&workers_left) > 0 && now() < t0 + budget)
		usleep(10000);
	atomic_store(&stop_all, true);
	for (i = 0; i < nthreads; i++)
		pthread_join(w[i].thread, NULL);
	pthread_join(fk.thread, NULL);
	if (reseeding)
		pthread_join(rs.thread, NULL);
	pthread_barrier_destroy(&start_barrier);

	for (i = 0; i < nthreads; i++) {
		total += w[i].used;
		calls += w[i].calls;
		bad += w[i].bad;
	}
	if (blockset_init(&set, total / 16 + fk.used / 16 + 16)) {
		result(FAIL, name, "out of memory for the block set");
		result(SKIP, rname, "no concurrency run");
		goto out;
	}
	for (i = 0; i < nthreads; i++)
		blockset_add_buf(&set, w[i].out, w[i].used);
	blockset_add_buf(&set, fk.out, fk.used);

	diag("%zu threads, %lu calls, %zu bytes, %lu forks (%lu failed), %lu reseeds, %.2f s",
	     nthreads, calls, total + fk.used, fk.forks, fk.failures,
	     rs.reseeds, now() - t0);
	diag("blocks hashed %zu, repeated %zu, all-zero %zu", set.count,
	     set.dups, set.zeros);
	if (bad || fk.failures || set.dups || set.zeros || !set.count ||
	    fk.forks < 1)
		result(FAIL, name,
		       "%lu short or failed calls, %lu fork failures, %zu repeats, %zu zero blocks",
		       bad, fk.failures, set.dups, set.zeros);
	else
		result(PASS, name, NULL);

	if (!reseeding)
		result(rs.err == EPERM ? SKIP : FAIL, rname,
		       "RNDRESEEDCRNG: %s%s", strerror(rs.err),
		       rs.err == EPERM ? " (needs CAP_SYS_ADMIN)" : "");
	else if (rs.err)
		result(FAIL, rname, "RNDRESEEDCRNG failed after %lu: %s",
		       rs.reseeds, strerror(rs.err));
	else
		result(rs.reseeds ? PASS : FAIL, rname,
		       "%lu reseeds while %zu threads and the forks ran",
		       rs.reseeds, nthreads);
out:
	blockset_free(&set);
	if (rs.fd >= 0)
		close(rs.fd);
	if (w) {
		for (i = 0; i < nthreads; i++)
			free(w[i].out);
	}
	free(w);
	free(fk.out);
	states_free(&st);
}

/* ---- 4: signals ---- */

#define HANDLER_BYTES	32

static void *sig_state;
static uint8_t (*hout)[HANDLER_BYTES];
static volatile size_t hcount, hcap;
static volatile unsigned long hcalls, hbad, hmid;
static atomic_bool sig_stop;
static pid_t worker_tid;

static void on_usr1(int sig __maybe_unused, siginfo_t *si __maybe_unused,
		    void *uc_)
{
	ucontext_t *uc = uc_;
	int saved = errno;
	uint8_t tmp[HANDLER_BYTES];
	ssize_t ret;

	if (in_vdso(UCONTEXT_PC(uc)))
		hmid++;
	hcalls++;
	ret = vgetrandom(hcount < hcap ? hout[hcount] : tmp, HANDLER_BYTES, 0,
			 sig_state);
	if (ret != HANDLER_BYTES)
		hbad++;
	else if (hcount < hcap)
		hcount++;
	errno = saved;
}

static void *signal_sender(void *arg)
{
	unsigned long *sent = arg;
	pid_t pid = getpid();

	/*
	 * One signal at a time: a standard signal sent while one is pending
	 * is lost, so wait (briefly) until the handler ran before the next.
	 */
	while (!atomic_load(&sig_stop)) {
		unsigned long before = hcalls;
		int spins = 0;

		if (syscall(SYS_tgkill, pid, worker_tid, SIGUSR1))
			break;
		(*sent)++;
		while (hcalls == before && !atomic_load(&sig_stop) &&
		       spins++ < 1000)
			sched_yield();
	}
	return NULL;
}

static void test_signals(void)
{
	const char *name = "signal handler on the same state: no corruption, no repeats";
	size_t max_blocks = opt_quick ? 512 * 1024 : 2 * 1024 * 1024;
	unsigned long sent = 0, calls = 0, bad = 0;
	double budget = opt_quick ? 1 : opt_seconds * 0.3;
	struct sigaction sa = { 0 }, old;
	struct blockset set = { 0 };
	struct states st = { 0 };
	uint8_t buf[4096];
	pthread_t sender;
	uint64_t r = seed ^ 0xabcdef;
	size_t i, bytes = 0;
	double t0;

	if (states_alloc(&st, 1) ||
	    blockset_init(&set, max_blocks + max_blocks / 4)) {
		result(FAIL, name, "out of memory");
		goto out;
	}
	hcap = max_blocks / 4;
	hout = malloc(hcap * HANDLER_BYTES);
	if (!hout) {
		result(FAIL, name, "out of memory");
		goto out;
	}
	sig_state = state_at(&st, 0);
	hcount = hcalls = hbad = hmid = 0;
	worker_tid = gettid();

	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, &old);
	atomic_store(&sig_stop, false);
	if (pthread_create(&sender, NULL, signal_sender, &sent)) {
		result(FAIL, name, "pthread_create failed");
		sigaction(SIGUSR1, &old, NULL);
		goto out;
	}

	t0 = now();
	/*
	 * Quick: enough calls and handled signals, within a cap that holds
	 * under TCG; full: the time budget.
	 */
	while (set.count + 300 < max_blocks && now() < t0 + budget &&
	       (!opt_quick || calls < 20000 || hcalls < 1000)) {
		/* mostly short calls: more of them, more signals inside */
		size_t len = prng_below(&r, 16) ? 1 + prng_below(&r, 64) :
			     pick_len(&r, sizeof(buf));
		ssize_t ret = vgetrandom(buf, len, 0, sig_state);

		calls++;
		if (ret != (ssize_t)len) {
			bad++;
			diag("call %lu of %zu bytes returned %zd", calls, len,
			     ret);
			break;
		}
		bytes += len;
		blockset_add_buf(&set, buf, len);
	}
	atomic_store(&sig_stop, true);
	pthread_join(sender, NULL);
	sigaction(SIGUSR1, &old, NULL);

	for (i = 0; i < hcount; i++)
		blockset_add(&set, hout[i]), blockset_add(&set, hout[i] + 16);

	diag("%lu calls, %zu bytes, %lu signals sent, %lu handled, %lu landed inside the vDSO, %.2f s",
	     calls, bytes, sent, hcalls, hmid, now() - t0);
	diag("handler calls failed %lu; blocks hashed %zu, repeated %zu, all-zero %zu",
	     hbad, set.count, set.dups, set.zeros);
	if (bad || hbad || set.dups || set.zeros)
		result(FAIL, name, "%lu bad calls, %lu bad handler calls, %zu repeats, %zu zero blocks",
		       bad, hbad, set.dups, set.zeros);
	else if (!hmid)
		result(FAIL, name, "no signal landed inside a vDSO call");
	else
		result(PASS, name, NULL);
out:
	free(hout);
	hout = NULL;
	blockset_free(&set);
	states_free(&st);
}

/* ---- 5..12: hostile arguments ---- */

struct call {
	void *buf;
	size_t len;
	unsigned int flags;
	void *state;
	size_t opaque_len;
};

struct outcome {
	int sig;	/* the signal that killed the child, or 0 */
	ssize_t ret;
};

/*
 * Makes @c with the vDSO (@vdso) or the system call in a child, which
 * may crash, and reports how it ended.
 */
static struct outcome run_call(const struct call *c, bool vdso)
{
	struct outcome o = { .sig = -1, .ret = 0 };
	int pfd[2], st;
	pid_t pid;

	if (pipe(pfd))
		return o;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return o;
	}
	if (!pid) {
		ssize_t ret;

		close(pfd[0]);
		/* do not leave cores of the expected crashes around */
		signal(SIGSEGV, SIG_DFL);
		if (vdso)
			ret = vgr(c->buf, c->len, c->flags, c->state,
				  c->opaque_len);
		else
			ret = sys_getrandom(c->buf, c->len, c->flags);
		if (write(pfd[1], &ret, sizeof(ret)) != sizeof(ret))
			_exit(5);
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], &o.ret, sizeof(o.ret)) != sizeof(o.ret))
		o.ret = 0;
	close(pfd[0]);
	st = wait_child(pid);
	o.sig = st >= 128 ? st - 128 : (st == 0 ? 0 : -1);
	return o;
}

static void fmt_outcome(char *s, size_t n, struct outcome o)
{
	if (o.sig > 0)
		snprintf(s, n, "killed by %s", strsignal(o.sig));
	else if (o.sig < 0)
		snprintf(s, n, "child failed");
	else
		snprintf(s, n, "%zd", o.ret);
}

/*
 * The system call's answer to a buffer that is writable for only @want
 * bytes: those bytes, or fewer (it may stop at a copy chunk), or -EFAULT
 * if none. Any other expected value must be exact.
 */
static bool sys_ret_ok(ssize_t ret, ssize_t want)
{
	if (ret == want)
		return true;
	return want > 0 && (ret == -EFAULT || (ret > 0 && ret < want));
}

/*
 * Runs @c both ways. With @want_vdso NULL, the outcomes must match;
 * otherwise the vDSO's must be *@want_vdso (a documented difference) and
 * the syscall's *@want_sys. Returns true if as expected.
 */
static bool check_call(const char *what, const struct call *c,
		       const struct outcome *want_vdso,
		       const struct outcome *want_sys)
{
	struct outcome v = run_call(c, true), s = run_call(c, false);
	char vs[64], ss[64];
	bool ok;

	if (want_vdso)
		ok = v.sig == want_vdso->sig &&
		     (v.sig || v.ret == want_vdso->ret) &&
		     s.sig == want_sys->sig &&
		     (s.sig || sys_ret_ok(s.ret, want_sys->ret));
	else
		ok = v.sig == 0 && s.sig == 0 && v.ret == s.ret;
	if (!ok) {
		fmt_outcome(vs, sizeof(vs), v);
		fmt_outcome(ss, sizeof(ss), s);
		diag("%s: vDSO %s, syscall %s%s", what, vs, ss,
		     want_vdso ? " (not the documented outcome)" : "");
	}
	return ok;
}

/* The results 5..12, in order. */
enum {
	H_FLAGS, H_OPAQUE_LEN, H_STRADDLE, H_NULL_STATE, H_UNMAPPED,
	H_RO_STATE, H_BUFFERS, H_LENGTHS, NR_HOSTILE
};

/*
 * Each result: what its diagnostic calls the cases and the ones that went
 * wrong, and its KTAP name.
 */
static const struct {
	const char *label, *wrong, *name;
} hostile_results[NR_HOSTILE] = {
	[H_FLAGS] = { "flags", "differ",
		"hostile: each flag bit 1<<0..1<<31, INSECURE|RANDOM: vDSO == syscall" },
	[H_OPAQUE_LEN] = { "opaque_len", "differ",
		"hostile: opaque_len size-1, size+1, 0, huge: vDSO == syscall" },
	[H_STRADDLE] = { "straddling states", "not as documented",
		"hostile: a state straddling a page gives -EFAULT (documented), also for len 0" },
	[H_NULL_STATE] = { "NULL state", "differ",
		"hostile: a NULL state makes the system call (documented): vDSO == syscall" },
	[H_UNMAPPED] = { "unmapped state", "not as expected",
		"hostile: an unmapped state faults (SIGSEGV) for len > 0, len 0 returns 0, bad flags -EINVAL" },
	[H_RO_STATE] = { "read-only state", "not as expected",
		"hostile: a read-only state faults (SIGSEGV) for len > 0, len 0 returns 0" },
	[H_BUFFERS] = { "unwritable buffers", "not as documented",
		"hostile: unwritable buffers: syscall -EFAULT/short, vDSO SIGSEGV (documented)" },
	[H_LENGTHS] = { "lengths", "not as expected",
		"hostile: len 0, SIZE_MAX, > MAX_RW_COUNT: as the syscall, capped, faults documented" },
};

/* What a case expects of the vDSO: the syscall's outcome, or another. */
enum hostile_expect {
	V_SAME,		/* both return the same, no signal */
	V_SEGV,		/* the vDSO is killed by SIGSEGV (documented) */
	V_EFAULT,	/* the vDSO returns -EFAULT (documented) */
};

/* One case: a call, made both ways, counted toward result @result. */
struct hostile_case {
	int result;
	char what[40];
	struct call c;
	enum hostile_expect vdso;
	ssize_t sys;	/* unless V_SAME: what the syscall returns */
};

#define MAX_HOSTILE_CASES	96

/* Appends @hc to @t (of MAX_HOSTILE_CASES), named by @fmt. */
static void __attribute__((format(printf, 4, 5)))
add_case(struct hostile_case *t, size_t *n, struct hostile_case hc,
	 const char *fmt, ...)
{
	va_list ap;

	if (*n >= MAX_HOSTILE_CASES) {
		diag("more than %d hostile cases", MAX_HOSTILE_CASES);
		exit(1);
	}
	va_start(ap, fmt);
	vsnprintf(hc.what, sizeof(hc.what), fmt, ap);
	va_end(ap);
	t[(*n)++] = hc;
}

static bool check_case(const struct hostile_case *hc)
{
	struct outcome v = { 0 }, s = { 0, hc->sys };

	if (hc->vdso == V_SAME)
		return check_call(hc->what, &hc->c, NULL, NULL);
	if (hc->vdso == V_SEGV)
		v.sig = SIGSEGV;
	else
		v.ret = -EFAULT;
	return check_call(hc->what, &hc->c, &v, &s);
}

/*
 * In the full mode with --huge: len MAX_RW_COUNT + a page into a buffer
 * that big: the vDSO and the syscall both return MAX_RW_COUNT and leave
 * the byte after it alone.
 */
static void check_huge_len(void *state, unsigned long *cases,
			   unsigned long *bad)
{
	size_t max_rw = INT_MAX & ~(page_size - 1);
	size_t blen = max_rw + 2 * page_size;
	double t0 = now();
	ssize_t rv, rs;
	char *big;

	if (!opt_huge) {
		diag("len > MAX_RW_COUNT into a 2 GiB buffer not run (needs --huge)");
		return;
	}
	/* droppable, so that 2 GiB fit even in a small guest */
	big = mmap(NULL, blen + page_size, PROT_READ | PROT_WRITE,
		   MAP_DROPPABLE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (big == MAP_FAILED ||
	    mmap(big + max_rw, page_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) {
		(*bad)++;
		diag("mapping a 2 GiB buffer: %s", strerror(errno));
		return;
	}
	big[max_rw] = 0x5a;
	rv = vgetrandom(big, max_rw + page_size, 0, state);
	(*cases)++;
	if (rv != (ssize_t)max_rw || big[max_rw] != 0x5a) {
		(*bad)++;
		diag("vDSO len MAX_RW_COUNT + page: %zd, sentinel %#x",
		     rv, (unsigned char)big[max_rw]);
	}
	rs = sys_getrandom(big, max_rw + page_size, 0);
	(*cases)++;
	if (rs != (ssize_t)max_rw || big[max_rw] != 0x5a) {
		(*bad)++;
		diag("syscall len MAX_RW_COUNT + page: %zd, sentinel %#x",
		     rs, (unsigned char)big[max_rw]);
	}
	diag("len MAX_RW_COUNT + page: vDSO %zd, syscall %zd (%.2f s)",
	     rv, rs, now() - t0);
	munmap(big, blen + page_size);
}

static uint8_t hbuf[4096];

/*
 * Fills @t with the cases, in the order they run, from three pages: a
 * state area at @pages (with the keyed @state elsewhere), a read-only
 * page, an unmapped page. Returns how many.
 */
static size_t hostile_cases(struct hostile_case *t, char *pages, void *state)
{
	char *ro = pages + page_size, *guard = pages + 2 * page_size;
	/* the last whole state in the first page */
	char *last = pages + page_size / state_size * state_size - state_size;
	/* writable for @room bytes, up to the read-only page */
	char *tail = pages + 64;
	ssize_t room = page_size - 64;
	size_t sz = state_size;	/* the right opaque_len */
	size_t lens[] = { sz - 1, sz + 1, 0, 1, page_size, 1UL << 32,
			  SIZE_MAX / 2, SIZE_MAX - 1, SIZE_MAX };
	size_t offs[] = { page_size - sz + 1, page_size - sz / 2,
			  page_size - 1 };
	/*
	 * The cases that do not depend on the state size, one a line: the
	 * result, the name, the call, and unless the vDSO must do as the
	 * syscall, what each of them must do. They come after the others
	 * of their result.
	 */
	const struct hostile_case fixed[] = {
		/* not a query call: flags, buffer or length set */
		{ H_OPAQUE_LEN, "query with flags 1", { NULL, 0, 1, &params, SIZE_MAX }, V_SAME, 0 },
		{ H_OPAQUE_LEN, "query with a buffer", { hbuf, 0, 0, &params, SIZE_MAX }, V_SAME, 0 },
		/* a state that ends exactly at the end of the page is fine */
		{ H_STRADDLE, "last state of a page", { hbuf, 16, 0, last, sz }, V_SAME, 0 },
		/* NULL state: documented to make the system call */
		{ H_NULL_STATE, "NULL state, len 16", { hbuf, 16, 0, NULL, sz }, V_SAME, 0 },
		{ H_NULL_STATE, "NULL state, len 0", { hbuf, 0, 0, NULL, sz }, V_SAME, 0 },
		{ H_NULL_STATE, "NULL state, bad flag", { hbuf, 16, 1U << 7, NULL, sz }, V_SAME, 0 },
		/*
		 * An unmapped state: the vDSO does not check where a state
		 * lives, it reads it in user mode, so the call faults where
		 * the system call (which never sees the state) succeeds;
		 * len 0 returns before the state is touched.
		 */
		{ H_UNMAPPED, "unmapped state, len 16", { hbuf, 16, 0, guard, sz }, V_SEGV, 16 },
		{ H_UNMAPPED, "unmapped state, len 0", { hbuf, 0, 0, guard, sz }, V_SAME, 0 },
		{ H_UNMAPPED, "unmapped state, bad flag", { hbuf, 16, 1U << 9, guard, sz }, V_SAME, 0 },
		/* a read-only state: readable, but marking it in use faults */
		{ H_RO_STATE, "read-only state, len 16", { hbuf, 16, 0, ro, sz }, V_SEGV, 16 },
		{ H_RO_STATE, "read-only state, len 0", { hbuf, 0, 0, ro, sz }, V_SAME, 0 },
		/*
		 * Unwritable buffers: the vDSO writes in user mode and faults
		 * (documented), the system call returns -EFAULT, or the
		 * bytes it wrote before the fault.
		 */
		{ H_BUFFERS, "buffer #0, len 16", { NULL, 16, 0, state, sz }, V_SEGV, -EFAULT },
		{ H_BUFFERS, "buffer #1, len 16", { guard, 16, 0, state, sz }, V_SEGV, -EFAULT },
		{ H_BUFFERS, "buffer #2, len 16", { ro, 16, 0, state, sz }, V_SEGV, -EFAULT },
		{ H_BUFFERS, "buffer #3, len 4096", { ro, 4096, 0, state, sz }, V_SEGV, -EFAULT },
		{ H_BUFFERS, "buffer #4, len 16", { guard - 8, 16, 0, state, sz }, V_SEGV, 8 },
		{ H_BUFFERS, "buffer #5, len 4096", { guard - 256, 4096, 0, state, sz }, V_SEGV, 256 },
		/* nothing to write: both return 0 */
		{ H_BUFFERS, "NULL buffer, len 0", { NULL, 0, 0, state, sz }, V_SAME, 0 },
		{ H_BUFFERS, "unmapped buffer, len 0", { guard, 0, 0, state, sz }, V_SAME, 0 },
		/*
		 * Lengths: 0, and huge ones into a small buffer before the
		 * read-only page, where the syscall stops and the vDSO faults.
		 */
		{ H_LENGTHS, "len 0", { hbuf, 0, 0, state, sz }, V_SAME, 0 },
		{ H_LENGTHS, "len SIZE_MAX", { tail, SIZE_MAX, 0, state, sz }, V_SEGV, room },
		{ H_LENGTHS, "len INT_MAX + 1", { tail, INT_MAX + 1UL, 0, state, sz }, V_SEGV, room },
	};
	unsigned int flag;
	size_t i, n = 0;

	/* every single flag bit, and the one meaningless pair */
	for (i = 0; i <= 32; i++) {
		flag = i < 32 ? 1U << i : GRND_INSECURE | GRND_RANDOM;
		add_case(t, &n, (struct hostile_case){ H_FLAGS, "",
			 { hbuf, 16, flag, state, sz }, V_SAME, 0 },
			 "flags %#x", flag);
	}
	/* wrong opaque_len: the system call serves it */
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		add_case(t, &n, (struct hostile_case){ H_OPAQUE_LEN, "",
			 { hbuf, 16, 0, state, lens[i] }, V_SAME, 0 },
			 "opaque_len %zu", lens[i]);
		add_case(t, &n, (struct hostile_case){ H_OPAQUE_LEN, "",
			 { hbuf, 0, 0, state, lens[i] }, V_SAME, 0 },
			 "opaque_len %zu", lens[i]);
	}
	/* states straddling a page boundary: -EFAULT, even with len 0 */
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		add_case(t, &n, (struct hostile_case){ H_STRADDLE, "",
			 { hbuf, 16, 0, pages + offs[i], sz }, V_EFAULT, 16 },
			 "state at page + %zu", offs[i]);
		add_case(t, &n, (struct hostile_case){ H_STRADDLE, "",
			 { hbuf, 0, 0, pages + offs[i], sz }, V_EFAULT, 0 },
			 "state at page + %zu", offs[i]);
	}
	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		add_case(t, &n, fixed[i], "%s", fixed[i].what);
	return n;
}

static void test_hostile(void)
{
	struct hostile_case t[MAX_HOSTILE_CASES];
	struct states st = { 0 };
	unsigned long cases, bad;
	size_t i, n;
	char *pages;
	void *state;
	int r;

	/* three pages: a state area, a read-only page, an unmapped page */
	if (states_alloc(&st, 1)) {
		for (r = 0; r < NR_HOSTILE; r++)
			result(FAIL, "hostile arguments", "no states");
		return;
	}
	state = state_at(&st, 0);
	vgetrandom(hbuf, 16, 0, state);	/* keyed */
	pages = mmap(NULL, 3 * page_size, params.mmap_prot, params.mmap_flags,
		     -1, 0);
	if (pages == MAP_FAILED) {
		for (r = 0; r < NR_HOSTILE; r++)
			result(FAIL, "hostile arguments", "mmap: %s",
			       strerror(errno));
		states_free(&st);
		return;
	}
	mprotect(pages + page_size, page_size, PROT_READ);
	munmap(pages + 2 * page_size, page_size);
	n = hostile_cases(t, pages, state);

	for (r = 0; r < NR_HOSTILE; r++) {
		cases = bad = 0;
		for (i = 0; i < n; i++) {
			if (t[i].result != r)
				continue;
			cases++;
			bad += !check_case(&t[i]);
		}
		if (r == H_LENGTHS)
			check_huge_len(state, &cases, &bad);
		diag("%s: %lu cases, %lu %s", hostile_results[r].label, cases,
		     bad, hostile_results[r].wrong);
		result(bad ? FAIL : PASS, hostile_results[r].name, NULL);
	}

	munmap(pages, 2 * page_size);
	states_free(&st);
}

/* ---- 13..15: output quality ---- */

#define FIPS_BITS	20000
#define FIPS_BYTES	(FIPS_BITS / 8)

enum { F_MONOBIT = 1, F_POKER = 2, F_RUNS = 4, F_LONGRUN = 8 };

/*
 * The FIPS 140-2 statistical tests (with the bounds of its change notice
 * 1) on one 20000-bit block; returns a mask of the tests it fails.
 */
static int fips_block(const uint8_t *p)
{
	static const int lo[6] = { 2315, 1114, 527, 240, 103, 103 };
	static const int hi[6] = { 2685, 1386, 723, 384, 209, 209 };
	int runs[2][6] = { { 0 } };
	unsigned int nib[16] = { 0 };
	int ones = 0, fails = 0;
	int run = 0, prev = -1, longest = 0;
	double x = 0;
	int i, j;

	for (i = 0; i < FIPS_BYTES; i++) {
		ones += __builtin_popcount(p[i]);
		nib[p[i] >> 4]++;
		nib[p[i] & 15]++;
		for (j = 7; j >= 0; j--) {
			int bit = (p[i] >> j) & 1;

			if (bit == prev) {
				run++;
				continue;
			}
			if (prev >= 0) {
				runs[prev][run > 6 ? 5 : run - 1]++;
				if (run > longest)
					longest = run;
			}
			prev = bit;
			run = 1;
		}
	}
	runs[prev][run > 6 ? 5 : run - 1]++;
	if (run > longest)
		longest = run;

	if (ones <= 9725 || ones >= 10275)
		fails |= F_MONOBIT;
	for (i = 0; i < 16; i++)
		x += (double)nib[i] * nib[i];
	x = 16.0 / 5000 * x - 5000;
	if (x <= 2.16 || x >= 46.17)
		fails |= F_POKER;
	for (i = 0; i < 2; i++)
		for (j = 0; j < 6; j++)
			if (runs[i][j] < lo[j] || runs[i][j] > hi[j])
				fails |= F_RUNS;
	if (longest >= 26)
		fails |= F_LONGRUN;
	return fails;
}

struct fips_counts {
	size_t blocks, failed, monobit, poker, runs, longrun;
};

static struct fips_counts fips_battery(const uint8_t *p, size_t len)
{
	struct fips_counts c = { 0 };
	size_t off;

	for (off = 0; off + FIPS_BYTES <= len; off += FIPS_BYTES) {
		int f = fips_block(p + off);

		c.blocks++;
		c.failed += !!f;
		c.monobit += !!(f & F_MONOBIT);
		c.poker += !!(f & F_POKER);
		c.runs += !!(f & F_RUNS);
		c.longrun += !!(f & F_LONGRUN);
	}
	return c;
}

/*
 * Good random data fails some test in about 0.1% of blocks (0.08% of
 * 134,200 blocks of this vDSO's output natively, 0.11% of 30,195 in the
 * QEMU guest, where the old bound of three plus one in 500 was exceeded
 * once in about a dozen runs). Allow six, plus one in 300 blocks: at
 * 0.1%, that is exceeded less than once in 10^7 runs of either size
 * (Poisson), while a defect failing 1% of the blocks of the 8 MiB run
 * exceeds it all but surely, and a stuck bit fails them all.
 */
static size_t fips_bound(size_t blocks)
{
	return 6 + blocks / 300;
}

static void print_fips(const char *what, struct fips_counts c)
{
	diag("%s: %zu blocks, %zu failed (monobit %zu, poker %zu, runs %zu, long run %zu), bound %zu",
	     what, c.blocks, c.failed, c.monobit, c.poker, c.runs, c.longrun,
	     fips_bound(c.blocks));
}

static void run_rngtest(const uint8_t *p, size_t len)
{
	const char *name = "quality: rngtest (FIPS 140-2) on the same output";
	const char *path = rngtest_path;
	char line[256], cnt[32];
	long ok = -1, failed = -1;
	int in[2], err[2];
	size_t off;
	pid_t pid;
	FILE *f;
	int st;

	if (!path) {
		static const char *const where[] = { "/usr/bin/rngtest",
			"/usr/sbin/rngtest", "/bin/rngtest", "/sbin/rngtest" };
		size_t i;

		for (i = 0; i < ARRAY_SIZE(where); i++)
			if (!access(where[i], X_OK))
				path = where[i];
	}
	if (!path) {
		result(SKIP, name, "no rngtest (Debian package rng-tools5)");
		return;
	}
	if (pipe(in) || pipe(err)) {
		result(FAIL, name, "pipe: %s", strerror(errno));
		return;
	}
	/* rngtest takes 32 bits first, then 20000-bit blocks */
	snprintf(cnt, sizeof(cnt), "%zu", (len - 4) / FIPS_BYTES);
	pid = fork();
	if (!pid) {
		dup2(in[0], 0);
		dup2(err[1], 2);
		close(in[0]);
		close(in[1]);
		close(err[0]);
		close(err[1]);
		execl(path, path, "-c", cnt, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(err[1]);
	signal(SIGPIPE, SIG_IGN);
	/* rngtest's stderr is small; it reads all its input before exiting */
	for (off = 0; off < len;) {
		ssize_t n = write(in[1], p + off, len - off);

		if (n <= 0)
			break;
		off += n;
	}
	close(in[1]);
	f = fdopen(err[0], "r");
	while (f && fgets(line, sizeof(line), f)) {
		sscanf(line, "rngtest: FIPS 140-2 successes: %ld", &ok);
		sscanf(line, "rngtest: FIPS 140-2 failures: %ld", &failed);
	}
	if (f)
		fclose(f);
	st = wait_child(pid);
	signal(SIGPIPE, SIG_DFL);
	diag("%s: %ld blocks passed, %ld failed, exit %d", path, ok, failed,
	     st);
	if (st == 127 || ok < 0 || failed < 0)
		result(FAIL, name, "could not run %s", path);
	else if (ok + failed < (long)((len - 4) / FIPS_BYTES))
		result(FAIL, name, "rngtest saw only %ld blocks", ok + failed);
	else
		result((size_t)failed <= fips_bound(ok + failed) ? PASS : FAIL,
		       name, NULL);
}

static void test_quality(void)
{
	const char *name = "quality: FIPS 140-2 monobit/poker/runs/long run on vDSO output";
	const char *sname = "quality self-check: the battery fails a stream with one bit stuck";
	size_t len = (opt_quick ? 1 : 8) << 20;
	struct fips_counts c, b;
	struct states st = { 0 };
	uint64_t r = seed ^ 0x1234;
	size_t off, i;
	uint8_t *p, *q;
	double t0;

	p = malloc(len);
	q = malloc(len);
	if (!p || !q || states_alloc(&st, 1)) {
		result(FAIL, name, "out of memory");
		result(FAIL, sname, "out of memory");
		result(SKIP, "quality: rngtest", "no output");
		free(p);
		free(q);
		return;
	}
	t0 = now();
	for (off = 0; off < len;) {
		size_t n = pick_len(&r, len - off);

		if (vgetrandom(p + off, n, 0, state_at(&st, 0)) != (ssize_t)n)
			break;
		off += n;
	}
	if (off < len) {
		result(FAIL, name, "a call failed at byte %zu", off);
	} else {
		c = fips_battery(p, len);
		print_fips("vDSO output", c);
		diag("%zu bytes generated and tested in %.2f s", len,
		     now() - t0);
		result(c.blocks && c.failed <= fips_bound(c.blocks) ?
		       PASS : FAIL, name, NULL);
	}

	/* the same stream with bit 0 of every byte stuck at one */
	for (i = 0; i < len; i++)
		q[i] = p[i] | 1;
	b = fips_battery(q, len);
	print_fips("bit 0 stuck", b);
	/* a long run of the identity is caught too */
	memset(q, 0xff, FIPS_BYTES);
	result(b.blocks && b.failed == b.blocks && fips_block(q) ? PASS : FAIL,
	       sname, NULL);

	run_rngtest(p, len);
	free(p);
	free(q);
	states_free(&st);
}

static const struct stress_option own_options[] = {
	{ "--rngtest", NULL, &rngtest_path },
	{ "--huge", &opt_huge, NULL },
	{ }
};

int main(int argc, char **argv)
{
	int i;

	opt_seconds = 40;
	stress_setup(argc, argv, own_options, " [--rngtest PATH] [--huge]");

	ktap_plan(NR_RESULTS);
	diag("vgetrandom_stress: %s mode, budget %g s, seed %#llx",
	     opt_quick ? "quick" : "full", opt_seconds,
	     (unsigned long long)seed);
	if (!test_query()) {
		for (i = 1; i < NR_RESULTS; i++)
			result(SKIP, "vgetrandom stress", "no vDSO getrandom");
		return ktap_finish(NR_RESULTS);
	}
	test_concurrency();
	test_signals();
	test_hostile();
	test_quality();
	return ktap_finish(NR_RESULTS);
}
