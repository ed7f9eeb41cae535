// SPDX-License-Identifier: GPL-2.0
/*
 * droppable_stress: MAP_DROPPABLE under memory pressure (with and without
 * swap, classic LRU and MGLRU), its interactions with the rest of mm, and
 * a seeded random-operation fuzzer. See README for each result.
 *
 *   droppable_stress [--quick] [--seconds N] [--seed N] [--global]
 *
 * It changes system state for a while (a memory cgroup, a zram swap
 * device, the LRU and THP modes, the core pattern) and puts it back. It
 * needs root; what the system cannot provide is skipped, with a reason.
 * Output is KTAP; exit status 0 if all pass, 1 on any failure, 4 if all
 * were skipped.
 */
#include "stress.h"

#include <dirent.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>

#ifndef MADV_COLD
#define MADV_COLD	20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif
#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE	1
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED	2
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open		434
#endif
#ifndef SYS_process_madvise
#define SYS_process_madvise	440
#endif

#define NR_PRESSURE	6
#define NR_MM		11
#define NR_RESULTS	(NR_PRESSURE + NR_MM + 1)

static bool opt_global;
static long long mem_total;	/* bytes */

/* ---- mappings and their contents ---- */

static void *map_droppable(size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_DROPPABLE | MAP_ANONYMOUS, -1, 0);
}

static void *map_private(size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* The word a page stamped with @tag holds at @i: never zero. */
static uint64_t stamp_word(uint64_t tag, size_t i)
{
	uint64_t x = tag * 0x9e3779b97f4a7c15ULL + i;

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 32;
	return x | 1;
}

static void stamp_page(void *page, uint64_t tag)
{
	uint64_t *w = page;
	size_t i;

	for (i = 0; i < page_size / 8; i++)
		w[i] = stamp_word(tag, i);
}

enum page_state { INTACT, ZERO, GARBAGE };

/* The first wrong word of the last garbage page seen, for diagnostics. */
static size_t bad_index;
static uint64_t bad_word, bad_want;

/*
 * Each word of a page reads as its stamp or as zero, and nothing else: a
 * page dropped while it is being checked turns zero under the check, and
 * one dropped while it was being stamped holds zeroes where the words
 * written before the drop were. Such a page counts as dropped; any other
 * value is garbage.
 */
static enum page_state check_page(const void *page, uint64_t tag)
{
	const volatile uint64_t *w = page;
	size_t i, zero = 0;

	for (i = 0; i < page_size / 8; i++) {
		uint64_t v = w[i];

		if (!v) {
			zero++;
		} else if (v != stamp_word(tag, i)) {
			bad_index = i;
			bad_word = v;
			bad_want = stamp_word(tag, i);
			return GARBAGE;
		}
	}
	return zero ? ZERO : INTACT;
}

/* Tag of page @i of a region stamped with @base. */
#define TAG(base, i)	((base) + (uint64_t)(i) * 0x100000001ULL)

static void stamp_region(void *p, size_t len, uint64_t base)
{
	size_t i;

	for (i = 0; i < len / page_size; i++)
		stamp_page((char *)p + i * page_size, TAG(base, i));
}

struct tally {
	size_t intact, zero, garbage;
};

static struct tally check_region(const void *p, size_t len, uint64_t base)
{
	struct tally t = { 0 };
	size_t i;

	for (i = 0; i < len / page_size; i++) {
		switch (check_page((const char *)p + i * page_size,
				   TAG(base, i))) {
		case INTACT:
			t.intact++;
			break;
		case ZERO:
			t.zero++;
			break;
		default:
			t.garbage++;
		}
	}
	return t;
}

static bool all_zero(const void *p, size_t len)
{
	const volatile uint64_t *w = p;
	size_t i;

	for (i = 0; i < len / 8; i++)
		if (w[i])
			return false;
	return true;
}

static long vma_field(pid_t pid, const void *addr, const char *field);

/*
 * The VmFlags of the vma of @pid holding @addr, from smaps: 1 if it has
 * "dp", 0 if not, -1 if there is no such vma.
 */
static int vma_droppable(pid_t pid, const void *addr)
{
	return (int)vma_field(pid, addr, NULL);
}

/* Whether @line of smaps starts a vma ("lo-hi perms ..."); its range. */
static bool smaps_vma_line(const char *line, unsigned long *lo,
			   unsigned long *hi)
{
	return sscanf(line, "%lx-%lx ", lo, hi) == 2 &&
	       strchr(line, '-') < strchr(line, ' ');
}

/*
 * With @field NULL, as vma_droppable(); else the value of that smaps
 * field (in kB) for the vma holding @addr, or -1.
 */
static long vma_field(pid_t pid, const void *addr, const char *field)
{
	unsigned long lo, hi, a = (unsigned long)addr;
	char path[64], line[512];
	bool in = false;
	long ret = -1;
	FILE *f;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/smaps");
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (smaps_vma_line(line, &lo, &hi)) {
			in = a >= lo && a < hi;
			continue;
		}
		if (in && field && !strncmp(line, field, strlen(field)) &&
		    line[strlen(field)] == ':') {
			ret = strtol(line + strlen(field) + 1, NULL, 10);
			break;
		}
		if (in && !field && !strncmp(line, "VmFlags:", 8)) {
			ret = strstr(line, " dp") ? 1 : 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

/* MADV_PAGEOUT until a range reads all zero; false if it never does. */
static bool pageout_to_zero(void *p, size_t len)
{
	int i;

	for (i = 0; i < 100; i++) {
		madvise(p, len, MADV_PAGEOUT);
		if (all_zero(p, len))
			return true;
		usleep(1000);
	}
	return false;
}

/* ---- system knobs, restored at exit ---- */

struct knob {
	const char *path;
	char saved[256];
	bool changed;
};

static struct knob knob_lru = { .path = "/sys/kernel/mm/lru_gen/enabled" };
static struct knob knob_thp = { .path = "/sys/kernel/mm/transparent_hugepage/enabled" };
static struct knob knob_core = { .path = "/proc/sys/kernel/core_pattern" };

static int knob_set(struct knob *k, const char *val)
{
	if (!k->changed) {
		if (read_file(k->path, k->saved, sizeof(k->saved)))
			return -ENOENT;
		k->saved[strcspn(k->saved, "\n")] = '\0';
	}
	k->changed = true;
	return write_file(k->path, val);
}

static void knob_restore(struct knob *k)
{
	char val[256], *l, *r;

	if (!k->changed)
		return;
	/* "always [madvise] never": the bracketed one is the setting */
	l = strchr(k->saved, '[');
	r = l ? strchr(l, ']') : NULL;
	if (l && r) {
		snprintf(val, sizeof(val), "%.*s", (int)(r - l - 1), l + 1);
	} else {
		snprintf(val, sizeof(val), "%s", k->saved);
	}
	if (write_file(k->path, val))
		diag("could not restore %s to %s", k->path, val);
	k->changed = false;
}

/* ---- a memory cgroup (v2, or v1's memory controller) ---- */

static char cg_dir[256];
static int cg_version;
static bool cg_mounted;

static int cg_write(const char *file, const char *val)
{
	char path[320];

	snprintf(path, sizeof(path), "%s/%s", cg_dir, file);
	return write_file(path, val);
}

/* A number from a cgroup file, or from a "key value" line of it. */
static long long cg_value(const char *file, const char *key)
{
	char path[320], buf[64];

	snprintf(path, sizeof(path), "%s/%s", cg_dir, file);
	if (key)
		return proc_value(path, key);
	if (read_file(path, buf, sizeof(buf)))
		return -1;
	return strtoll(buf, NULL, 10);
}

/* Makes a memory cgroup for the test; 0, or a reason in @why. */
static int cg_setup(char *why, size_t len)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "/sys/fs/cgroup/unified");
	if (!access("/sys/fs/cgroup/memory/memory.limit_in_bytes", F_OK)) {
		cg_version = 1;
		snprintf(cg_dir, sizeof(cg_dir),
			 "/sys/fs/cgroup/memory/droppable_stress.%d", getpid());
	} else {
		if (access("/sys/fs/cgroup/cgroup.controllers", F_OK)) {
			/* mount cgroup2 there, but never over something */
			DIR *d = opendir("/sys/fs/cgroup");
			struct dirent *e;
			int n = 0;

			while (d && (e = readdir(d)))
				n++;
			if (d)
				closedir(d);
			if (!d || n > 2 ||
			    mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0,
				  NULL)) {
				snprintf(why, len, "no memory cgroup available");
				return -1;
			}
			cg_mounted = true;
		}
		if (read_file("/sys/fs/cgroup/cgroup.controllers", buf,
			      sizeof(buf)) || !strstr(buf, "memory")) {
			snprintf(why, len, "cgroup2 has no memory controller");
			goto unmount;
		}
		write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
		cg_version = 2;
		snprintf(cg_dir, sizeof(cg_dir),
			 "/sys/fs/cgroup/droppable_stress.%d", getpid());
	}
	if (mkdir(cg_dir, 0755)) {
		snprintf(why, len, "mkdir %.200s: %s", cg_dir, strerror(errno));
		goto unmount;
	}
	return 0;
unmount:
	if (cg_mounted)
		umount("/sys/fs/cgroup");
	cg_mounted = false;
	cg_version = 0;
	return -1;
}

static void cg_teardown(void)
{
	if (!cg_version)
		return;
	if (rmdir(cg_dir))
		diag("rmdir %s: %s", cg_dir, strerror(errno));
	if (cg_mounted)
		umount("/sys/fs/cgroup");
	cg_version = 0;
}

static int cg_limit(long long bytes)
{
	char v[32];

	snprintf(v, sizeof(v), "%lld", bytes);
	return cg_write(cg_version == 2 ? "memory.max" : "memory.limit_in_bytes",
			v);
}

static int cg_enter(pid_t pid)
{
	char v[32];

	snprintf(v, sizeof(v), "%d", pid);
	return cg_write("cgroup.procs", v);
}

static long long cg_oom_kills(void)
{
	if (cg_version == 2)
		return cg_value("memory.events", "oom_kill");
	if (cg_version == 1)
		return cg_value("memory.oom_control", "oom_kill");
	return 0;
}

/* Bytes of the cgroup's memory in swap, or -1 if not accounted. */
static long long cg_swap(void)
{
	if (cg_version == 2)
		return cg_value("memory.swap.current", NULL);
	if (cg_version == 1)
		return cg_value("memory.stat", "swap");
	return -1;
}

/* ---- zram swap (mkswap done by hand: a version 1 header) ---- */

#define ZRAM_SYS	"/sys/block/zram0"
#define ZRAM_DEV	"/dev/zram0"

static bool zram_on;

static long swap_used_kb(void)
{
	char name[256], line[512];
	long size, used, prio, ret = -1;
	FILE *f = fopen("/proc/swaps", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%255s %*s %ld %ld %ld", name, &size, &used,
			   &prio) == 4 && !strcmp(name, ZRAM_DEV))
			ret = used;
	}
	fclose(f);
	return ret;
}

static int zram_swapon(unsigned long size, char *why, size_t len)
{
	uint32_t hdr_info[3] = { 1, size / page_size - 1, 0 };
	unsigned int maj, min;
	char buf[64], *hdr;
	int fd, ret;

	if (read_file(ZRAM_SYS "/disksize", buf, sizeof(buf))) {
		snprintf(why, len, "no %s (CONFIG_ZRAM?)", ZRAM_SYS);
		return -1;
	}
	if (strtoul(buf, NULL, 10)) {
		snprintf(why, len, "zram0 is already in use");
		return -1;
	}
	snprintf(buf, sizeof(buf), "%lu", size);
	ret = write_file(ZRAM_SYS "/disksize", buf);
	if (ret) {
		snprintf(why, len, "zram0 disksize: %s", strerror(-ret));
		return -1;
	}
	if (access(ZRAM_DEV, F_OK) &&
	    (read_file(ZRAM_SYS "/dev", buf, sizeof(buf)) ||
	     sscanf(buf, "%u:%u", &maj, &min) != 2 ||
	     mknod(ZRAM_DEV, S_IFBLK | 0600, makedev(maj, min)))) {
		snprintf(why, len, "no %s node", ZRAM_DEV);
		goto reset;
	}
	hdr = calloc(1, page_size);
	fd = open(ZRAM_DEV, O_WRONLY);
	if (!hdr || fd < 0) {
		snprintf(why, len, "opening %s: %s", ZRAM_DEV, strerror(errno));
		free(hdr);
		if (fd >= 0)
			close(fd);
		goto reset;
	}
	memcpy(hdr + 1024, hdr_info, sizeof(hdr_info));
	memcpy(hdr + page_size - 10, "SWAPSPACE2", 10);
	ret = pwrite(fd, hdr, page_size, 0) == (ssize_t)page_size && !fsync(fd);
	free(hdr);
	close(fd);
	if (!ret) {
		snprintf(why, len, "writing the swap header failed");
		goto reset;
	}
	if (syscall(SYS_swapon, ZRAM_DEV, 0)) {
		snprintf(why, len, "swapon: %s", strerror(errno));
		goto reset;
	}
	zram_on = true;
	return 0;
reset:
	write_file(ZRAM_SYS "/reset", "1");
	return -1;
}

static void zram_swapoff(void)
{
	if (!zram_on)
		return;
	if (syscall(SYS_swapoff, ZRAM_DEV))
		diag("swapoff %s: %s", ZRAM_DEV, strerror(errno));
	write_file(ZRAM_SYS "/reset", "1");
	zram_on = false;
}

static void restore_all(void)
{
	zram_swapoff();
	knob_restore(&knob_lru);
	knob_restore(&knob_thp);
	knob_restore(&knob_core);
	cg_teardown();
}

static void on_fatal(int sig)
{
	restore_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* ---- vgetrandom, for states in dropped memory ---- */

static vgetrandom_fn vgr;
static size_t vgr_state_size;

static void vgr_setup(void)
{
	struct vgr_params p;

	vgr = vdso_lookup(VDSO_GETRANDOM, VDSO_VERSION);
	if (vgr && (vgr(NULL, 0, 0, &p, ~0UL) || !p.size_of_opaque_state ||
		    p.size_of_opaque_state > page_size / 2))
		vgr = NULL;
	if (vgr)
		vgr_state_size = p.size_of_opaque_state;
}

/* ---- memory pressure ---- */

/* Counters the workers share with the parent. */
struct pressure_stats {
	volatile int stop;
	unsigned long rounds, pages_checked, drops, garbage;
	unsigned long ord_bytes, ord_chunks;
	unsigned long vgr_calls, vgr_bad, vgr_dups, vgr_zero;
	unsigned long vgr_state_drops;
	long drop_swap_kb;	/* most "Swap:" seen on a droppable vma */
	long drop_swapbacked;	/* most of its pages seen swap-backed */
};

static struct pressure_stats *pst;

#define VGR_PAGES	16

/*
 * vgetrandom states in droppable pages, a marker in each page's unused
 * tail: a zero marker means the page (and its states) was dropped.
 */
struct vgr_user {
	char *pages;
	size_t per_page, marker_off;
	struct blockset set;
	uint64_t rng;
};

static int vgr_user_init(struct vgr_user *u)
{
	size_t i;

	u->per_page = page_size / vgr_state_size;
	u->marker_off = u->per_page * vgr_state_size;
	if (page_size - u->marker_off < 8)
		u->per_page--, u->marker_off -= vgr_state_size;
	u->pages = map_droppable(VGR_PAGES * page_size);
	if (u->pages == MAP_FAILED)
		return -1;
	for (i = 0; i < VGR_PAGES; i++)
		*(uint64_t *)(u->pages + i * page_size + u->marker_off) = 1;
	/* small: its pages are ordinary memory, charged to the cgroup */
	return blockset_init(&u->set, 1 << 14);
}

/* One call on a state of page @i, noting if the page had been dropped. */
static void vgr_user_step(struct vgr_user *u, size_t i)
{
	char *page = u->pages + (i % VGR_PAGES) * page_size;
	uint64_t *marker = (uint64_t *)(page + u->marker_off);
	void *state = page + prng_below(&u->rng, u->per_page) * vgr_state_size;
	uint8_t out[64];
	bool dropped = !*marker;
	int k;

	if (dropped) {
		__atomic_add_fetch(&pst->vgr_state_drops, 1, __ATOMIC_RELAXED);
		*marker = 1;
	}
	__atomic_add_fetch(&pst->vgr_calls, 1, __ATOMIC_RELAXED);
	if (vgr(out, sizeof(out), 0, state, vgr_state_size) != sizeof(out)) {
		__atomic_add_fetch(&pst->vgr_bad, 1, __ATOMIC_RELAXED);
		return;
	}
	if (u->set.count * 10 >= (u->set.mask + 1) * 6)
		return;	/* the set is full enough: stop adding */
	for (k = 0; k < 4; k++) {
		size_t d = u->set.dups, z = u->set.zeros;

		blockset_add(&u->set, out + 16 * k);
		if (u->set.dups != d)
			__atomic_add_fetch(&pst->vgr_dups, 1, __ATOMIC_RELAXED);
		if (u->set.zeros != z)
			__atomic_add_fetch(&pst->vgr_zero, 1, __ATOMIC_RELAXED);
	}
}

#define PM_PRESENT	(1ULL << 63)
#define PM_PFN_MASK	((1ULL << 55) - 1)
#define KPF_SWAPBACKED	14

/*
 * Whether the page at @addr is still mapped as @ent says. Under reclaim, a
 * droppable page may be dropped after its pagemap entry was read, and its
 * page frame reused by another process before its flags are read: the
 * flags are then that process's page's, swap-backed if it is anonymous.
 * Reading the entry again after the flags tells that case apart.
 */
static bool still_mapped_at(int pagemap, const char *addr, uint64_t ent)
{
	uint64_t now;

	return pread(pagemap, &now, sizeof(now),
		     (uintptr_t)addr / page_size * sizeof(now)) == sizeof(now) &&
	       (now & (PM_PRESENT | PM_PFN_MASK)) ==
	       (ent & (PM_PRESENT | PM_PFN_MASK));
}

/*
 * How many resident pages of @p (@len bytes) the kernel has marked
 * swap-backed, from /proc/self/pagemap and /proc/kpageflags (root only);
 * -1 if those cannot be read. A droppable page must never be: only a
 * swap-backed anonymous page is ever written to swap, so this catches a
 * droppable page on its way there, which "Swap:" in smaps only sees once
 * it is out, and not at all once it is back in the swap cache.
 */
static long count_swapbacked(const char *p, size_t len)
{
	static uint64_t ent[512];
	size_t npages = len / page_size, i, k, n;
	long count = 0;
	int pagemap, kpageflags;
	uint64_t flags;

	pagemap = open("/proc/self/pagemap", O_RDONLY);
	kpageflags = open("/proc/kpageflags", O_RDONLY);
	if (pagemap < 0 || kpageflags < 0) {
		count = -1;
		goto out;
	}
	for (i = 0; i < npages && count >= 0; i += n) {
		n = npages - i < 512 ? npages - i : 512;
		if (pread(pagemap, ent, n * sizeof(*ent),
			  ((uintptr_t)p / page_size + i) * sizeof(*ent)) !=
		    (ssize_t)(n * sizeof(*ent))) {
			count = -1;
			break;
		}
		for (k = 0; k < n; k++) {
			if (!(ent[k] & PM_PRESENT) || !(ent[k] & PM_PFN_MASK))
				continue;
			if (pread(kpageflags, &flags, sizeof(flags),
				  (ent[k] & PM_PFN_MASK) * sizeof(flags)) !=
			    sizeof(flags)) {
				count = -1;
				break;
			}
			if ((flags >> KPF_SWAPBACKED) & 1 &&
			    still_mapped_at(pagemap, p + (i + k) * page_size,
					    ent[k]))
				count++;
		}
	}
out:
	if (pagemap >= 0)
		close(pagemap);
	if (kpageflags >= 0)
		close(kpageflags);
	return count;
}

/*
 * A droppable user: fills its mapping, then checks it round after round:
 * every page intact or zero (counted as a drop, then stamped anew), never
 * anything else. Also uses vgetrandom states in droppable pages.
 */
static void droppable_user(size_t len, uint64_t base, int id, bool lock)
{
	uint64_t *gen = calloc(len / page_size, sizeof(*gen));
	struct vgr_user u = { .rng = seed + id };
	size_t i, k = 0;
	char *p;

	if (!gen)
		_exit(10);
	if (vgr && vgr_user_init(&u))
		_exit(11);
	/*
	 * Lock the ordinary memory (and try the droppable state pages: that
	 * must neither fail nor lock them), so that nothing of this process
	 * but droppable memory is left for reclaim. MCL_FUTURE too: the heap
	 * grows after this (stdio buffers), and a grown heap is not locked
	 * with MCL_CURRENT alone. The droppable mapping made below must not
	 * be locked by it, or no page would be dropped.
	 */
	if (lock && mlockall(MCL_CURRENT | MCL_FUTURE)) {
		fprintf(stderr, "# mlockall: %s\n", strerror(errno));
		_exit(14);
	}
	p = map_droppable(len);
	if (p == MAP_FAILED)
		_exit(10);
	for (i = 0; i < len / page_size; i++) {
		gen[i] = TAG(base, i);
		stamp_page(p + i * page_size, gen[i]);
	}
	while (!pst->stop) {
		for (i = 0; i < len / page_size && !pst->stop; i++) {
			char *page = p + i * page_size;

			switch (check_page(page, gen[i])) {
			case INTACT:
				break;
			case ZERO:
				__atomic_add_fetch(&pst->drops, 1,
						   __ATOMIC_RELAXED);
				gen[i] += 1ULL << 40;
				stamp_page(page, gen[i]);
				break;
			default:
				if (!__atomic_fetch_add(&pst->garbage, 1,
							__ATOMIC_RELAXED)) {
					size_t z = 0, m = 0, j;

					for (j = 0; j < page_size / 8; j++) {
						uint64_t v = ((volatile uint64_t *)page)[j];

						z += !v;
						m += v == stamp_word(gen[i], j);
					}
					printf("# garbage: page %zu word %zu is %#llx, stamp %#llx; now %zu words zero, %zu stamped\n",
					       i, bad_index,
					       (unsigned long long)bad_word,
					       (unsigned long long)bad_want, z, m);
					fflush(stdout);
				}
				stamp_page(page, gen[i]);
			}
			__atomic_add_fetch(&pst->pages_checked, 1,
					   __ATOMIC_RELAXED);
			/* now and then, a vgetrandom call */
			if (vgr && !(i & 63))
				vgr_user_step(&u, k++);
		}
		{
			long sw = vma_field(0, p, "Swap");
			long sb = count_swapbacked(p, len);

			if (sw > pst->drop_swap_kb)
				pst->drop_swap_kb = sw;
			/* -1 (unreadable) only if nothing was ever seen */
			if (sb < 0 ? !pst->drop_swapbacked :
				     sb > pst->drop_swapbacked)
				pst->drop_swapbacked = sb;
		}
		__atomic_add_fetch(&pst->rounds, 1, __ATOMIC_RELAXED);
	}
	_exit(0);
}

/* An ordinary allocator: maps @chunk, touches it, unmaps it, in a loop. */
static void ordinary_user(size_t chunk, unsigned long long total)
{
	unsigned long long done = 0;
	size_t i;

	while (done < total && !pst->stop) {
		char *p = map_private(chunk);

		if (p == MAP_FAILED) {
			usleep(1000);
			continue;
		}
		for (i = 0; i < chunk; i += page_size)
			p[i] = (char)i | 1;
		for (i = 0; i < chunk; i += page_size)
			if (p[i] != ((char)i | 1))
				_exit(12);
		munmap(p, chunk);
		done += chunk;
		__atomic_add_fetch(&pst->ord_bytes, chunk, __ATOMIC_RELAXED);
		__atomic_add_fetch(&pst->ord_chunks, 1, __ATOMIC_RELAXED);
	}
	_exit(0);
}

/* Totals over the pressure runs, for the vgetrandom result. */
static unsigned long tot_vgr_calls, tot_vgr_bad, tot_vgr_dups, tot_vgr_zero;
static unsigned long tot_vgr_drops;

/*
 * fork(), the child in the test's cgroup (if @in_cg) before it returns,
 * so that all it allocates is charged there.
 */
static pid_t spawn(bool in_cg)
{
	int sync[2];
	pid_t pid;
	char c = 0;

	if (pipe(sync))
		return -1;
	pid = fork();
	if (!pid) {
		close(sync[1]);
		if (read(sync[0], &c, 1) != 1)
			_exit(13);
		close(sync[0]);
		return 0;
	}
	close(sync[0]);
	if (pid > 0 && in_cg && cg_version && cg_enter(pid))
		diag("could not move %d into %s", pid, cg_dir);
	if (write(sync[1], &c, 1) != 1)
		diag("could not start child %d", pid);
	close(sync[1]);
	return pid;
}

/*
 * One pressure run: droppable users and ordinary allocators in the
 * memory cgroup (or, with --global, the whole machine).
 */
static void pressure_run(const char *name, bool swap, const char *lru)
{
	long long limit, drop_total, chunk, ord_total, oom0, cgoom0;
	int ndrop = 2, nord = 2, i, bad_exit = 0, st;
	char why[128], full[160];
	pid_t pids[8];
	long swap0 = -1, swap1 = -1;
	double t0;

	snprintf(full, sizeof(full), "%s", name);
	if (lru && knob_set(&knob_lru, lru)) {
		result(SKIP, full, "no %s (no MGLRU)", knob_lru.path);
		return;
	}
	if (!opt_global && !cg_version) {
		result(SKIP, full, "no memory cgroup (try --global)");
		return;
	}
	if (opt_global) {
		/* the machine: up to 1.5x MemTotal of ordinary memory */
		long long avail = proc_value("/proc/meminfo", "MemAvailable") *
				  1024;

		limit = 0;
		drop_total = mem_total * 3 / 4;
		chunk = avail / 4;
		ord_total = mem_total * 3 / 2;
		if (opt_quick) {
			drop_total /= 4;
			ord_total /= 4;
		}
	} else {
		limit = mem_total / 8;
		if (limit > 512LL << 20)
			limit = 512LL << 20;
		if (limit < 128LL << 20)
			limit = 128LL << 20;
		if (opt_quick)
			limit = 32LL << 20;
		drop_total = limit;
		chunk = limit * 3 / 10;
		ord_total = limit * 3 / 2;
		if (cg_limit(limit)) {
			result(FAIL, full, "cannot set the cgroup limit");
			return;
		}
	}
	if (swap && zram_swapon(opt_global ? mem_total / 2 : limit, why,
				sizeof(why))) {
		result(SKIP, full, "%s", why);
		return;
	}
	memset(pst, 0, sizeof(*pst));
	oom0 = proc_value("/proc/vmstat", "oom_kill");
	cgoom0 = cg_oom_kills();
	swap0 = swap_used_kb();
	t0 = now();
	for (i = 0; i < ndrop; i++) {
		pids[i] = spawn(true);
		if (!pids[i])
			droppable_user(drop_total / ndrop / page_size * page_size,
				       seed + (uint64_t)i * 0x1000000, i, false);
	}
	usleep(100000);
	for (i = 0; i < nord; i++) {
		pids[ndrop + i] = spawn(true);
		if (!pids[ndrop + i])
			ordinary_user(chunk / page_size * page_size,
				      ord_total / nord);
	}
	for (i = 0; i < nord; i++) {
		st = wait_child(pids[ndrop + i]);
		if (st)
			bad_exit++, diag("ordinary allocator %d: status %d", i, st);
	}
	/* let the droppable users make one more round after the pressure */
	{
		unsigned long r = pst->rounds;
		double t1 = now();

		while (pst->rounds < r + ndrop && now() < t1 + 30)
			usleep(10000);
	}
	pst->stop = 1;
	for (i = 0; i < ndrop; i++) {
		st = wait_child(pids[i]);
		if (st)
			bad_exit++, diag("droppable user %d: status %d", i, st);
	}
	swap1 = swap_used_kb();
	diag("%s: %.2f s, domain %lld MiB%s, droppable %lld MiB, ordinary %lld MiB at once, %lu MiB in all",
	     name, now() - t0, (limit ? limit : mem_total) >> 20,
	     limit ? " (memcg)" : " (machine)", drop_total >> 20,
	     (chunk * nord) >> 20, pst->ord_bytes >> 20);
	diag("%s: rounds %lu, pages checked %lu, drops %lu, garbage %lu, oom_kill delta %lld (memcg %lld), swap used %ld -> %ld kB",
	     name, pst->rounds, pst->pages_checked, pst->drops, pst->garbage,
	     proc_value("/proc/vmstat", "oom_kill") - oom0,
	     cg_oom_kills() - cgoom0, swap0, swap1);
	diag("%s: most Swap of a droppable vma %ld kB, most pages of it swap-backed %ld",
	     name, pst->drop_swap_kb, pst->drop_swapbacked);
	diag("%s: vgetrandom calls %lu (bad %lu), state pages dropped %lu, repeats %lu, zero blocks %lu",
	     name, pst->vgr_calls, pst->vgr_bad, pst->vgr_state_drops,
	     pst->vgr_dups, pst->vgr_zero);
	tot_vgr_calls += pst->vgr_calls;
	tot_vgr_bad += pst->vgr_bad;
	tot_vgr_dups += pst->vgr_dups;
	tot_vgr_zero += pst->vgr_zero;
	tot_vgr_drops += pst->vgr_state_drops;
	if (swap)
		zram_swapoff();
	if (bad_exit || pst->garbage || pst->drop_swap_kb > 0 ||
	    pst->drop_swapbacked > 0 ||
	    proc_value("/proc/vmstat", "oom_kill") != oom0 ||
	    cg_oom_kills() != cgoom0)
		result(FAIL, full, "%d bad exits, %lu garbage pages, swap-backed or swapped droppable pages, OOM kills",
		       bad_exit, pst->garbage);
	else if (!pst->drops)
		result(FAIL, full, "no page was dropped: no reclaim?");
	else
		result(PASS, full, NULL);
}

/*
 * The vmas of @pid with pages in swap, as "start-end name:kB" items in
 * @buf, for the diagnostics of a failure.
 */
static void vmas_in_swap(pid_t pid, char *buf, size_t len)
{
	char path[64], line[512], vma[160] = "";
	unsigned long lo, hi;
	size_t used = 0;
	long kb;
	FILE *f;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && used < len) {
		if (smaps_vma_line(line, &lo, &hi)) {
			char name[96] = "";

			sscanf(line, "%*s %*s %*s %*s %*s %95s", name);
			snprintf(vma, sizeof(vma), "%lx-%lx %s", lo, hi,
				 name[0] ? name : "[anon]");
		} else if (sscanf(line, "Swap: %ld", &kb) == 1 && kb > 0) {
			used += snprintf(buf + used, len - used, " %s:%ld", vma,
					 kb);
		}
	}
	fclose(f);
}

/*
 * Droppable pages only, in a cgroup far smaller than them, with swap on:
 * they are dropped, and not one goes to swap; ordinary memory in the same
 * cgroup, the control, does go to swap.
 */
static void swap_only_run(void)
{
	const char *name = "pressure, droppable only, zram swap on: swap never used by them";
	long long limit = opt_quick ? 16LL << 20 : 64LL << 20;
	long long cs0, cs1, cs2, swapcached, unevictable, shmem;
	long ordinary_swapbacked;
	long s0, s1, s2;
	int st, sync[2];
	char why[128], in_swap[512], c;
	pid_t pid;

	if (!cg_version) {
		result(SKIP, name, "no memory cgroup");
		return;
	}
	if (cg_limit(limit)) {
		result(FAIL, name, "cannot set the cgroup limit");
		return;
	}
	if (zram_swapon(4 * limit, why, sizeof(why))) {
		result(SKIP, name, "%s", why);
		return;
	}
	/* the swap-backed count must see ordinary anonymous pages */
	{
		char *q = map_private(16 * page_size);

		if (q == MAP_FAILED) {
			result(FAIL, name, "mmap: %s", strerror(errno));
			zram_swapoff();
			return;
		}
		memset(q, 1, 16 * page_size);
		ordinary_swapbacked = count_swapbacked(q, 16 * page_size);
		munmap(q, 16 * page_size);
	}
	memset(pst, 0, sizeof(*pst));
	cs0 = cg_swap();
	s0 = swap_used_kb();
	pid = spawn(true);
	if (!pid)
		droppable_user(2 * limit, seed ^ 0x77, 7, true);
	/* measured while it lives: swap is freed when a process exits */
	while (pst->rounds < 3 && !pst->garbage && !waitpid(pid, &st, WNOHANG))
		usleep(10000);
	cs1 = cg_swap();
	s1 = swap_used_kb();
	swapcached = cg_value("memory.stat", "swapcached");
	unevictable = cg_value("memory.stat", "unevictable");
	shmem = cg_value("memory.stat", "shmem");
	vmas_in_swap(pid, in_swap, sizeof(in_swap));
	pst->stop = 1;
	st = wait_child(pid);

	/* the control: ordinary memory 1.5x the limit must swap */
	if (pipe(sync)) {
		result(FAIL, name, "pipe: %s", strerror(errno));
		zram_swapoff();
		return;
	}
	pid = spawn(true);
	if (!pid) {
		size_t len = limit * 3 / 2, i;
		char *p = map_private(len), c = 1;

		close(sync[0]);
		if (p == MAP_FAILED)
			_exit(10);
		for (i = 0; i < len; i += page_size)
			p[i] = 1;
		if (write(sync[1], &c, 1) != 1)
			_exit(11);
		pause();
		_exit(0);
	}
	close(sync[1]);
	if (read(sync[0], &c, 1) != 1)
		st |= 1;
	close(sync[0]);
	s2 = swap_used_kb();
	cs2 = cg_swap();
	kill(pid, SIGKILL);
	wait_child(pid);
	zram_swapoff();
	diag("droppable 2x the %lld MiB limit: rounds %lu, drops %lu, garbage %lu, most Swap of its vma %ld kB, most pages of it swap-backed %ld",
	     limit >> 20, pst->rounds, pst->drops, pst->garbage,
	     pst->drop_swap_kb, pst->drop_swapbacked);
	diag("zram used %ld -> %ld kB (droppable), -> %ld kB (control); memcg swap %lld -> %lld -> %lld",
	     s0, s1, s2, cs0, cs1, cs2);
	diag("with the droppable user: memcg swapcached %lld, unevictable %lld, shmem %lld; its vmas in swap:%s",
	     swapcached, unevictable, shmem, in_swap[0] ? in_swap : " none");
	diag("the swap-backed check on 16 ordinary pages: %ld (-1: no /proc/kpageflags)",
	     ordinary_swapbacked);
	if (st || pst->garbage || !pst->drops)
		result(FAIL, name, "status %d, garbage %lu, drops %lu", st,
		       pst->garbage, pst->drops);
	else if (pst->drop_swap_kb > 0)
		result(FAIL, name, "%ld kB of the droppable vma in swap",
		       pst->drop_swap_kb);
	else if (pst->drop_swapbacked > 0)
		result(FAIL, name, "%ld pages of the droppable vma swap-backed",
		       pst->drop_swapbacked);
	else if (ordinary_swapbacked >= 0 && ordinary_swapbacked != 16)
		result(FAIL, name, "the swap-backed check saw %ld of 16 ordinary pages",
		       ordinary_swapbacked);
	else if (s1 != s0 || (cs0 >= 0 && cs1 != cs0))
		result(FAIL, name, "swap used moved with droppable pages only (smaps Swap of the droppable vma: 0)");
	else if (s2 <= s1)
		result(SKIP, name, "the control was not swapped out: swap not in use");
	else
		result(PASS, name, NULL);
}

static void test_pressure(void)
{
	char why[320];
	bool have_lru = !access(knob_lru.path, F_OK);

	if (!opt_global && cg_setup(why, sizeof(why)))
		diag("memory cgroup: %s", why);
	pressure_run("pressure, no swap, classic LRU", false,
		     have_lru ? "n" : NULL);
	if (have_lru)
		pressure_run("pressure, no swap, MGLRU", false, "y");
	else
		result(SKIP, "pressure, no swap, MGLRU", "no %s", knob_lru.path);
	pressure_run("pressure, zram swap, classic LRU", true,
		     have_lru ? "n" : NULL);
	if (have_lru)
		pressure_run("pressure, zram swap, MGLRU", true, "y");
	else
		result(SKIP, "pressure, zram swap, MGLRU", "no %s",
		       knob_lru.path);
	knob_restore(&knob_lru);
	swap_only_run();

	{
		const char *name = "vgetrandom states dropped under pressure rekey: unique, non-zero output";

		diag("vgetrandom over the pressure runs: %lu calls, %lu failed, %lu state pages seen dropped, %lu repeats, %lu zero blocks",
		     tot_vgr_calls, tot_vgr_bad, tot_vgr_drops, tot_vgr_dups,
		     tot_vgr_zero);
		if (!vgr)
			result(SKIP, name, "no vDSO getrandom");
		else if (tot_vgr_bad || tot_vgr_dups || tot_vgr_zero)
			result(FAIL, name, NULL);
		else if (!tot_vgr_drops)
			result(SKIP, name, "no state page was dropped");
		else
			result(PASS, name, NULL);
	}
}

/* ---- mm interactions ---- */

#define REGION	(64 * page_size)

/* A droppable region stamped with @base, or NULL. */
static char *stamped_region(size_t len, uint64_t base)
{
	char *p = map_droppable(len);

	if (p == MAP_FAILED)
		return NULL;
	stamp_region(p, len, base);
	return p;
}

/* The child of a fork must see zeroes only where droppable memory is. */
static bool child_sees_zero(const void *p, size_t len)
{
	pid_t pid = fork();

	if (!pid)
		_exit(all_zero(p, len) ? 0 : 1);
	return pid > 0 && wait_child(pid) == 0;
}

/*
 * The checks every mm result makes on droppable memory: "dp" on its vma,
 * pages intact or zero, zero in a child.
 */
static bool region_ok(const char *what, const char *p, size_t len,
		      uint64_t base)
{
	struct tally t = check_region(p, len, base);
	int dp = vma_droppable(0, p);
	bool child = child_sees_zero(p, len);

	if (dp != 1 || t.garbage || !child)
		diag("%s: dp %d, intact %zu, zero %zu, garbage %zu, child sees zero: %s",
		     what, dp, t.intact, t.zero, t.garbage,
		     child ? "yes" : "no");
	return dp == 1 && !t.garbage && child;
}

static void test_mremap(void)
{
	char *p, *q, *dst;
	bool ok;

	/* grow: the old pages stay, the new ones are zero and writable */
	p = stamped_region(REGION, 11);
	q = p ? mremap(p, REGION, 2 * REGION, MREMAP_MAYMOVE) : MAP_FAILED;
	ok = q != MAP_FAILED && region_ok("grown", q, REGION, 11) &&
	     all_zero(q + REGION, REGION);
	if (ok) {
		stamp_region(q + REGION, REGION, 12);
		ok = region_ok("grown, new part", q + REGION, REGION, 12);
	}
	if (q != MAP_FAILED)
		munmap(q, 2 * REGION);
	else if (p)
		munmap(p, REGION);
	result(ok ? PASS : FAIL, "mm: mremap grow keeps it droppable, contents intact or zero",
	       NULL);

	/* shrink */
	p = stamped_region(REGION, 13);
	q = p ? mremap(p, REGION, REGION / 2, 0) : MAP_FAILED;
	ok = q == p && region_ok("shrunk", q, REGION / 2, 13);
	if (p)
		munmap(p, REGION);
	result(ok ? PASS : FAIL, "mm: mremap shrink keeps it droppable", NULL);

	/* move to a given place */
	p = stamped_region(REGION, 14);
	dst = mmap(NULL, REGION, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	q = p && dst != MAP_FAILED ?
	    mremap(p, REGION, REGION, MREMAP_MAYMOVE | MREMAP_FIXED, dst) :
	    MAP_FAILED;
	ok = q == dst && region_ok("moved", q, REGION, 14);
	if (q != MAP_FAILED)
		munmap(q, REGION);
	else if (p)
		munmap(p, REGION);
	result(ok ? PASS : FAIL, "mm: mremap move keeps it droppable", NULL);
}

static void test_mprotect_munmap(void)
{
	char *p = stamped_region(REGION, 21);
	bool ok = p != NULL;

	if (ok)
		ok = !mprotect(p, REGION, PROT_READ) &&
		     region_ok("read-only", p, REGION, 21) &&
		     !mprotect(p, REGION, PROT_READ | PROT_WRITE);
	if (ok) {
		stamp_region(p, REGION, 22);
		ok = region_ok("read-write again", p, REGION, 22);
	}
	if (p)
		munmap(p, REGION);
	result(ok ? PASS : FAIL, "mm: mprotect RO then RW keeps it droppable",
	       NULL);

	/* a hole in the middle: two droppable vmas remain */
	p = stamped_region(REGION, 23);
	ok = p && !munmap(p + REGION / 4, REGION / 2) &&
	     region_ok("below the hole", p, REGION / 4, 23) &&
	     vma_droppable(0, p + REGION / 2) == -1;
	if (ok) {
		/* the upper part keeps its own stamps: check them page-wise */
		size_t i, bad = 0;

		for (i = 3 * 16; i < 64; i++)
			bad += check_page(p + i * page_size, TAG(23, i)) ==
			       GARBAGE;
		ok = !bad && vma_droppable(0, p + 3 * REGION / 4) == 1 &&
		     child_sees_zero(p + 3 * REGION / 4, REGION / 4);
	}
	if (p) {
		munmap(p, REGION / 4);
		munmap(p + 3 * REGION / 4, REGION / 4);
	}
	result(ok ? PASS : FAIL,
	       "mm: partial munmap (middle hole) leaves two droppable vmas", NULL);
}

static void test_madvise(void)
{
	const char *name = "mm: madvise 0..25 on droppable memory";
	char line[1024] = "";
	bool ok = true;
	int adv;

	for (adv = 0; adv <= 25; adv++) {
		char *p = stamped_region(REGION, 30 + adv);
		int ret, err = 0, dp;
		struct tally t;

		if (!p) {
			ok = false;
			break;
		}
		ret = madvise(p, REGION, adv);
		if (ret)
			err = errno;
		snprintf(line + strlen(line), sizeof(line) - strlen(line),
			 " %d:%s", adv, ret ? strerrorname_np(err) : "0");
		t = check_region(p, REGION, 30 + adv);
		dp = vma_droppable(0, p);
		if (t.garbage || dp != 1) {
			diag("advice %d: garbage %zu, dp %d", adv, t.garbage, dp);
			ok = false;
		}
		switch (adv) {
		case MADV_DODUMP:
		case MADV_KEEPONFORK:
			if (!ret || err != EINVAL) {
				diag("advice %d must fail with EINVAL", adv);
				ok = false;
			}
			if (!child_sees_zero(p, REGION)) {
				diag("advice %d: child sees data", adv);
				ok = false;
			}
			break;
		case MADV_DONTNEED:
			if (ret || !all_zero(p, REGION)) {
				diag("MADV_DONTNEED: ret %d, not zero", ret);
				ok = false;
			}
			break;
		case MADV_FREE:
		case MADV_COLD:
			if (ret) {
				diag("advice %d failed: %s", adv, strerror(err));
				ok = false;
			}
			break;
		case MADV_PAGEOUT:
			if (ret || !pageout_to_zero(p, REGION)) {
				diag("MADV_PAGEOUT: ret %d, pages survive", ret);
				ok = false;
			}
			break;
		}
		munmap(p, REGION);
	}
	diag("madvise results (advice:errno):%s", line);
	result(ok ? PASS : FAIL, name, NULL);
}

/* Forks while an ordinary allocator squeezes the cgroup (or not). */
static void test_fork_pressure(void)
{
	const char *name = "mm: fork under pressure: children see zeroes, parent intact or zero";
	int nforks = opt_quick ? 20 : 200, i, bad = 0, st;
	size_t len = opt_quick ? 8 << 20 : 32 << 20;
	char *p;
	pid_t hog = -1;
	double t0 = now();

	/* half the region fits beside the hog's 8 MiB chunk */
	if (cg_version) {
		cg_limit(len / 2 + (8 << 20));
		cg_enter(getpid());
	}
	p = stamped_region(len, 40);
	memset(pst, 0, sizeof(*pst));
	if (cg_version) {
		hog = spawn(false);
		if (!hog)
			ordinary_user(8 << 20, ~0ULL);
	}
	for (i = 0; p && i < nforks; i++) {
		pid_t pid = fork();

		if (!pid)
			_exit(all_zero(p, len) ? 0 : 1);
		st = wait_child(pid);
		if (st) {
			bad++;
			diag("fork %d: child status %d", i, st);
		}
		if (check_region(p, len, 40).garbage)
			bad++;
	}
	if (hog > 0) {
		pst->stop = 1;
		wait_child(hog);
	}
	if (cg_version) {
		/* back to the parent cgroup */
		char parent[300], v[32];

		snprintf(parent, sizeof(parent), "%.*s/cgroup.procs",
			 (int)(strrchr(cg_dir, '/') - cg_dir), cg_dir);
		snprintf(v, sizeof(v), "%d", getpid());
		write_file(parent, v);
	}
	if (p) {
		struct tally t = check_region(p, len, 40);

		diag("%d forks in %.2f s; parent: %zu intact, %zu dropped pages; ordinary MiB %lu",
		     nforks, now() - t0, t.intact, t.zero,
		     pst->ord_bytes >> 20);
		munmap(p, len);
	}
	result(p && !bad ? PASS : FAIL, name, NULL);
}

static void test_thp(void)
{
	const char *name = "mm: THP always and never: droppable behaves the same";
	static const char *const modes[] = { "always", "never" };
	size_t len = 4 << 20;
	bool ok = true;
	int m;

	if (access(knob_thp.path, F_OK)) {
		result(SKIP, name, "no %s", knob_thp.path);
		return;
	}
	for (m = 0; m < 2; m++) {
		char *raw, *p;
		long long anon_huge;

		if (knob_set(&knob_thp, modes[m])) {
			result(FAIL, name, "cannot set THP %s", modes[m]);
			knob_restore(&knob_thp);
			return;
		}
		raw = map_droppable(2 * len);
		if (raw == MAP_FAILED) {
			ok = false;
			break;
		}
		p = (char *)(((uintptr_t)raw + len - 1) & ~(len - 1));
		stamp_region(p, len, 50 + m);
		anon_huge = vma_field(0, p, "AnonHugePages");
		ok &= region_ok(modes[m], p, len, 50 + m);
		if (!pageout_to_zero(p, len)) {
			diag("THP %s: MADV_PAGEOUT did not drop it", modes[m]);
			ok = false;
		}
		stamp_region(p, len, 52 + m);
		ok &= region_ok(modes[m], p, len, 52 + m);
		diag("THP %s: AnonHugePages of the mapping %lld kB", modes[m],
		     anon_huge);
		munmap(raw, 2 * len);
	}
	knob_restore(&knob_thp);
	result(ok ? PASS : FAIL, name, NULL);
}

/* A child that maps a stamped droppable region, says where, then waits. */
static pid_t region_child(size_t len, uint64_t base, char **where, int *cmd)
{
	int up[2], down[2];
	pid_t pid;

	if (pipe(up) || pipe(down))
		return -1;
	pid = fork();
	if (!pid) {
		char *p = stamped_region(len, base);
		char c;

		close(up[0]);
		close(down[1]);
		if (write(up[1], &p, sizeof(p)) != sizeof(p))
			_exit(10);
		/* each byte from the parent: report how the region reads */
		while (read(down[0], &c, 1) == 1) {
			struct tally t = check_region(p, len, base);
			uint64_t r[3] = { t.intact, t.zero, t.garbage };

			if (c == 'm')	/* page 0 carries the parent's marker */
				r[0] = !memcmp(p, "marker from the parent", 22);
			if (write(up[1], r, sizeof(r)) != sizeof(r))
				_exit(11);
		}
		_exit(0);
	}
	close(up[1]);
	close(down[0]);
	if (read(up[0], where, sizeof(*where)) != sizeof(*where) || !*where) {
		close(up[0]);
		close(down[1]);
		kill(pid, SIGKILL);
		wait_child(pid);
		return -1;
	}
	cmd[0] = up[0];
	cmd[1] = down[1];
	return pid;
}

static bool child_report(int *cmd, char c, uint64_t *r)
{
	return write(cmd[1], &c, 1) == 1 &&
	       read(cmd[0], r, 3 * sizeof(*r)) == 3 * sizeof(*r);
}

static void end_child(pid_t pid, int *cmd)
{
	close(cmd[1]);
	close(cmd[0]);
	wait_child(pid);
}

static void test_process_madvise(void)
{
	const char *name = "mm: process_madvise PAGEOUT/COLD through a pidfd";
	cpu_set_t one, all;
	bool pinned;
	size_t len = REGION;
	uint64_t r[3];
	int cmd[2], pidfd, i;
	struct iovec iov;
	bool ok = true;
	ssize_t ret;
	char *p;
	pid_t pid;

	/*
	 * The child and this process on one CPU: the child's pages may wait
	 * in that CPU's LRU batch, which only a reclaim on the same CPU
	 * drains; from another CPU, MADV_PAGEOUT cannot isolate them.
	 */
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
	pinned = !sched_getaffinity(0, sizeof(all), &all) &&
		 !sched_setaffinity(0, sizeof(one), &one);
	pid = region_child(len, 60, &p, cmd);
	if (pid < 0) {
		result(FAIL, name, "no child");
		goto out;
	}
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		result(errno == ENOSYS ? SKIP : FAIL, name, "pidfd_open: %s",
		       strerror(errno));
		kill(pid, SIGKILL);
		end_child(pid, cmd);
		goto out;
	}
	iov.iov_base = p;
	iov.iov_len = len;
	ret = syscall(SYS_process_madvise, pidfd, &iov, 1, MADV_COLD, 0);
	if (ret < 0 && errno == ENOSYS) {
		result(SKIP, name, "process_madvise: ENOSYS");
		close(pidfd);
		kill(pid, SIGKILL);
		end_child(pid, cmd);
		goto out;
	}
	if (ret != (ssize_t)len || !child_report(cmd, 'c', r) || r[2]) {
		diag("MADV_COLD: ret %zd, child: garbage %llu", ret,
		     (unsigned long long)r[2]);
		ok = false;
	}
	for (i = 0; ok && i < 100; i++) {
		ret = syscall(SYS_process_madvise, pidfd, &iov, 1,
			      MADV_PAGEOUT, 0);
		if (ret != (ssize_t)len || !child_report(cmd, 'c', r) || r[2]) {
			diag("MADV_PAGEOUT: ret %zd (%s)", ret,
			     ret < 0 ? strerror(errno) : "");
			ok = false;
		}
		if (r[1] == len / page_size)
			break;
	}
	diag("child after process_madvise: %llu intact, %llu zero, %llu garbage (%d tries)",
	     (unsigned long long)r[0], (unsigned long long)r[1],
	     (unsigned long long)r[2], i + 1);
	ok = ok && r[1] == len / page_size && vma_droppable(pid, p) == 1;
	close(pidfd);
	end_child(pid, cmd);
	result(ok ? PASS : FAIL, name, NULL);
out:
	if (pinned)
		sched_setaffinity(0, sizeof(all), &all);
}

static void test_proc_mem(void)
{
	const char *name = "mm: writes through /proc/PID/mem into a child's droppable page";
	static const char marker[] = "marker from the parent";
	char path[64], back[sizeof(marker)];
	uint64_t r[3] = { 0 };
	int cmd[2], fd;
	bool ok;
	char *p;
	pid_t pid;

	pid = region_child(REGION, 70, &p, cmd);
	if (pid < 0) {
		result(FAIL, name, "no child");
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	fd = open(path, O_RDWR);
	ok = fd >= 0 &&
	     pwrite(fd, marker, sizeof(marker), (off_t)(uintptr_t)p) ==
	     sizeof(marker) &&
	     pread(fd, back, sizeof(back), (off_t)(uintptr_t)p) ==
	     sizeof(back) && !memcmp(back, marker, sizeof(marker));
	if (!ok)
		diag("%s: %s", path, strerror(errno));
	ok = ok && child_report(cmd, 'm', r) && r[0] == 1 &&
	     vma_droppable(pid, p) == 1;
	diag("child sees the marker: %s", r[0] ? "yes" : "no");
	if (fd >= 0)
		close(fd);
	end_child(pid, cmd);
	result(ok ? PASS : FAIL, name, NULL);
}

/* ---- core dumps ---- */

static void fill_marker(uint64_t *w, size_t n, uint64_t tag)
{
	size_t i;

	for (i = 0; i < n; i++)
		w[i] = stamp_word(tag, i);
}

static bool file_has(const char *path, const void *needle, size_t n,
		     long long *size)
{
	struct stat sb;
	bool found;
	void *m;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &sb) || !sb.st_size) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	*size = sb.st_size;
	m = mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return false;
	found = memmem(m, sb.st_size, needle, n) != NULL;
	munmap(m, sb.st_size);
	return found;
}

static void test_core(void)
{
	const char *name = "mm: core dump has the ordinary marker, not the droppable one";
	char dir[] = "/tmp/droppable_stress.XXXXXX", pattern[256], core[512];
	uint64_t drop_tag = seed ^ 0xd00d, ctl_tag = seed ^ 0xc0de;
	uint64_t want_drop[64], want_ctl[64];
	long long size = 0;
	bool own_pattern = false, has_drop, has_ctl;
	struct dirent *e;
	DIR *d;
	pid_t pid;
	int st;

	if (!mkdtemp(dir) || read_file(knob_core.path, pattern, sizeof(pattern))) {
		result(SKIP, name, "no temporary directory or core_pattern");
		return;
	}
	pattern[strcspn(pattern, "\n")] = '\0';
	if (pattern[0] == '|' || strchr(pattern, '/')) {
		char mine[300];

		snprintf(mine, sizeof(mine), "%s/core", dir);
		if (knob_set(&knob_core, mine)) {
			result(SKIP, name, "cannot set core_pattern");
			rmdir(dir);
			return;
		}
		own_pattern = true;
	}
	pid = fork();
	if (!pid) {
		struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
		size_t len = 16 * page_size;
		uint64_t *dp = map_droppable(len), *ord = map_private(len);

		if (dp == MAP_FAILED || ord == MAP_FAILED ||
		    setrlimit(RLIMIT_CORE, &rl) || chdir(dir))
			_exit(10);
		fill_marker(dp, len / 8, drop_tag);
		fill_marker(ord, len / 8, ctl_tag);
		abort();
	}
	st = wait_child(pid);
	knob_restore(&knob_core);
	fill_marker(want_drop, 64, drop_tag);
	fill_marker(want_ctl, 64, ctl_tag);
	core[0] = '\0';
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		if (!strncmp(e->d_name, "core", 4))
			snprintf(core, sizeof(core), "%s/%s", dir, e->d_name);
	}
	if (d)
		closedir(d);
	if (!core[0]) {
		result(st == 128 + SIGABRT ? FAIL : SKIP, name,
		       "no core file in %s (status %d, pattern %s%s)", dir, st,
		       own_pattern ? "ours" : pattern,
		       own_pattern ? "" : "; a relative pattern was kept");
		rmdir(dir);
		return;
	}
	has_ctl = file_has(core, want_ctl, sizeof(want_ctl), &size);
	has_drop = file_has(core, want_drop, sizeof(want_drop), &size);
	diag("core %s: %lld bytes, ordinary marker %s, droppable marker %s",
	     core, size, has_ctl ? "found" : "absent",
	     has_drop ? "found" : "absent");
	unlink(core);
	rmdir(dir);
	result(has_ctl && !has_drop ? PASS : FAIL, name, NULL);
}

/* ---- the fuzzer ---- */

#define FZ_MAPS	6

struct fz_map {
	char *p;
	size_t len;	/* 0: unmapped */
	bool droppable;
	bool may_zero;	/* droppable, or private after MADV_FREE */
	uint64_t *tag;	/* per page; 0: content unknown (must be zero) */
};

static bool fz_check(struct fz_map *m, const char *op, unsigned long n)
{
	size_t i;

	if (!m->len)
		return true;
	if (m->droppable && vma_droppable(0, m->p) != 1) {
		diag("op %lu (%s): dp flag lost", n, op);
		return false;
	}
	for (i = 0; i < m->len / page_size; i++) {
		char *page = m->p + i * page_size;
		enum page_state s = m->tag[i] ? check_page(page, m->tag[i]) :
				    (all_zero(page, page_size) ? ZERO : GARBAGE);

		if (s == GARBAGE || (s == ZERO && m->tag[i] && !m->may_zero)) {
			diag("op %lu (%s): page %zu of a %s map: %s", n, op, i,
			     m->droppable ? "droppable" : "private",
			     s == GARBAGE ? "garbage" : "lost");
			return false;
		}
		if (s == ZERO)
			m->tag[i] = 0;
	}
	return true;
}

static void fz_unmap(struct fz_map *m)
{
	if (m->len)
		munmap(m->p, m->len);
	free(m->tag);
	memset(m, 0, sizeof(*m));
}

static void test_fuzz(void)
{
	const char *name = "fuzz: random mm operations keep contents intact or zero, dp kept";
	static const char *const ops[] = { "mmap", "munmap", "stamp", "mprotect",
		"madvise", "mremap", "fork", "pageout", "partial munmap" };
	unsigned long n, counts[ARRAY_SIZE(ops)] = { 0 }, errs = 0;
	unsigned long max_ops = opt_quick ? 2000 : ~0UL;
	double end = now() + (opt_quick ? 60 : opt_seconds * 0.4);
	struct fz_map maps[FZ_MAPS] = { { 0 } };
	uint64_t r = seed ^ 0xf022;
	bool ok = true;
	int i;

	diag("fuzz seed %#llx (rerun with --seed)", (unsigned long long)seed);
	for (n = 0; n < max_ops && now() < end && ok; n++) {
		int op = prng_below(&r, ARRAY_SIZE(ops));
		struct fz_map *m = &maps[prng_below(&r, FZ_MAPS)];
		size_t pages = 1 + prng_below(&r, 32), i2;
		int ret = 0;

		if (!m->len && op != 0)
			op = 0;
		counts[op]++;
		switch (op) {
		case 0:		/* mmap (replacing) */
			fz_unmap(m);
			m->droppable = prng_below(&r, 3) != 0;
			m->may_zero = m->droppable;
			m->len = pages * page_size;
			m->p = m->droppable ? map_droppable(m->len) :
			       map_private(m->len);
			m->tag = calloc(pages, sizeof(*m->tag));
			if (m->p == MAP_FAILED || !m->tag) {
				diag("op %lu: mmap failed: %s", n,
				     strerror(errno));
				ok = false;
				m->len = 0;
			}
			break;
		case 1:
			fz_unmap(m);
			break;
		case 2:		/* stamp some pages */
			mprotect(m->p, m->len, PROT_READ | PROT_WRITE);
			for (i2 = 0; i2 < m->len / page_size; i2++) {
				if (prng_below(&r, 2))
					continue;
				m->tag[i2] = prng_next(&r) | 1;
				stamp_page(m->p + i2 * page_size, m->tag[i2]);
			}
			break;
		case 3:
			ret = mprotect(m->p, m->len, prng_below(&r, 2) ?
				       PROT_READ : PROT_READ | PROT_WRITE);
			break;
		case 4: {	/* the advices that must work, and harmless ones */
			static const int adv[] = { MADV_NORMAL, MADV_RANDOM,
				MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTNEED,
				MADV_FREE, MADV_COLD, MADV_PAGEOUT,
				MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_DONTDUMP,
				MADV_WIPEONFORK };
			int a = adv[prng_below(&r, ARRAY_SIZE(adv))];

			ret = madvise(m->p, m->len, a);
			if (ret && (a == MADV_HUGEPAGE || a == MADV_NOHUGEPAGE) &&
			    errno == EINVAL)
				ret = 0;	/* no THP in this kernel */
			if (!ret && a == MADV_DONTNEED) {
				if (!all_zero(m->p, m->len) && m->droppable) {
					diag("op %lu: DONTNEED left data", n);
					ok = false;
				}
				/* private memory reads back zero too */
				memset(m->tag, 0, m->len / page_size * 8);
			}
			/* freed private pages may read back zero later */
			if (!ret && a == MADV_FREE)
				m->may_zero = true;
			break;
		}
		case 5: {	/* mremap: grow or shrink, maybe move */
			size_t nlen = pages * page_size;
			char *q = mremap(m->p, m->len, nlen, MREMAP_MAYMOVE);
			uint64_t *nt;

			if (q == MAP_FAILED) {
				ret = -1;
				break;
			}
			nt = calloc(pages, sizeof(*nt));
			memcpy(nt, m->tag, (nlen < m->len ? nlen : m->len) /
			       page_size * 8);
			free(m->tag);
			m->tag = nt;
			m->p = q;
			m->len = nlen;
			break;
		}
		case 6:		/* fork: droppable maps read zero in the child */
			if (m->droppable && !child_sees_zero(m->p, m->len)) {
				diag("op %lu: child sees data", n);
				ok = false;
			}
			break;
		case 7:
			ret = madvise(m->p, m->len, MADV_PAGEOUT);
			break;
		case 8:		/* cut off the tail */
			if (m->len > page_size) {
				size_t keep = (1 + prng_below(&r, m->len /
						page_size - 1)) * page_size;

				ret = munmap(m->p + keep, m->len - keep);
				if (!ret)
					m->len = keep;
			}
			break;
		}
		if (ret) {
			errs++;
			diag("op %lu (%s): unexpected %s", n, ops[op],
			     strerror(errno));
			ok = false;
		}
		for (i = 0; i < FZ_MAPS && ok; i++) {
			if (maps[i].len)
				mprotect(maps[i].p, maps[i].len, PROT_READ |
					 PROT_WRITE);
			ok = fz_check(&maps[i], ops[op], n);
		}
	}
	for (i = 0; i < FZ_MAPS; i++)
		fz_unmap(&maps[i]);
	{
		char line[512] = "";
		size_t k;

		for (k = 0; k < ARRAY_SIZE(ops); k++)
			snprintf(line + strlen(line), sizeof(line) - strlen(line),
				 " %s %lu", ops[k], counts[k]);
		diag("fuzz: %lu ops:%s; %lu unexpected errors", n, line, errs);
	}
	result(ok ? PASS : FAIL, name, NULL);
}

static const struct stress_option own_options[] = {
	{ "--global", &opt_global, NULL },
	{ }
};

int main(int argc, char **argv)
{
	int i;

	opt_seconds = 60;
	stress_setup(argc, argv, own_options, " [--global]");
	mem_total = proc_value("/proc/meminfo", "MemTotal") * 1024;
	pst = mmap(NULL, sizeof(*pst), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	ktap_plan(NR_RESULTS);
	diag("droppable_stress: %s mode, budget %g s, seed %#llx, MemTotal %lld MiB",
	     opt_quick ? "quick" : "full", opt_seconds,
	     (unsigned long long)seed, mem_total >> 20);
	if (getuid()) {
		for (i = 0; i < NR_RESULTS; i++)
			result(SKIP, "droppable stress", "needs root");
		return ktap_finish(NR_RESULTS);
	}
	{
		void *p = map_droppable(page_size);

		if (p == MAP_FAILED) {
			for (i = 0; i < NR_RESULTS; i++)
				result(SKIP, "droppable stress",
				       "no MAP_DROPPABLE: %s", strerror(errno));
			return ktap_finish(NR_RESULTS);
		}
		munmap(p, page_size);
	}
	signal(SIGINT, on_fatal);
	signal(SIGTERM, on_fatal);
	atexit(restore_all);
	vgr_setup();
	diag("vDSO getrandom: %s", vgr ? "yes" : "no");

	test_pressure();
	test_mremap();
	test_mprotect_munmap();
	test_madvise();
	test_fork_pressure();
	cg_teardown();
	test_thp();
	test_process_madvise();
	test_proc_mem();
	test_core();
	test_fuzz();
	restore_all();
	return ktap_finish(NR_RESULTS);
}
