// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for MAP_DROPPABLE mappings: anonymous private memory that is never
 * swapped out, that reclaim may free at any time even when dirty (so that it
 * reads back as zeroes), that children and core dumps never see, and whose
 * faults never end in an OOM kill.
 *
 * Some tests change system state (a zram swap device, KSM, a memory cgroup,
 * the core dump pattern if it is not a plain file name) and put it back.
 * They need root; what the system cannot provide is skipped, not passed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/kernel-page-flags.h>
#include <linux/mempolicy.h>
#include <linux/mman.h>
#include <linux/userfaultfd.h>

#include "../kselftest.h"

#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE	0x08
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT	0x01
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT	4
#endif

/* Results that do not depend on reclaim, and those run once per LRU mode. */
#define NR_TESTS_ONCE		32
#define NR_TESTS_PER_LRU	4

/* Attempts at MADV_PAGEOUT before giving up on speculative references. */
#define PAGEOUT_TRIES	100

static size_t page_size;

/* Appended to the names of the results run once per LRU mode. */
static char lru_suffix[32];

/* A droppable mapping of @len bytes, or MAP_FAILED with errno set. */
static void *map_droppable(size_t len, int extra_flags)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_DROPPABLE | MAP_ANONYMOUS | extra_flags, -1, 0);
}

static void *map_private(size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/*
 * Contents that exist nowhere else: each 64-bit word is computed from @seed
 * and its position, so that a core dump can be searched for them without the
 * dumped process ever holding a copy outside the region it fills.
 */
static uint64_t word_at(uint64_t seed, uint64_t index)
{
	uint64_t x = seed ^ (index * 0x9e3779b97f4a7c15ULL);

	x ^= x >> 31;
	x *= 0xd6e8feb86659fd93ULL;
	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 32;
	return x | 1;	/* never zero */
}

/* fill() the @len bytes at offset @off of the region @p */
static void fill_at(void *p, size_t off, size_t len, uint64_t seed)
{
	uint64_t *w = p;
	size_t i;

	for (i = off / sizeof(*w); i < (off + len) / sizeof(*w); i++)
		w[i] = word_at(seed, i);
}

static void fill(void *p, size_t len, uint64_t seed)
{
	fill_at(p, 0, len, seed);
}

/* Number of pages still holding what fill() wrote; -1 if any is corrupt. */
static long count_filled(const void *p, size_t len, uint64_t seed)
{
	const uint64_t *w = p;
	size_t words = page_size / sizeof(*w);
	long filled = 0;
	size_t i, j;

	for (i = 0; i < len / page_size; i++) {
		bool zero = true, intact = true;

		for (j = 0; j < words; j++) {
			uint64_t v = w[i * words + j];

			if (v)
				zero = false;
			if (v != word_at(seed, i * words + j))
				intact = false;
		}
		if (intact)
			filled++;
		else if (!zero)
			return -1;
	}
	return filled;
}

static bool all_zero(const void *p, size_t len)
{
	const uint64_t *w = p;
	size_t i;

	for (i = 0; i < len / sizeof(*w); i++)
		if (w[i])
			return false;
	return true;
}

/*
 * MADV_PAGEOUT until the whole range reads back as zeroes: a page that reclaim
 * finds referenced by someone else (a speculative reference, a per-cpu LRU
 * batch) is kept, so retry a bounded number of times.  Returns the number of
 * attempts it took, 0 if the range never became zero, or -errno.
 */
static int pageout_until_zero(void *p, size_t len)
{
	int i;

	for (i = 1; i <= PAGEOUT_TRIES; i++) {
		if (madvise(p, len, MADV_PAGEOUT))
			return -errno;
		if (all_zero(p, len))
			return i;
		usleep(10000);
	}
	return 0;
}

static int read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	buf[n] = '\0';
	close(fd);
	return 0;
}

static int write_file(const char *path, const char *val)
{
	ssize_t n, len = strlen(val);
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n != len) {
		n = n < 0 ? -errno : -EIO;
		close(fd);
		return n;
	}
	close(fd);
	return 0;
}

/*
 * Find in /proc/@pid/smaps the vma that contains @addr, and copy the value of
 * its @field (e.g. "VmFlags", "Locked") into @out.  Returns false if not found.
 */
static bool smaps_field(pid_t pid, const void *addr, const char *field,
			char *out, size_t outlen)
{
	unsigned long start, end, a = (unsigned long)addr;
	size_t flen = strlen(field);
	bool in_vma = false, found = false;
	char path[64], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in_vma = start <= a && a < end;
			continue;
		}
		if (in_vma && !strncmp(line, field, flen) && line[flen] == ':') {
			snprintf(out, outlen, "%s", line + flen + 1);
			out[strcspn(out, "\n")] = '\0';
			found = true;
			break;
		}
	}
	fclose(f);
	return found;
}

/* Whether the VmFlags of the vma at @addr in @pid include @flag. */
static int has_vmflag(pid_t pid, const void *addr, const char *flag)
{
	char flags[256], *tok, *save;

	if (!smaps_field(pid, addr, "VmFlags", flags, sizeof(flags)))
		return -1;
	for (tok = strtok_r(flags, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		if (!strcmp(tok, flag))
			return 1;
	return 0;
}

/* The "Locked:" size of the vma at @addr in kB, or -1. */
static long locked_kb(const void *addr)
{
	char val[64];

	if (!smaps_field(getpid(), addr, "Locked", val, sizeof(val)))
		return -1;
	return strtol(val, NULL, 10);
}

/* A counter that a child moves on as it works, or 0 without one. */
static unsigned long progress_of(unsigned long *progress)
{
	return progress ? __atomic_load_n(progress, __ATOMIC_RELAXED) : 0;
}

/*
 * Wait for @pid; kill it once @secs seconds pass without it finishing or,
 * if @progress is given, without *@progress changing.  A stuck child then
 * fails in a bounded time, however slow the machine, while a slow one that
 * moves on is never cut short.
 */
static bool wait_child_progress(pid_t pid, int *status, int secs,
				unsigned long *progress)
{
	unsigned long seen = progress_of(progress);
	int idle = 0;

	while (idle < secs * 10) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return true;
		if (r < 0)
			return false;
		usleep(100000);
		idle++;
		if (progress_of(progress) != seen) {
			seen = progress_of(progress);
			idle = 0;
		}
	}
	kill(pid, SIGKILL);
	waitpid(pid, status, 0);
	return false;
}

/* Wait for @pid for up to @secs seconds; kill it if it takes longer. */
static bool wait_child(pid_t pid, int *status, int secs)
{
	return wait_child_progress(pid, status, secs, NULL);
}

/*
 * Whether the kernel is a 64-bit one, where MAP_DROPPABLE must work.  A
 * 64-bit process can only run on one; for a 32-bit process, uname() gives a
 * 64-bit kernel's own machine name (unless the process asked for a 32-bit
 * personality, as linux32 does).  When in doubt, the 64-bit rules apply.
 */
static bool kernel_is_64bit(void)
{
	struct utsname u;

	if (sizeof(long) == 8 || uname(&u))
		return true;
	return strstr(u.machine, "64") || !strcmp(u.machine, "s390x");
}

/*
 * Whether mmap() refuses MAP_DROPPABLE with EOPNOTSUPP on a 32-bit kernel,
 * which has no VMA flag to spare for it: nothing else can be tested there.
 * EOPNOTSUPP from a 64-bit kernel is a failure, which test_mmap() reports.
 */
static bool droppable_unsupported(void)
{
	void *p = map_droppable(page_size, 0);

	if (p != MAP_FAILED) {
		munmap(p, page_size);
		return false;
	}
	return errno == EOPNOTSUPP && !kernel_is_64bit();
}

/*
 * The basic mapping.  On a 64-bit kernel it must work: EOPNOTSUPP is only for
 * kernels without a VMA flag to spare.
 */
static void *droppable_page;

static void test_mmap(void)
{
	droppable_page = map_droppable(page_size, 0);
	if (droppable_page != MAP_FAILED) {
		ksft_test_result_pass("mmap(MAP_DROPPABLE | MAP_ANONYMOUS) works\n");
		return;
	}
	if (errno == EOPNOTSUPP)
		ksft_print_msg("EOPNOTSUPP: kernel has no VM_DROPPABLE\n");
	ksft_test_result_fail("mmap(MAP_DROPPABLE | MAP_ANONYMOUS): %s\n",
			      strerror(errno));
	droppable_page = NULL;
}

static void test_smaps_flags(void)
{
	static const char * const implied[] = { "wf", "dd", "nr" };
	unsigned int i;
	bool ok = true;

	if (!droppable_page) {
		ksft_test_result_fail("dp in smaps VmFlags: no droppable mapping\n");
		ksft_test_result_fail("wf dd nr in smaps VmFlags: no droppable mapping\n");
		return;
	}
	ksft_test_result(has_vmflag(getpid(), droppable_page, "dp") == 1,
			 "dp in smaps VmFlags\n");

	for (i = 0; i < ARRAY_SIZE(implied); i++) {
		if (has_vmflag(getpid(), droppable_page, implied[i]) != 1) {
			ksft_print_msg("VmFlags lack %s\n", implied[i]);
			ok = false;
		}
	}
	if (has_vmflag(getpid(), droppable_page, "ac") != 0) {
		ksft_print_msg("droppable mapping is commit-charged (ac)\n");
		ok = false;
	}
	ksft_test_result(ok, "wf dd nr (and no ac) in smaps VmFlags\n");
}

/*
 * Dirty pages are dropped, not kept for a writeback that cannot happen.  The
 * region is 2 MiB aligned so that, with THP enabled, huge pages get dropped
 * too.
 */
#define HUGE_SIZE	(2UL << 20)

static void test_pageout(void)
{
	size_t len = 2 * HUGE_SIZE;
	char thp[64] = "?", name[128];
	uintptr_t start;
	void *map, *p;
	int tries;

	snprintf(name, sizeof(name),
		 "MADV_PAGEOUT drops dirty pages, which read back as zeroes%s",
		 lru_suffix);
	map = map_droppable(len + HUGE_SIZE, 0);
	if (map == MAP_FAILED) {
		ksft_test_result_fail("%s: mmap: %s\n", name, strerror(errno));
		return;
	}
	start = ((uintptr_t)map + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1);
	p = (void *)start;
	fill(p, len, 1);
	smaps_field(getpid(), p, "AnonHugePages", thp, sizeof(thp));
	ksft_print_msg("AnonHugePages of the droppable mapping:%s\n", thp);
	tries = pageout_until_zero(p, len);
	if (tries < 0)
		ksft_print_msg("madvise(MADV_PAGEOUT): %s\n", strerror(-tries));
	else if (!tries)
		ksft_print_msg("%ld of %zu pages survived %d MADV_PAGEOUT\n",
			       count_filled(p, len, 1), len / page_size,
			       PAGEOUT_TRIES);
	else
		ksft_print_msg("dropped after %d MADV_PAGEOUT\n", tries);
	ksft_test_result(tries > 0, "%s\n", name);
	munmap(map, len + HUGE_SIZE);
}

/* zram swap set up by the test itself */
#ifndef ZRAM
#define ZRAM		"zram0"
#endif
#define ZRAM_SYS	"/sys/block/" ZRAM
#define ZRAM_DEV	"/dev/" ZRAM
#define ZRAM_SIZE	(64UL << 20)

/* KiB of swap used on @dev according to /proc/swaps, or -1. */
static long swap_used_kb(const char *dev)
{
	char name[256], type[32];
	long size, used, prio;
	char line[512];
	long ret = -1;
	FILE *f;

	f = fopen("/proc/swaps", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%255s %31s %ld %ld %ld", name, type, &size,
			   &used, &prio) == 5 && !strcmp(name, dev))
			ret = used;
	}
	fclose(f);
	return ret;
}

/*
 * mkswap without mkswap: the version 1 header of a swap area is the page of
 * "union swap_header", with the version, the last usable page and the number
 * of bad pages after the 1 KiB boot block, and the magic at the page's end.
 */
static int write_swap_header(const char *dev, unsigned long size)
{
	char *hdr = calloc(1, page_size);
	uint32_t info[3] = { 1, size / page_size - 1, 0 };
	ssize_t n;
	int fd;

	if (!hdr)
		return -ENOMEM;
	memcpy(hdr + 1024, info, sizeof(info));
	memcpy(hdr + page_size - 10, "SWAPSPACE2", 10);
	fd = open(dev, O_WRONLY);
	if (fd < 0) {
		free(hdr);
		return -errno;
	}
	n = pwrite(fd, hdr, page_size, 0);
	free(hdr);
	if (n != (ssize_t)page_size || fsync(fd)) {
		n = n < 0 ? -errno : -EIO;
		close(fd);
		return n;
	}
	close(fd);
	return 0;
}

/* 0 on success, or a reason to skip in @why. */
static int zram_swapon(char *why, size_t len)
{
	unsigned int maj, min;
	char buf[64];
	int ret;

	if (read_file(ZRAM_SYS "/disksize", buf, sizeof(buf))) {
		snprintf(why, len, "no %s", ZRAM_SYS);
		return -1;
	}
	if (strtoul(buf, NULL, 10)) {
		/* never take over a zram device somebody else set up */
		snprintf(why, len, "%s already in use", ZRAM);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%lu", ZRAM_SIZE);
	ret = write_file(ZRAM_SYS "/disksize", buf);
	if (ret) {
		snprintf(why, len, "setting %s disksize: %s", ZRAM, strerror(-ret));
		return -1;
	}
	if (access(ZRAM_DEV, F_OK) &&
	    (read_file(ZRAM_SYS "/dev", buf, sizeof(buf)) ||
	     sscanf(buf, "%u:%u", &maj, &min) != 2 ||
	     mknod(ZRAM_DEV, S_IFBLK | 0600, makedev(maj, min)))) {
		snprintf(why, len, "no %s node", ZRAM_DEV);
		goto reset;
	}
	ret = write_swap_header(ZRAM_DEV, ZRAM_SIZE);
	if (ret) {
		snprintf(why, len, "writing swap header: %s", strerror(-ret));
		goto reset;
	}
	if (syscall(__NR_swapon, ZRAM_DEV, 0)) {
		snprintf(why, len, "swapon(%s): %s", ZRAM_DEV, strerror(errno));
		goto reset;
	}
	return 0;
reset:
	write_file(ZRAM_SYS "/reset", "1");
	return -1;
}

static void zram_swapoff(void)
{
	if (syscall(__NR_swapoff, ZRAM_DEV))
		ksft_print_msg("swapoff(%s): %s\n", ZRAM_DEV, strerror(errno));
	write_file(ZRAM_SYS "/reset", "1");
}

/*
 * With a swap device on, droppable pages are still dropped, and not a byte of
 * them goes to swap; ordinary anonymous pages, as a control, do get swapped
 * out, which shows that the swap device works.
 */
static void test_pageout_swap(void)
{
	size_t len = 64 * page_size;
	long before, after, control = -1;
	void *p = NULL, *q = NULL;
	char why[128], name[128];
	int tries, i;

	snprintf(name, sizeof(name),
		 "with swap on, MADV_PAGEOUT drops droppable pages and swaps none%s",
		 lru_suffix);

	if (zram_swapon(why, sizeof(why))) {
		ksft_test_result_skip("%s: %s\n", name, why);
		return;
	}
	before = swap_used_kb(ZRAM_DEV);

	p = map_droppable(len, 0);
	if (p == MAP_FAILED) {
		ksft_test_result_fail("%s: mmap: %s\n", name, strerror(errno));
		p = NULL;
		goto out;
	}
	fill(p, len, 2);
	tries = pageout_until_zero(p, len);
	after = swap_used_kb(ZRAM_DEV);

	q = map_private(len);
	if (q == MAP_FAILED) {
		ksft_test_result_fail("%s: mmap: %s\n", name, strerror(errno));
		q = NULL;
		goto out;
	}
	fill(q, len, 3);
	for (i = 0; i < PAGEOUT_TRIES; i++) {
		madvise(q, len, MADV_PAGEOUT);
		control = swap_used_kb(ZRAM_DEV);
		if (control > after)
			break;
		usleep(10000);
	}
	ksft_print_msg("%s used: %ld kB before, %ld kB after dropping\n",
		       ZRAM_DEV, before, after);
	ksft_print_msg("%s used: %ld kB after paging out the control\n",
		       ZRAM_DEV, control);

	if (control <= after) {
		ksft_test_result_skip("%s: control pages were not swapped out\n",
				      name);
	} else if (count_filled(q, len, 3) != (long)(len / page_size)) {
		ksft_test_result_fail("%s: control pages came back wrong from swap\n",
				      name);
	} else if (tries <= 0) {
		ksft_test_result_fail("%s: %ld pages survived MADV_PAGEOUT\n",
				      name, count_filled(p, len, 2));
	} else {
		ksft_test_result(before == 0 && after == before,
				 "%s\n", name);
	}
out:
	if (p)
		munmap(p, len);
	if (q)
		munmap(q, len);
	zram_swapoff();
}

/*
 * A child sees zeroes where its parent had data; the parent keeps its data,
 * and the child still has a droppable mapping.  MADV_KEEPONFORK, which must
 * fail, does not change that.
 */
static void test_fork(void)
{
	size_t len = 16 * page_size;
	int status, ret;
	pid_t pid;
	void *p;

	p = map_droppable(len, 0);
	if (p == MAP_FAILED) {
		ksft_test_result_fail("child sees zeroes: mmap: %s\n", strerror(errno));
		ksft_test_result_fail("child inherits the droppable mapping: mmap: %s\n",
				      strerror(errno));
		return;
	}
	fill(p, len, 4);
	madvise(p, len, MADV_KEEPONFORK);

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (!pid) {
		ret = all_zero(p, len) ? 0 : 1;
		if (has_vmflag(getpid(), p, "dp") != 1)
			ret |= 2;
		_exit(ret);
	}
	if (!wait_child(pid, &status, 60) || !WIFEXITED(status)) {
		ksft_test_result_fail("child sees zeroes: child did not exit\n");
		ksft_test_result_fail("child inherits the droppable mapping: child did not exit\n");
		goto out;
	}
	ret = WEXITSTATUS(status);
	ksft_test_result(!(ret & 1) &&
			 count_filled(p, len, 4) == (long)(len / page_size),
			 "child sees zeroes, parent keeps its data\n");
	ksft_test_result(!(ret & 2), "child inherits the droppable mapping\n");
out:
	munmap(p, len);
}

/*
 * Core dumps.  The child fills a droppable region and, as a control, an
 * ordinary one with contents found nowhere else, tries MADV_DODUMP (which
 * must fail) and dumps core.  The dump must hold the control's contents but
 * none of the droppable region's, whose program header must say that no
 * byte of it is in the file.
 */
#define CORE_PATTERN	"/proc/sys/kernel/core_pattern"

struct core_child {
	void *droppable, *control;
	size_t len;
};

static void core_child(struct core_child *c)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

	setrlimit(RLIMIT_CORE, &rl);
	prctl(PR_SET_DUMPABLE, 1);
	write_file("/proc/self/coredump_filter", "0x33");
	fill(c->droppable, c->len, 5);
	fill(c->control, c->len, 6);
	madvise(c->droppable, c->len, MADV_DODUMP);
	signal(SIGSEGV, SIG_DFL);
	raise(SIGSEGV);
	_exit(1);
}

/* Read a whole file; returns its size, or -1. */
static ssize_t slurp(const char *path, char **buf)
{
	struct stat st;
	ssize_t n = 0, r;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		goto fail;
	*buf = malloc(st.st_size + 1);
	if (!*buf)
		goto fail;
	while (n < st.st_size) {
		r = read(fd, *buf + n, st.st_size - n);
		if (r <= 0) {
			free(*buf);
			goto fail;
		}
		n += r;
	}
	close(fd);
	return n;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Whether any page of what fill(@seed) writes appears in @buf. */
static bool core_has_contents(const char *buf, size_t size, uint64_t seed,
			      size_t len, size_t *found)
{
	uint64_t probe[8];
	size_t pg, i;

	*found = 0;
	for (pg = 0; pg < len / page_size; pg++) {
		size_t first = pg * page_size / sizeof(uint64_t);

		for (i = 0; i < ARRAY_SIZE(probe); i++)
			probe[i] = word_at(seed, first + i);
		if (memmem(buf, size, probe, sizeof(probe)))
			(*found)++;
	}
	return *found;
}

/*
 * The PT_LOAD header of the core dump whose range holds @addr, or NULL: the
 * mapping may have been merged with a neighbouring one of the same kind.
 */
static const Elf64_Phdr *core_phdr(const char *buf, size_t size, const void *addr)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)buf;
	const Elf64_Phdr *ph;
	int i;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_type != ET_CORE ||
	    eh->e_phoff + (size_t)eh->e_phnum * sizeof(*ph) > size)
		return NULL;
	ph = (const Elf64_Phdr *)(buf + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD &&
		    ph[i].p_vaddr <= (unsigned long)addr &&
		    (unsigned long)addr - ph[i].p_vaddr < ph[i].p_memsz)
			return &ph[i];
	return NULL;
}

static void test_coredump(void)
{
	const char *name = "core dump leaves out droppable memory";
	char dir[] = "/tmp/droppable-core-XXXXXX";
	char pattern[256], old_pattern[256] = "", path[512];
	const Elf64_Phdr *dph, *cph;
	size_t size, in_dropp, in_control;
	struct core_child c;
	struct dirent *de;
	char *core = NULL;
	ssize_t n = -1;
	int status;
	pid_t pid;
	DIR *d;

	c.len = 16 * page_size;
	c.droppable = map_droppable(c.len, 0);
	if (c.droppable == MAP_FAILED) {
		ksft_test_result_fail("%s: mmap: %s\n", name, strerror(errno));
		return;
	}
	c.control = map_private(c.len);
	if (c.control == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	if (!mkdtemp(dir)) {
		ksft_test_result_skip("%s: mkdtemp: %s\n", name, strerror(errno));
		goto unmap;
	}

	/*
	 * A plain relative pattern ("core", the default) makes the dump land
	 * in the child's working directory.  Anything else (a pipe to a crash
	 * collector, an absolute path) is replaced for the duration.
	 */
	if (read_file(CORE_PATTERN, pattern, sizeof(pattern))) {
		ksft_test_result_skip("%s: cannot read %s\n", name, CORE_PATTERN);
		goto rmdir;
	}
	pattern[strcspn(pattern, "\n")] = '\0';
	if (pattern[0] == '|' || pattern[0] == '/' || strchr(pattern, '/')) {
		snprintf(old_pattern, sizeof(old_pattern), "%s", pattern);
		snprintf(pattern, sizeof(pattern), "%s/core", dir);
		if (write_file(CORE_PATTERN, pattern)) {
			ksft_test_result_skip("%s: cannot set %s\n", name, CORE_PATTERN);
			goto rmdir;
		}
	}

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (!pid) {
		if (chdir(dir))
			_exit(1);
		core_child(&c);
	}
	if (!wait_child(pid, &status, 60))
		status = 0;
	if (old_pattern[0])
		write_file(CORE_PATTERN, old_pattern);

	d = opendir(dir);
	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, "core", 4))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (n < 0)
			n = slurp(path, &core);
		unlink(path);
	}
	if (d)
		closedir(d);

	if (!WIFSIGNALED(status) || !WCOREDUMP(status) || n < 0) {
		ksft_test_result_skip("%s: no core dump was written\n", name);
		goto rmdir;
	}
	size = n;
	dph = core_phdr(core, size, c.droppable);
	cph = core_phdr(core, size, c.control);
	core_has_contents(core, size, 5, c.len, &in_dropp);
	core_has_contents(core, size, 6, c.len, &in_control);
	ksft_print_msg("core: %zu bytes\n", size);
	ksft_print_msg("droppable: PT_LOAD filesz %lld memsz %lld, %zu pages found\n",
		       dph ? (long long)dph->p_filesz : -1LL,
		       dph ? (long long)dph->p_memsz : -1LL, in_dropp);
	ksft_print_msg("control: PT_LOAD filesz %lld memsz %lld, %zu pages found\n",
		       cph ? (long long)cph->p_filesz : -1LL,
		       cph ? (long long)cph->p_memsz : -1LL, in_control);
	/* the control must be there, whole, and be found */
	if (!cph || cph->p_filesz != cph->p_memsz ||
	    in_control != c.len / page_size)
		ksft_test_result_fail("%s: control region is not fully in the dump\n",
				      name);
	else
		ksft_test_result(dph && dph->p_filesz == 0 &&
				 dph->p_vaddr + dph->p_memsz >=
				 (unsigned long)c.droppable + c.len && !in_dropp,
				 "%s\n", name);
	free(core);
rmdir:
	rmdir(dir);
unmap:
	munmap(c.droppable, c.len);
	munmap(c.control, c.len);
}

/*
 * Combinations that make no sense fail with EINVAL.  That the plain mapping
 * works (test_mmap) is what makes EINVAL mean something here; with a file,
 * the same call with MAP_PRIVATE is shown to work too.
 */
static const struct {
	const char *what;
	int flags;
} invalid_flags[] = {
	{ "MAP_HUGETLB", MAP_HUGETLB },
	{ "MAP_LOCKED", MAP_LOCKED },
	{ "MAP_GROWSDOWN", MAP_GROWSDOWN },
};

static void test_einval(void)
{
	const char *name = "file-backed MAP_DROPPABLE fails with EINVAL";
	char path[] = "/tmp/droppable-file-XXXXXX";
	unsigned int i;
	void *p;
	int fd;

	fd = mkstemp(path);
	if (fd < 0 || ftruncate(fd, page_size)) {
		ksft_test_result_skip("%s: no file: %s\n", name, strerror(errno));
	} else {
		unlink(path);
		p = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED) {
			ksft_test_result_skip("%s: the file cannot be mapped: %s\n",
					      name, strerror(errno));
		} else {
			munmap(p, page_size);
			p = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
				 MAP_DROPPABLE, fd, 0);
			ksft_test_result(droppable_page && p == MAP_FAILED &&
					 errno == EINVAL, "%s\n", name);
			if (p != MAP_FAILED)
				munmap(p, page_size);
		}
	}
	if (fd >= 0)
		close(fd);

	for (i = 0; i < ARRAY_SIZE(invalid_flags); i++) {
		p = map_droppable(page_size, invalid_flags[i].flags);
		ksft_test_result(droppable_page && p == MAP_FAILED && errno == EINVAL,
				 "MAP_DROPPABLE | %s fails with EINVAL\n",
				 invalid_flags[i].what);
		if (p != MAP_FAILED)
			munmap(p, page_size);
	}
}

/*
 * On a 32-bit kernel, which has no VMA flag for it, every MAP_DROPPABLE
 * mapping fails with EOPNOTSUPP, whatever the other arguments (the plain
 * mapping already did, or this would not run): a caller learns first that
 * the mapping type cannot exist, not what else is wrong with its call.
 */
#define NR_TESTS_UNSUPPORTED	(2 + ARRAY_SIZE(invalid_flags))

static void test_eopnotsupp(void)
{
	const char *name = "file-backed MAP_DROPPABLE fails with EOPNOTSUPP";
	char path[] = "/tmp/droppable-file-XXXXXX";
	unsigned int i;
	void *p;
	int fd;

	fd = mkstemp(path);
	if (fd < 0 || ftruncate(fd, page_size)) {
		ksft_test_result_skip("%s: no file: %s\n", name, strerror(errno));
	} else {
		unlink(path);
		p = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_DROPPABLE,
			 fd, 0);
		ksft_test_result(p == MAP_FAILED && errno == EOPNOTSUPP, "%s\n",
				 name);
		if (p != MAP_FAILED)
			munmap(p, page_size);
	}
	if (fd >= 0)
		close(fd);

	p = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_DROPPABLE, -1, 0);
	if (p == MAP_FAILED && errno != EOPNOTSUPP)
		ksft_print_msg("MAP_DROPPABLE with fd -1: %s\n", strerror(errno));
	ksft_test_result(p == MAP_FAILED && errno == EOPNOTSUPP,
			 "MAP_DROPPABLE with no file and no MAP_ANONYMOUS fails with EOPNOTSUPP\n");
	if (p != MAP_FAILED)
		munmap(p, page_size);

	for (i = 0; i < ARRAY_SIZE(invalid_flags); i++) {
		p = map_droppable(page_size, invalid_flags[i].flags);
		if (p == MAP_FAILED && errno != EOPNOTSUPP)
			ksft_print_msg("MAP_DROPPABLE | %s: %s\n",
				       invalid_flags[i].what, strerror(errno));
		ksft_test_result(p == MAP_FAILED && errno == EOPNOTSUPP,
				 "MAP_DROPPABLE | %s fails with EOPNOTSUPP\n",
				 invalid_flags[i].what);
		if (p != MAP_FAILED)
			munmap(p, page_size);
	}
}

/* Drop CAP_IPC_LOCK so that RLIMIT_MEMLOCK applies. */
static int drop_ipc_lock(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	if (syscall(__NR_capget, &hdr, data))
		return -errno;
	data[CAP_TO_INDEX(CAP_IPC_LOCK)].effective &= ~CAP_TO_MASK(CAP_IPC_LOCK);
	data[CAP_TO_INDEX(CAP_IPC_LOCK)].permitted &= ~CAP_TO_MASK(CAP_IPC_LOCK);
	if (syscall(__NR_capset, &hdr, data))
		return -errno;
	return 0;
}

/* Whether the vma at @addr is neither VM_LOCKED nor has locked pages. */
static bool not_locked(const void *addr)
{
	return has_vmflag(getpid(), addr, "lo") == 0 && locked_kb(addr) == 0;
}

/*
 * mlock() and mlockall() neither lock droppable pages nor fail because of
 * them: with CAP_IPC_LOCK, and also without it when RLIMIT_MEMLOCK is far
 * below the size of the droppable memory (but enough for the rest).  They
 * are tried in children, so that the rest of the test runs unlocked.
 */
static int mlock_child(int limited)
{
	size_t len = 4096 * page_size;
	struct rlimit rl = { 16 * page_size, 16 * page_size };
	char *p;

	p = map_droppable(len, 0);
	if (p == MAP_FAILED)
		return 1;
	fill(p, 8 * page_size, 7);
	if (limited && (drop_ipc_lock() || setrlimit(RLIMIT_MEMLOCK, &rl)))
		return 2;
	if (mlock(p, len)) {
		ksft_print_msg("mlock: %s\n", strerror(errno));
		return 3;
	}
	if (!not_locked(p))
		return 4;
	/* unlocked, its pages can still be dropped */
	if (pageout_until_zero(p, 8 * page_size) <= 0)
		return 5;
	if (munlock(p, len))
		return 6;
	return 0;
}

static int mlockall_child(int limited)
{
	size_t len = 4096 * page_size;
	struct rlimit rl;
	char status[4096], *vm;
	char *p, *q;

	p = map_droppable(len, 0);
	if (p == MAP_FAILED)
		return 1;
	fill(p, 8 * page_size, 8);

	/* room for everything but the droppable memory */
	if (read_file("/proc/self/status", status, sizeof(status)))
		return 2;
	vm = strstr(status, "VmSize:");
	if (!vm)
		return 2;
	rl.rlim_cur = strtoul(vm + 7, NULL, 10) * 1024 - len + (4UL << 20);
	rl.rlim_max = rl.rlim_cur;
	if (limited && (drop_ipc_lock() || setrlimit(RLIMIT_MEMLOCK, &rl)))
		return 2;

	if (mlockall(MCL_CURRENT | MCL_FUTURE)) {
		ksft_print_msg("mlockall: %s\n", strerror(errno));
		return 3;
	}
	if (!not_locked(p))
		return 4;
	/* a new droppable mapping is not locked either, nor refused */
	q = map_droppable(len, 0);
	if (q == MAP_FAILED) {
		ksft_print_msg("mmap after mlockall(MCL_FUTURE): %s\n",
			       strerror(errno));
		return 5;
	}
	fill(q, page_size, 9);
	if (!not_locked(q))
		return 6;
	if (pageout_until_zero(p, 8 * page_size) <= 0 ||
	    pageout_until_zero(q, page_size) <= 0)
		return 7;
	if (munlockall())
		return 8;
	return 0;
}

/*
 * Nor do they fault droppable pages in, not even without MCL_ONFAULT or
 * MLOCK_ONFAULT: the pages would stay droppable, so that would only fill
 * memory for reclaim to take back.  A large droppable mapping, never
 * touched, must still have nothing resident after the call; and after
 * mlockall(MCL_FUTURE), so must a new one.
 */
enum lock_call {
	LOCK_MLOCK,
	LOCK_MLOCK2_ONFAULT,
	LOCK_MLOCKALL,
	LOCK_MLOCKALL_ONFAULT,
	LOCK_MLOCKALL_FUTURE,
};

static long rss_kb(const void *addr)
{
	char val[64];

	if (!smaps_field(getpid(), addr, "Rss", val, sizeof(val)))
		return -1;
	return strtol(val, NULL, 10);
}

static int unpopulated_child(int call)
{
	size_t len = sizeof(long) == 8 ? 1UL << 30 : 256UL << 20;
	char *p = NULL;
	long rss;
	int ret;

	if (call != LOCK_MLOCKALL_FUTURE) {
		p = map_droppable(len, 0);
		if (p == MAP_FAILED)
			return 1;
	}
	switch (call) {
	case LOCK_MLOCK:
		ret = mlock(p, len);
		break;
	case LOCK_MLOCK2_ONFAULT:
		ret = syscall(__NR_mlock2, p, len, MLOCK_ONFAULT);
		break;
	case LOCK_MLOCKALL:
		ret = mlockall(MCL_CURRENT);
		break;
	case LOCK_MLOCKALL_ONFAULT:
		ret = mlockall(MCL_CURRENT | MCL_ONFAULT);
		break;
	default:
		ret = mlockall(MCL_FUTURE);
		break;
	}
	if (ret) {
		ksft_print_msg("the call failed: %s\n", strerror(errno));
		return 2;
	}
	if (call == LOCK_MLOCKALL_FUTURE) {
		p = map_droppable(len, 0);
		if (p == MAP_FAILED)
			return 3;
	}
	rss = rss_kb(p);
	ksft_print_msg("Rss of the %zu MiB droppable mapping after the call: %ld kB\n",
		       len >> 20, rss);
	if (rss < 0)
		return 4;
	if (!not_locked(p))
		return 5;
	/* nothing touched it: allow no more than 1/1024 of it */
	if ((unsigned long)rss * 1024 > len / 1024)
		return 6;
	return 0;
}

/* MAP_POPULATE, on the other hand, is asked for: it fills the mapping. */
static void test_map_populate(void)
{
	const char *name = "MAP_POPULATE populates droppable memory";
	size_t len = 64 * page_size;
	long rss;
	void *p;

	p = map_droppable(len, MAP_POPULATE);
	if (p == MAP_FAILED) {
		ksft_test_result_fail("%s: mmap: %s\n", name, strerror(errno));
		return;
	}
	rss = rss_kb(p);
	ksft_print_msg("Rss of the %zu kB droppable mapping: %ld kB\n",
		       len >> 10, rss);
	ksft_test_result(rss == (long)(len >> 10), "%s\n", name);
	munmap(p, len);
}

static void run_mlock_test(int (*fn)(int), int arg, const char *name)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (!pid) {
		int ret = fn(arg);

		fflush(stdout);
		_exit(ret);
	}
	if (!wait_child(pid, &status, 120) || !WIFEXITED(status)) {
		ksft_test_result_fail("%s: child did not exit\n", name);
		return;
	}
	if (WEXITSTATUS(status))
		ksft_print_msg("%s: step %d failed\n", name, WEXITSTATUS(status));
	ksft_test_result(!WEXITSTATUS(status), "%s\n", name);
}

static void test_madvise_undo(void)
{
	bool dodump, keeponfork;

	if (!droppable_page) {
		ksft_test_result_fail("MADV_DODUMP fails with EINVAL: no droppable mapping\n");
		ksft_test_result_fail("MADV_KEEPONFORK fails with EINVAL: no droppable mapping\n");
		return;
	}
	dodump = madvise(droppable_page, page_size, MADV_DODUMP) == -1 &&
		 errno == EINVAL;
	ksft_test_result(dodump && has_vmflag(getpid(), droppable_page, "dd") == 1,
			 "MADV_DODUMP fails with EINVAL\n");
	keeponfork = madvise(droppable_page, page_size, MADV_KEEPONFORK) == -1 &&
		     errno == EINVAL;
	ksft_test_result(keeponfork &&
			 has_vmflag(getpid(), droppable_page, "wf") == 1,
			 "MADV_KEEPONFORK fails with EINVAL\n");
}

/* The PFN backing @addr, or 0 if not present (needs root to see PFNs). */
static uint64_t pfn_of(int pagemap, const void *addr)
{
	uint64_t ent;

	if (pread(pagemap, &ent, sizeof(ent),
		  (unsigned long)addr / page_size * sizeof(ent)) != sizeof(ent))
		return 0;
	if (!(ent & (1ULL << 63)))
		return 0;
	return ent & ((1ULL << 55) - 1);
}

#ifndef KSM_SYS
#define KSM_SYS	"/sys/kernel/mm/ksm/"
#endif

static long ksm_read(const char *file)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), KSM_SYS "%s", file);
	if (read_file(path, buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 10);
}

static int ksm_write(const char *file, long val)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), KSM_SYS "%s", file);
	snprintf(buf, sizeof(buf), "%ld", val);
	return write_file(path, buf);
}

/*
 * MADV_MERGEABLE is ignored on droppable memory, and KSM, while it merges an
 * ordinary region filled the same way (the control), leaves the droppable
 * pages alone: they keep pfns of their own.
 */
static void test_ksm(void)
{
	const char *name = "KSM does not merge droppable pages";
	long run, scan, sleep_ms, scans;
	size_t i, nr = 32, len = nr * page_size;
	uint64_t ksm_pfn = 0, pfn;
	bool control_merged = false, merged = false;
	char *p = NULL, *q = NULL;
	int pagemap, t;

	run = ksm_read("run");
	scan = ksm_read("pages_to_scan");
	sleep_ms = ksm_read("sleep_millisecs");
	if (run < 0 || scan < 0 || sleep_ms < 0) {
		ksft_test_result_skip("%s: no KSM\n", name);
		return;
	}
	pagemap = open("/proc/self/pagemap", O_RDONLY);
	if (pagemap < 0) {
		ksft_test_result_skip("%s: no pagemap\n", name);
		return;
	}
	p = map_droppable(len, 0);
	q = map_private(len);
	if (p == MAP_FAILED || q == MAP_FAILED) {
		ksft_test_result_fail("%s: mmap: %s\n", name, strerror(errno));
		p = p == MAP_FAILED ? NULL : p;
		q = q == MAP_FAILED ? NULL : q;
		goto out;
	}
	for (i = 0; i < nr; i++) {
		memset(p + i * page_size, 0x5a, page_size);
		memset(q + i * page_size, 0x5a, page_size);
	}
	if (madvise(p, len, MADV_MERGEABLE) ||
	    madvise(q, len, MADV_MERGEABLE)) {
		ksft_test_result_fail("%s: MADV_MERGEABLE: %s\n", name,
				      strerror(errno));
		goto out;
	}
	if (has_vmflag(getpid(), p, "mg") != 0) {
		ksft_test_result_fail("%s: droppable mapping became mergeable\n",
				      name);
		goto out;
	}
	if (!pfn_of(pagemap, q)) {
		ksft_test_result_skip("%s: pagemap shows no pfns\n", name);
		goto out;
	}

	if (ksm_write("pages_to_scan", 1000) || ksm_write("sleep_millisecs", 10) ||
	    ksm_write("run", 1)) {
		ksft_test_result_skip("%s: cannot start ksmd\n", name);
		goto restore;
	}
	/* wait for the control to merge, then for two more full scans */
	for (t = 0; t < 600 && !control_merged; t++) {
		usleep(100000);
		ksm_pfn = pfn_of(pagemap, q);
		control_merged = ksm_pfn != 0;
		for (i = 1; i < nr && control_merged; i++)
			control_merged = pfn_of(pagemap, q + i * page_size) == ksm_pfn;
	}
	scans = ksm_read("full_scans");
	for (t = 0; t < 600 && ksm_read("full_scans") < scans + 2; t++)
		usleep(100000);

	for (i = 0; i < nr; i++) {
		pfn = pfn_of(pagemap, p + i * page_size);
		if (pfn && (pfn == ksm_pfn ||
			    (i && pfn == pfn_of(pagemap, p + (i - 1) * page_size))))
			merged = true;
	}
	if (!control_merged)
		ksft_test_result_skip("%s: KSM did not merge the control region\n",
				      name);
	else
		ksft_test_result(!merged, "%s\n", name);
restore:
	ksm_write("run", run);
	ksm_write("pages_to_scan", scan);
	ksm_write("sleep_millisecs", sleep_ms);
out:
	if (p)
		munmap(p, len);
	if (q)
		munmap(q, len);
	close(pagemap);
}

/* userfaultfd refuses droppable memory, while it takes an ordinary region. */
static void test_userfaultfd(void)
{
	const char *name = "userfaultfd refuses to register droppable memory";
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	void *p, *q;
	int uffd, err = 0;

	uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0) {
		ksft_test_result_skip("%s: userfaultfd: %s\n", name, strerror(errno));
		return;
	}
	if (ioctl(uffd, UFFDIO_API, &api)) {
		ksft_test_result_skip("%s: UFFDIO_API: %s\n", name, strerror(errno));
		close(uffd);
		return;
	}
	p = map_droppable(page_size, 0);
	q = map_private(page_size);
	if (p == MAP_FAILED || q == MAP_FAILED) {
		ksft_test_result_fail("%s: mmap: %s\n", name, strerror(errno));
		goto out;
	}
	reg.range.start = (unsigned long)q;
	reg.range.len = page_size;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg)) {
		ksft_test_result_skip("%s: cannot register even ordinary memory: %s\n",
				      name, strerror(errno));
		goto out;
	}
	reg.range.start = (unsigned long)p;
	if (!ioctl(uffd, UFFDIO_REGISTER, &reg))
		ksft_print_msg("UFFDIO_REGISTER of droppable memory succeeded\n");
	else
		err = errno;
	ksft_test_result(err == EINVAL, "%s\n", name);
out:
	if (p != MAP_FAILED)
		munmap(p, page_size);
	if (q != MAP_FAILED)
		munmap(q, page_size);
	close(uffd);
}

/*
 * In a memory cgroup limited far below the droppable memory it touches, a
 * process finishes normally: its droppable pages get dropped instead of the
 * cgroup running out of memory, and nothing is OOM-killed.
 */
#ifndef CGROUP_ROOT
#define CGROUP_ROOT	"/sys/fs/cgroup"
#endif
#define MEMCG_LIMIT	(8UL << 20)
#define MEMCG_TOUCH	(128UL << 20)

static long memcg_event(const char *cg, const char *event)
{
	char path[256], buf[1024], *line, *save;
	size_t len = strlen(event);

	snprintf(path, sizeof(path), "%s/memory.events", cg);
	if (read_file(path, buf, sizeof(buf)))
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, event, len) && line[len] == ' ')
			return strtol(line + len + 1, NULL, 10);
	return -1;
}

#ifndef PR_SET_IO_FLUSHER
#define PR_SET_IO_FLUSHER	57
#endif

static char memcg_path[128];	/* of run_in_memcg()'s cgroup, for its child */

/* What run_in_memcg() saw of its child. */
struct memcg_run {
	bool finished;			/* exited or was killed, not stuck */
	int status;			/* from waitpid() */
	unsigned long progress;		/* as the child last counted it */
	long max, oom, oom_kill;	/* from memory.events */
};

/*
 * Run @child(@arg, progress counter) in a new memory cgroup limited to
 * MEMCG_LIMIT without swap, and fill in @run.  A child that stops counting
 * progress for @stall seconds is taken as stuck and killed: a fault retried
 * for ever would otherwise hang the test, while a merely slow machine never
 * fails it.  Returns false, having reported @name skipped, where there is no
 * memory controller to use.
 */
static bool run_in_memcg(const char *name,
			 int (*child)(int arg, unsigned long *progress),
			 int arg, int stall, struct memcg_run *run)
{
	char controllers[256], cg[sizeof(memcg_path)], path[256], buf[32];
	unsigned long *progress;
	bool mounted = false, ran = false;
	pid_t pid;

	if (access(CGROUP_ROOT "/cgroup.controllers", F_OK)) {
		struct stat st, parent;

		/* mount cgroup2 there, but never over something else */
		if (stat(CGROUP_ROOT, &st) || stat(CGROUP_ROOT "/..", &parent) ||
		    st.st_dev != parent.st_dev) {
			ksft_test_result_skip("%s: no cgroup2 at %s\n", name,
					      CGROUP_ROOT);
			return false;
		}
		if (mount("cgroup2", CGROUP_ROOT, "cgroup2", 0, NULL)) {
			ksft_test_result_skip("%s: cannot mount cgroup2: %s\n", name,
					      strerror(errno));
			return false;
		}
		mounted = true;
	}
	if (read_file(CGROUP_ROOT "/cgroup.controllers", controllers,
		      sizeof(controllers)) || !strstr(controllers, "memory")) {
		ksft_test_result_skip("%s: no memory controller\n", name);
		goto umount;
	}
	write_file(CGROUP_ROOT "/cgroup.subtree_control", "+memory");
	snprintf(cg, sizeof(cg), CGROUP_ROOT "/droppable-test-%d", getpid());
	if (mkdir(cg, 0755)) {
		ksft_test_result_skip("%s: mkdir %s: %s\n", name, cg, strerror(errno));
		goto umount;
	}
	snprintf(memcg_path, sizeof(memcg_path), "%s", cg);
	snprintf(path, sizeof(path), "%s/memory.max", cg);
	snprintf(buf, sizeof(buf), "%lu", MEMCG_LIMIT);
	if (write_file(path, buf)) {
		ksft_test_result_skip("%s: cannot set memory.max\n", name);
		goto rmdir;
	}
	/* it is droppable memory that must make room, not swap */
	snprintf(path, sizeof(path), "%s/memory.swap.max", cg);
	write_file(path, "0");

	/* shared with the child, allocated (and charged) here */
	progress = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (progress == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	*progress = 0;
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (!pid) {
		int ret = write_file(path, "0") ? 10 : child(arg, progress);

		fflush(stdout);
		_exit(ret);
	}
	run->finished = wait_child_progress(pid, &run->status, stall, progress);
	run->progress = progress_of(progress);
	munmap(progress, page_size);
	run->oom_kill = memcg_event(cg, "oom_kill");
	run->oom = memcg_event(cg, "oom");
	run->max = memcg_event(cg, "max");
	ksft_print_msg("memory.events: max %ld oom %ld oom_kill %ld; child %s, %s %d, %lu steps\n",
		       run->max, run->oom, run->oom_kill,
		       run->finished ? "finished" : "stuck",
		       WIFEXITED(run->status) ? "exiting with" : "killed by signal",
		       WIFEXITED(run->status) ? WEXITSTATUS(run->status) :
						WTERMSIG(run->status),
		       run->progress);
	ran = true;
rmdir:
	if (rmdir(cg))
		ksft_print_msg("rmdir %s: %s\n", cg, strerror(errno));
umount:
	if (mounted)
		umount(CGROUP_ROOT);
	return ran;
}

static int memcg_fill_child(int noio, unsigned long *progress)
{
	long filled;
	size_t off;
	void *p;

	if (noio && prctl(PR_SET_IO_FLUSHER, 1, 0, 0, 0))
		return 14;
	p = map_droppable(MEMCG_TOUCH, 0);
	if (p == MAP_FAILED)
		return 11;
	/* fill() a page at a time, so that the parent sees it moving */
	for (off = 0; off < MEMCG_TOUCH; off += page_size) {
		fill_at(p, off, page_size, 10);
		__atomic_fetch_add(progress, 1, __ATOMIC_RELAXED);
	}
	filled = count_filled(p, MEMCG_TOUCH, 10);
	if (filled < 0)
		return 12;
	/* what is left must fit in the limit: the rest was dropped */
	if ((unsigned long)filled * page_size > MEMCG_LIMIT)
		return 13;
	return 0;
}

/*
 * With @noio, the same for a task whose allocations may not start I/O
 * (PR_SET_IO_FLUSHER makes them all GFP_NOIO), so that the cgroup's reclaim
 * must not swap or write anything out: droppable pages need neither to be
 * dropped, so that must not keep them.
 */
static void test_memcg(bool noio)
{
	struct memcg_run run;
	char name[160];

	snprintf(name, sizeof(name),
		 "memory cgroup far below the droppable memory touched: no OOM kill%s%s",
		 noio ? ", reclaiming without I/O" : "", lru_suffix);
	if (!run_in_memcg(name, memcg_fill_child, noio, 30, &run))
		return;
	if (!run.finished)
		ksft_test_result_fail("%s: child stuck after %lu pages\n", name,
				      run.progress);
	else if (run.max <= 0)
		ksft_test_result_fail("%s: the limit was never reached\n", name);
	else
		ksft_test_result(WIFEXITED(run.status) && !WEXITSTATUS(run.status) &&
				 run.oom_kill == 0, "%s\n", name);
}

/*
 * Where the promise ends: a droppable page can be dropped, but the page
 * tables that map it cannot, and they are charged like any page table.  One
 * byte written every 2 MiB of a huge droppable mapping needs a page table
 * page per byte.  The writer must get as far as about MEMCG_LIMIT /
 * page_size bytes (half of that if the droppable pages were kept too), with
 * no OOM kill on the way.  Once the page tables alone fill the cgroup, it
 * stops: its next fault finds no memory either for its droppable page, and
 * is retried for as long as that lasts (the writer stays killable, nothing
 * is OOM-killed), or for a page table first, which invokes the cgroup's OOM
 * killer as any page table allocation would.  Which of the two comes first
 * depends on the kernel's configuration.
 */
#define SPARSE_SPAN	(64UL << 30)
#define SPARSE_STEP	(2UL << 20)

/* The memory.stat item @item of the cgroup of run_in_memcg(), or -1. */
static long memcg_stat(const char *item)
{
	char path[256], buf[4096], *line, *save;
	size_t len = strlen(item);

	snprintf(path, sizeof(path), "%s/memory.stat", memcg_path);
	if (read_file(path, buf, sizeof(buf)))
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, item, len) && line[len] == ' ')
			return strtol(line + len + 1, NULL, 10);
	return -1;
}

#define SPARSE_UNCHARGED	20	/* sparse_child(): no page tables charged */

static int sparse_child(int unused, unsigned long *progress)
{
	size_t off;
	long charged;
	char *p;

	p = map_droppable(SPARSE_SPAN, 0);
	if (p == MAP_FAILED)
		return 11;
	/* one byte per page table page, and never a huge page instead */
	madvise(p, SPARSE_SPAN, MADV_NOHUGEPAGE);
	for (off = 0; off < SPARSE_SPAN; off += SPARSE_STEP) {
		p[off] = 1;
		__atomic_fetch_add(progress, 1, __ATOMIC_RELAXED);
	}
	/*
	 * Still alive with 128 MiB of page tables: fine only if the kernel
	 * does not charge page tables to memory cgroups (no kmem accounting).
	 */
	charged = memcg_stat("pagetables");
	ksft_print_msg("page tables charged to the cgroup: %ld bytes\n", charged);
	return charged >= 0 && charged < (long)MEMCG_LIMIT ? SPARSE_UNCHARGED : 0;
}

static void test_memcg_page_tables(void)
{
	static const char name[] =
		"page tables of droppable memory filling a memcg: no OOM kill before they do";
	/* a page table page per step: the limit's worth, less a quarter */
	unsigned long least = MEMCG_LIMIT / page_size * 3 / 4;
	bool stuck, oom_killed;
	struct memcg_run run;

	if (sizeof(long) < 8) {
		ksft_test_result_skip("%s: a 64 GiB mapping needs a 64-bit process\n",
				      name);
		return;
	}
	if (!run_in_memcg(name, sparse_child, 0, 10, &run))
		return;
	if (run.finished && WIFEXITED(run.status) &&
	    WEXITSTATUS(run.status) == SPARSE_UNCHARGED) {
		ksft_test_result_skip("%s: page tables are not charged to memory cgroups here\n",
				      name);
		return;
	}
	/* stuck and killed by run_in_memcg(), or killed by the OOM killer */
	stuck = !run.finished && WIFSIGNALED(run.status) &&
		WTERMSIG(run.status) == SIGKILL && run.oom_kill == 0;
	oom_killed = run.finished && WIFSIGNALED(run.status) &&
		     WTERMSIG(run.status) == SIGKILL && run.oom_kill == 1;
	ksft_print_msg("%lu bytes written 2 MiB apart (at least %lu expected), then %s\n",
		       run.progress, least,
		       stuck ? "stuck, retrying the droppable fault" :
		       oom_killed ? "OOM-killed, for a page table" :
				    "neither stuck nor OOM-killed once");
	ksft_test_result((stuck || oom_killed) && run.progress >= least,
			 "%s\n", name);
}

/*
 * The mm paths a distribution kernel turns on, which move droppable pages or
 * build new ones in their place: NUMA migration, compaction, soft offlining,
 * THP splitting and collapsing.  Whatever did it, the result must still be
 * droppable memory.  /proc/kpageflags tells whether a page is swap-backed.
 */
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE		25
#endif
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE	101
#endif
#define KPF_BIT(bit)		(1ULL << (bit))

struct page_probe {
	int pagemap, kpageflags;
};

static void page_probe_close(struct page_probe *pp)
{
	if (pp->pagemap >= 0)
		close(pp->pagemap);
	if (pp->kpageflags >= 0)
		close(pp->kpageflags);
}

/* Both files, which need root to show pfns; false if they cannot be had. */
static bool page_probe_open(struct page_probe *pp)
{
	pp->pagemap = open("/proc/self/pagemap", O_RDONLY);
	pp->kpageflags = open("/proc/kpageflags", O_RDONLY);
	if (pp->pagemap >= 0 && pp->kpageflags >= 0)
		return true;
	page_probe_close(pp);
	return false;
}

/* The kpageflags of the page at @addr: 0 if none is there, ~0 on error. */
static uint64_t page_flags(const struct page_probe *pp, const void *addr)
{
	uint64_t pfn = pfn_of(pp->pagemap, addr), flags;

	if (!pfn)
		return 0;
	if (pread(pp->kpageflags, &flags, sizeof(flags),
		  pfn * sizeof(flags)) != sizeof(flags))
		return ~0ULL;
	return flags;
}

/*
 * Check a droppable range that fill(@seed) wrote, after something moved or
 * rebuilt its pages: each page holds what was written there or, if it was
 * dropped, zeroes; each page present is anonymous and not swap-backed, so
 * that reclaim drops it rather than swaps it out; MADV_PAGEOUT still drops
 * them all.  Returns NULL if so, else what is wrong.  @kept, if given, gets
 * the number of pages that kept their contents.
 */
static const char *still_droppable(const struct page_probe *pp, void *p,
				   size_t len, uint64_t seed, long *kept)
{
	long filled = count_filled(p, len, seed);
	uint64_t flags;
	size_t off;

	if (kept)
		*kept = filled;
	if (filled < 0)
		return "a page holds neither its contents nor zeroes";
	for (off = 0; off < len; off += page_size) {
		flags = page_flags(pp, (char *)p + off);
		if (flags == ~0ULL)
			return "/proc/kpageflags cannot be read";
		/* a dropped page that was read maps the zero page */
		if (!flags || (flags & KPF_BIT(KPF_ZERO_PAGE)))
			continue;
		if (!(flags & KPF_BIT(KPF_ANON)))
			return "a page is no longer anonymous";
		if (flags & KPF_BIT(KPF_SWAPBACKED))
			return "a page became swap-backed";
	}
	if (pageout_until_zero(p, len) <= 0)
		return "MADV_PAGEOUT no longer drops the pages";
	return NULL;
}

/* The node of each page of @p (status of move_pages()), into @status. */
static long page_nodes(void **pages, size_t nr, int *status)
{
	return syscall(__NR_move_pages, 0, nr, pages, NULL, status, 0);
}

#define MOVE_PAGES	256

/*
 * Droppable pages moved to the other NUMA node, by move_pages() (@mbind
 * false) or by mbind(MPOL_BIND, MPOL_MF_MOVE): every page ends up on that
 * node and stays droppable.  After mbind(), the pages faulted in anew must
 * come from that node too.
 */
static void test_numa_move(bool mbind)
{
	const char *name = mbind ?
		"mbind(MPOL_MF_MOVE) moves droppable pages to another node, which stay droppable" :
		"move_pages() moves droppable pages to another node, which stay droppable";
	size_t i, len = MOVE_PAGES * page_size;
	int status[MOVE_PAGES], nodes[MOVE_PAGES];
	void *pages[MOVE_PAGES];
	unsigned long nodemask;
	struct page_probe pp;
	const char *why;
	int target, on_target;
	long ret, kept;
	char *p;

	if (access("/sys/devices/system/node/node1", F_OK)) {
		ksft_test_result_skip("%s: one NUMA node\n", name);
		return;
	}
	if (!page_probe_open(&pp)) {
		ksft_test_result_skip("%s: no /proc/kpageflags\n", name);
		return;
	}
	p = map_droppable(len, 0);
	if (p == MAP_FAILED) {
		ksft_test_result_fail("%s: mmap: %s\n", name, strerror(errno));
		page_probe_close(&pp);
		return;
	}
	madvise(p, len, MADV_NOHUGEPAGE);
	fill(p, len, 40);
	for (i = 0; i < MOVE_PAGES; i++)
		pages[i] = p + i * page_size;
	if (page_nodes(pages, MOVE_PAGES, status) || status[0] < 0) {
		ksft_test_result_fail("%s: move_pages() cannot tell the node: %s\n",
				      name, strerror(errno));
		goto out;
	}
	target = status[0] == 0 ? 1 : 0;
	if (mbind) {
		nodemask = 1UL << target;
		ret = syscall(__NR_mbind, p, len, MPOL_BIND, &nodemask,
			      8 * sizeof(nodemask), MPOL_MF_MOVE);
	} else {
		for (i = 0; i < MOVE_PAGES; i++)
			nodes[i] = target;
		ret = syscall(__NR_move_pages, 0, MOVE_PAGES, pages, nodes,
			      status, MPOL_MF_MOVE);
	}
	if (ret) {
		ksft_test_result_fail("%s: %s returned %ld: %s\n", name,
				      mbind ? "mbind" : "move_pages", ret,
				      ret < 0 ? strerror(errno) : "pages not moved");
		goto out;
	}
	/* pages dropped in between (-ENOENT) are fine; any other is not */
	page_nodes(pages, MOVE_PAGES, status);
	for (i = 0, on_target = 0; i < MOVE_PAGES; i++) {
		if (status[i] == target)
			on_target++;
		else if (status[i] != -ENOENT)
			break;
	}
	ksft_print_msg("%d of %d pages on node %d\n", on_target, MOVE_PAGES,
		       target);
	if (i < MOVE_PAGES) {
		ksft_test_result_fail("%s: page %zu is on node %d\n", name, i,
				      status[i]);
		goto out;
	}
	why = still_droppable(&pp, p, len, 40, &kept);
	ksft_print_msg("%ld pages kept their contents\n", kept);
	if (!why && mbind) {
		fill(p, len, 41);
		page_nodes(pages, MOVE_PAGES, status);
		for (i = 0; i < MOVE_PAGES && !why; i++)
			if (status[i] != target)
				why = "a page faulted in after mbind() is on the wrong node";
	}
	if (why)
		ksft_test_result_fail("%s: %s\n", name, why);
	else
		ksft_test_result_pass("%s\n", name);
out:
	munmap(p, len);
	page_probe_close(&pp);
}

#define COMPACT_SIZE	(64UL << 20)

/*
 * Compaction moves droppable pages like other movable ones.  Droppable and
 * ordinary pages are faulted in by turns and the ordinary ones then freed,
 * which leaves the droppable ones spread over memory with holes between
 * them for compaction to close.
 */
static void test_compaction(void)
{
	const char *name = "compaction moves droppable pages, which stay droppable";
	size_t i, nr = COMPACT_SIZE / page_size;
	uint64_t *before = NULL;
	struct page_probe pp;
	char *p = NULL, *q;
	const char *why;
	long moved = 0;
	int ret;

	if (access("/proc/sys/vm/compact_memory", W_OK)) {
		ksft_test_result_skip("%s: no /proc/sys/vm/compact_memory\n", name);
		return;
	}
	if (!page_probe_open(&pp)) {
		ksft_test_result_skip("%s: no /proc/kpageflags\n", name);
		return;
	}
	before = calloc(nr, sizeof(*before));
	p = map_droppable(COMPACT_SIZE, 0);
	q = map_private(COMPACT_SIZE);
	if (!before || p == MAP_FAILED || q == MAP_FAILED) {
		ksft_test_result_fail("%s: mmap: %s\n", name, strerror(errno));
		if (q != MAP_FAILED)
			munmap(q, COMPACT_SIZE);
		p = p == MAP_FAILED ? NULL : p;
		goto out;
	}
	madvise(p, COMPACT_SIZE, MADV_NOHUGEPAGE);
	madvise(q, COMPACT_SIZE, MADV_NOHUGEPAGE);
	for (i = 0; i < nr; i++) {
		fill_at(p, i * page_size, page_size, 42);
		q[i * page_size] = 1;
	}
	munmap(q, COMPACT_SIZE);
	for (i = 0; i < nr; i++)
		before[i] = pfn_of(pp.pagemap, p + i * page_size);
	ret = write_file("/proc/sys/vm/compact_memory", "1");
	if (ret) {
		ksft_test_result_fail("%s: writing compact_memory: %s\n", name,
				      strerror(-ret));
		goto out;
	}
	for (i = 0; i < nr; i++) {
		uint64_t pfn = pfn_of(pp.pagemap, p + i * page_size);

		if (pfn && before[i] && pfn != before[i])
			moved++;
	}
	ksft_print_msg("compaction moved %ld of %zu droppable pages\n", moved, nr);
	why = still_droppable(&pp, p, COMPACT_SIZE, 42, NULL);
	if (why)
		ksft_test_result_fail("%s: %s\n", name, why);
	else if (!moved)
		ksft_test_result_skip("%s: compaction moved none of them\n", name);
	else
		ksft_test_result_pass("%s\n", name);
out:
	if (p)
		munmap(p, COMPACT_SIZE);
	free(before);
	page_probe_close(&pp);
}

#define OFFLINE_PAGES	4

/*
 * MADV_SOFT_OFFLINE (memory failure handling) moves the contents of pages
 * reported as failing to new ones: for droppable pages, new droppable
 * pages.
 */
static void test_soft_offline(void)
{
	const char *name = "soft-offlined droppable pages are replaced by droppable pages";
	size_t i, len = OFFLINE_PAGES * page_size;
	uint64_t before[OFFLINE_PAGES];
	struct page_probe pp;
	const char *why;
	long moved = 0;
	char *p;

	if (!page_probe_open(&pp)) {
		ksft_test_result_skip("%s: no /proc/kpageflags\n", name);
		return;
	}
	p = map_droppable(len, 0);
	if (p == MAP_FAILED) {
		ksft_test_result_fail("%s: mmap: %s\n", name, strerror(errno));
		page_probe_close(&pp);
		return;
	}
	fill(p, len, 43);
	for (i = 0; i < OFFLINE_PAGES; i++)
		before[i] = pfn_of(pp.pagemap, p + i * page_size);
	if (madvise(p, len, MADV_SOFT_OFFLINE)) {
		if (errno == EINVAL)
			ksft_test_result_skip("%s: no MADV_SOFT_OFFLINE (CONFIG_MEMORY_FAILURE)\n",
					      name);
		else
			ksft_test_result_fail("%s: MADV_SOFT_OFFLINE: %s\n", name,
					      strerror(errno));
		goto out;
	}
	for (i = 0; i < OFFLINE_PAGES; i++) {
		uint64_t pfn = pfn_of(pp.pagemap, p + i * page_size);

		if (pfn && pfn != before[i])
			moved++;
	}
	ksft_print_msg("%ld of %d pages moved\n", moved, OFFLINE_PAGES);
	why = still_droppable(&pp, p, len, 43, NULL);
	if (why)
		ksft_test_result_fail("%s: %s\n", name, why);
	else if (!moved)
		ksft_test_result_fail("%s: no page moved\n", name);
	else
		ksft_test_result_pass("%s\n", name);
out:
	munmap(p, len);
	page_probe_close(&pp);
}

/*
 * A 2 MiB-aligned droppable range, MADV_HUGEPAGE, in @*map (to munmap
 * 2 * HUGE_SIZE); NULL with errno set on failure.
 */
static char *map_droppable_huge(void **map)
{
	uintptr_t start;

	*map = map_droppable(2 * HUGE_SIZE, 0);
	if (*map == MAP_FAILED)
		return NULL;
	start = ((uintptr_t)*map + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1);
	if (madvise((void *)start, HUGE_SIZE, MADV_HUGEPAGE)) {
		munmap(*map, 2 * HUGE_SIZE);
		return NULL;
	}
	return (char *)start;
}

/* Whether every page of @p (@len bytes) is part of a THP. */
static bool all_thp(const struct page_probe *pp, const char *p, size_t len)
{
	size_t off;

	for (off = 0; off < len; off += page_size)
		if (!(page_flags(pp, p + off) & KPF_BIT(KPF_THP)))
			return false;
	return true;
}

/*
 * A droppable THP paged out in part is split: the half paged out is
 * dropped, the other keeps its contents in small pages that are still
 * droppable.
 */
static void test_thp_split(void)
{
	const char *name = "a droppable THP paged out in part is split, its pages stay droppable";
	size_t half = HUGE_SIZE / 2;
	struct page_probe pp;
	const char *why;
	void *map;
	char *p;
	int tries;

	if (!page_probe_open(&pp)) {
		ksft_test_result_skip("%s: no /proc/kpageflags\n", name);
		return;
	}
	p = map_droppable_huge(&map);
	if (!p) {
		ksft_test_result_fail("%s: mmap: %s\n", name, strerror(errno));
		page_probe_close(&pp);
		return;
	}
	fill(p, HUGE_SIZE, 44);
	if (!all_thp(&pp, p, HUGE_SIZE)) {
		ksft_test_result_skip("%s: no THP for the range\n", name);
		goto out;
	}
	tries = pageout_until_zero(p, half);
	if (tries <= 0)
		why = "the half paged out was not dropped";
	else if (count_filled(p, HUGE_SIZE, 44) != (long)(half / page_size))
		why = "the other half lost its contents";
	else if (all_thp(&pp, p + half, page_size))
		why = "the THP was not split";
	else
		why = still_droppable(&pp, p, HUGE_SIZE, 44, NULL);
	if (why)
		ksft_test_result_fail("%s: %s\n", name, why);
	else
		ksft_test_result_pass("%s\n", name);
out:
	munmap(map, 2 * HUGE_SIZE);
	page_probe_close(&pp);
}

/*
 * MADV_COLLAPSE, khugepaged's collapse on demand, builds a THP from the small
 * pages of a droppable range: it holds their contents and is droppable too,
 * never swap-backed.
 */
static void test_thp_collapse(void)
{
	const char *name = "MADV_COLLAPSE of a droppable range makes a droppable THP";
	struct page_probe pp;
	const char *why = NULL;
	int tries, err;
	void *map;
	char *p;

	if (!page_probe_open(&pp)) {
		ksft_test_result_skip("%s: no /proc/kpageflags\n", name);
		return;
	}
	p = map_droppable_huge(&map);
	if (!p) {
		ksft_test_result_fail("%s: mmap: %s\n", name, strerror(errno));
		page_probe_close(&pp);
		return;
	}
	/* small pages first */
	madvise(p, HUGE_SIZE, MADV_NOHUGEPAGE);
	fill(p, HUGE_SIZE, 45);
	madvise(p, HUGE_SIZE, MADV_HUGEPAGE);
	if (all_thp(&pp, p, page_size)) {
		ksft_test_result_fail("%s: a THP before the collapse\n", name);
		goto out;
	}
	/* EAGAIN: something held a page for a moment */
	for (tries = 0; tries < 10; tries++) {
		err = madvise(p, HUGE_SIZE, MADV_COLLAPSE) ? errno : 0;
		if (err != EAGAIN)
			break;
		usleep(10000);
	}
	if (err == EINVAL || err == ENOMEM) {
		ksft_test_result_skip("%s: MADV_COLLAPSE: %s\n", name,
				      err == EINVAL ? "not supported" :
						      "no huge page to be had");
		goto out;
	}
	if (err) {
		ksft_test_result_fail("%s: MADV_COLLAPSE: %s\n", name,
				      strerror(err));
		goto out;
	}
	if (!all_thp(&pp, p, HUGE_SIZE))
		why = "the range is not a THP";
	else if (count_filled(p, HUGE_SIZE, 45) != (long)(HUGE_SIZE / page_size))
		why = "the THP lost contents";
	else
		why = still_droppable(&pp, p, HUGE_SIZE, 45, NULL);
	if (why)
		ksft_test_result_fail("%s: %s\n", name, why);
	else
		ksft_test_result_pass("%s\n", name);
out:
	munmap(map, 2 * HUGE_SIZE);
	page_probe_close(&pp);
}

#define ZSWAP_ENABLED	"/sys/module/zswap/parameters/enabled"

/* A counter of /proc/vmstat, or -1. */
static long vm_event_count(const char *item)
{
	size_t len = strlen(item);
	char line[128];
	long ret = -1;
	FILE *f;

	f = fopen("/proc/vmstat", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, item, len) && line[len] == ' ')
			ret = strtol(line + len + 1, NULL, 10);
	fclose(f);
	return ret;
}

/*
 * Pages that zswap takes: fill()'s contents do not compress, and zswap
 * would refuse them whatever the mapping.  Each page is @tag but for its
 * first word, its index (so that no page is all one word either).
 */
static void fill_compressible(char *p, size_t len, uint64_t tag)
{
	size_t i, j;

	for (i = 0; i < len / page_size; i++) {
		uint64_t *w = (uint64_t *)(p + i * page_size);

		w[0] = i;
		for (j = 1; j < page_size / sizeof(*w); j++)
			w[j] = tag;
	}
}

/* Whether fill_compressible() contents are intact. */
static bool compressible_intact(const char *p, size_t len, uint64_t tag)
{
	size_t i, j;

	for (i = 0; i < len / page_size; i++) {
		const uint64_t *w = (const uint64_t *)(p + i * page_size);

		if (w[0] != i)
			return false;
		for (j = 1; j < page_size / sizeof(*w); j++)
			if (w[j] != tag)
				return false;
	}
	return true;
}

/*
 * With zswap in front of the swap device, paging out droppable memory
 * stores nothing in zswap (zswpout does not move), while ordinary pages
 * with the same kind of contents, as a control, are stored there.
 */
static void test_zswap(void)
{
	const char *name = "with zswap on, droppable pages never reach zswap";
	size_t len = 64 * page_size;
	long start, dropped, control;
	char saved[8], why[128];
	void *p = NULL, *q = NULL;
	int tries, i, ret;

	if (read_file(ZSWAP_ENABLED, saved, sizeof(saved)) ||
	    vm_event_count("zswpout") < 0) {
		ksft_test_result_skip("%s: no zswap\n", name);
		return;
	}
	saved[strcspn(saved, "\n")] = '\0';
	ret = write_file(ZSWAP_ENABLED, "Y");
	if (ret) {
		ksft_test_result_skip("%s: enabling zswap: %s\n", name,
				      strerror(-ret));
		return;
	}
	if (zram_swapon(why, sizeof(why))) {
		ksft_test_result_skip("%s: %s\n", name, why);
		goto restore;
	}
	p = map_droppable(len, 0);
	q = map_private(len);
	if (p == MAP_FAILED || q == MAP_FAILED) {
		ksft_test_result_fail("%s: mmap: %s\n", name, strerror(errno));
		goto out;
	}
	fill_compressible(p, len, 0x4646464646464646ULL);
	fill_compressible(q, len, 0x4747474747474747ULL);
	start = vm_event_count("zswpout");
	tries = pageout_until_zero(p, len);
	dropped = vm_event_count("zswpout");
	for (i = 0, control = dropped; i < PAGEOUT_TRIES && control == dropped; i++) {
		madvise(q, len, MADV_PAGEOUT);
		control = vm_event_count("zswpout");
		usleep(10000);
	}
	ksft_print_msg("zswpout: %ld, %ld after dropping, %ld after the control\n",
		       start, dropped, control);
	if (tries <= 0)
		ksft_test_result_fail("%s: droppable pages were not dropped\n",
				      name);
	else if (control == dropped)
		ksft_test_result_skip("%s: zswap stored none of the control\n",
				      name);
	else if (!compressible_intact(q, len, 0x4747474747474747ULL))
		ksft_test_result_fail("%s: control pages came back wrong\n", name);
	else
		ksft_test_result(dropped == start, "%s\n", name);
out:
	if (p != MAP_FAILED)
		munmap(p, len);
	if (q != MAP_FAILED)
		munmap(q, len);
	zram_swapoff();
restore:
	write_file(ZSWAP_ENABLED, saved);
}

/*
 * Reclaim is done by MGLRU or by the classic LRU, with separate code for
 * droppable folios in each: with MGLRU built in, run the reclaim tests
 * under both, and put back the setting found.
 */
#ifndef LRU_GEN_SYS
#define LRU_GEN_SYS	"/sys/kernel/mm/lru_gen/enabled"
#endif

static void test_reclaim(void)
{
	test_pageout();
	test_pageout_swap();
	test_memcg(false);
	test_memcg(true);
}

static void test_reclaim_each_lru(bool lru_gen, const char *saved)
{
	static const struct {
		const char *value, *suffix;
	} modes[] = {
		{ "y", " (MGLRU on)" },
		{ "n", " (MGLRU off)" },
	};
	unsigned int i, j;
	int ret;

	if (!lru_gen) {
		ksft_print_msg("no %s: classic LRU only\n", LRU_GEN_SYS);
		test_reclaim();
		return;
	}
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		snprintf(lru_suffix, sizeof(lru_suffix), "%s", modes[i].suffix);
		ret = write_file(LRU_GEN_SYS, modes[i].value);
		if (ret) {
			for (j = 0; j < NR_TESTS_PER_LRU; j++)
				ksft_test_result_fail("reclaim test %u%s: writing %s: %s\n",
						      j + 1, lru_suffix, LRU_GEN_SYS,
						      strerror(-ret));
			continue;
		}
		test_reclaim();
	}
	lru_suffix[0] = '\0';
	ret = write_file(LRU_GEN_SYS, saved);
	if (ret)
		ksft_print_msg("restoring %s to %s: %s\n", LRU_GEN_SYS, saved,
			       strerror(-ret));
}

int main(void)
{
	char lru_gen_saved[32] = "";
	bool lru_gen;

	page_size = sysconf(_SC_PAGESIZE);
	lru_gen = !read_file(LRU_GEN_SYS, lru_gen_saved, sizeof(lru_gen_saved));
	lru_gen_saved[strcspn(lru_gen_saved, "\n")] = '\0';

	ksft_print_header();
	if (droppable_unsupported()) {
		ksft_set_plan(NR_TESTS_UNSUPPORTED + 1);
		test_eopnotsupp();
		ksft_test_result_skip("the other tests: no droppable memory on a 32-bit kernel\n");
		ksft_finished();
	}
	ksft_set_plan(NR_TESTS_ONCE + NR_TESTS_PER_LRU * (lru_gen ? 2 : 1));

	test_mmap();
	test_smaps_flags();
	test_fork();
	test_coredump();
	test_einval();
	run_mlock_test(mlock_child, false,
		       "mlock() succeeds and does not lock droppable memory");
	run_mlock_test(mlock_child, true,
		       "mlock() under a small RLIMIT_MEMLOCK does not fail for droppable memory");
	run_mlock_test(mlockall_child, false,
		       "mlockall(MCL_CURRENT | MCL_FUTURE) succeeds and does not lock droppable memory, old or new");
	run_mlock_test(mlockall_child, true,
		       "mlockall(MCL_CURRENT | MCL_FUTURE) under a small RLIMIT_MEMLOCK does not fail for droppable memory");
	run_mlock_test(unpopulated_child, LOCK_MLOCK,
		       "mlock() does not populate droppable memory");
	run_mlock_test(unpopulated_child, LOCK_MLOCK2_ONFAULT,
		       "mlock2(MLOCK_ONFAULT) does not populate droppable memory");
	run_mlock_test(unpopulated_child, LOCK_MLOCKALL,
		       "mlockall(MCL_CURRENT) does not populate droppable memory");
	run_mlock_test(unpopulated_child, LOCK_MLOCKALL_ONFAULT,
		       "mlockall(MCL_CURRENT | MCL_ONFAULT) does not populate droppable memory");
	run_mlock_test(unpopulated_child, LOCK_MLOCKALL_FUTURE,
		       "mlockall(MCL_FUTURE) does not populate new droppable memory");
	test_map_populate();
	test_madvise_undo();
	test_ksm();
	test_userfaultfd();
	test_numa_move(false);
	test_numa_move(true);
	test_compaction();
	test_soft_offline();
	test_thp_split();
	test_thp_collapse();
	test_zswap();
	test_memcg_page_tables();
	test_reclaim_each_lru(lru_gen, lru_gen_saved);

	ksft_finished();
}
