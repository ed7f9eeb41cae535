/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the stress programs: options and setup, clocks, the
 * vDSO lookup, a seeded PRNG, a set of 16-byte blocks, small file helpers;
 * KTAP output and the vDSO image come from harness/include. Everything is
 * static: each program includes this once.
 */
#ifndef STRESS_H
#define STRESS_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"
#include "arch.h"
#include "vdso_lookup.h"

#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE	0x08
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- options ---- */

static bool opt_quick;
static double opt_seconds;	/* budget of the full mode */
static unsigned long long opt_seed;
static bool opt_seed_given;

static __maybe_unused void usage(const char *prog, const char *extra)
{
	fprintf(stderr,
		"usage: %s [--quick] [--seconds N] [--seed N]%s\n"
		"  --quick      a fast subset (CI)\n"
		"  --seconds N  time budget of the full mode (default %g)\n"
		"  --seed N     seed of the pseudo-random choices\n",
		prog, extra ? extra : "", opt_seconds);
	exit(2);
}

/*
 * Parses the common options; returns the index of the first argument it
 * did not know (so that the program can look at it), or argc.
 */
static __maybe_unused int parse_common(int argc, char **argv, int i)
{
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			opt_quick = true;
		} else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			opt_seconds = strtod(argv[++i], NULL);
			if (opt_seconds <= 0)
				usage(argv[0], NULL);
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			opt_seed = strtoull(argv[++i], NULL, 0);
			opt_seed_given = true;
		} else {
			return i;
		}
	}
	return i;
}

/* ---- time ---- */

static __maybe_unused double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- a seeded PRNG (splitmix64), for choices, not for secrets ---- */

static __maybe_unused uint64_t prng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static __maybe_unused uint64_t prng_below(uint64_t *s, uint64_t n)
{
	return n ? prng_next(s) % n : 0;
}

static __maybe_unused uint64_t pick_seed(void)
{
	uint64_t s;

	if (opt_seed_given)
		return opt_seed;
	if (syscall(SYS_getrandom, &s, sizeof(s), 0) != sizeof(s))
		s = (uint64_t)now() * 1000003 ^ getpid();
	return s;
}

/* ---- setup ---- */

static size_t page_size;
static uint64_t seed;		/* of this run's pseudo-random choices */

/* An option of one program: a flag, or one that takes an argument. */
struct stress_option {
	const char *name;
	bool *flag;		/* set by the option, or NULL */
	const char **arg;	/* the argument after it, or NULL */
};

/*
 * Parses the arguments: the common options, and the program's own @opts
 * (ended by an empty entry; @extra is their part of the usage line). Then
 * makes stdout line buffered and sets page_size and seed.
 */
static __maybe_unused void stress_setup(int argc, char **argv,
					const struct stress_option *opts,
					const char *extra)
{
	const struct stress_option *o;
	int i;

	for (i = 1; i < argc; i++) {
		i = parse_common(argc, argv, i);
		if (i >= argc)
			break;
		for (o = opts; o->name; o++) {
			if (strcmp(argv[i], o->name) || (o->arg && i + 1 >= argc))
				continue;
			if (o->flag)
				*o->flag = true;
			if (o->arg)
				*o->arg = argv[++i];
			break;
		}
		if (!o->name)
			usage(argv[0], extra);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	page_size = sysconf(_SC_PAGESIZE);
	seed = pick_seed();
}

/* ---- the vDSO ---- */

/* The vDSO image: where it is mapped and how long it is. */
static const char *vdso_base;
static size_t vdso_len;

/*
 * Address of the function NAME@VERSION in the vDSO (any version if
 * @version is NULL), or NULL. Also records the image's extent.
 */
static __maybe_unused void *vdso_lookup(const char *name, const char *version)
{
	struct vdso_image img;
	size_t i;

	if (vdso_image_read(&img))
		return NULL;
	vdso_base = img.base;
	vdso_len = img.len;
	i = vdso_image_find(&img, name, version, NULL);
	return i ? (void *)(img.sym[i].st_value + img.bias) : NULL;
}

/*
 * The vDSO getrandom() of the series and what its query call fills in, as
 * in include/uapi/linux/random.h (absent from Debian 12's headers).
 */
struct vgr_params {
	uint32_t size_of_opaque_state;
	uint32_t mmap_prot;
	uint32_t mmap_flags;
	uint32_t reserved[13];
};

typedef ssize_t (*vgetrandom_fn)(void *buf, size_t len, unsigned int flags,
				 void *state, size_t opaque_len);

static __maybe_unused bool in_vdso(uintptr_t pc)
{
	return vdso_base && pc >= (uintptr_t)vdso_base &&
	       pc < (uintptr_t)vdso_base + vdso_len;
}

/* ---- the set of 16-byte blocks ---- */

/*
 * Open addressing with linear probing. A slot is empty while all zero; an
 * all-zero block is never stored but counted apart (real output has one
 * with probability 2^-128, so any is a failure for the caller to report).
 */
struct blockset {
	uint8_t (*slot)[16];
	size_t mask;
	size_t count;		/* distinct blocks stored */
	size_t dups;		/* blocks seen a second time */
	size_t zeros;		/* all-zero blocks */
};

static __maybe_unused int blockset_init(struct blockset *s, size_t max_blocks)
{
	size_t n = 1024;

	while (n < 2 * max_blocks)
		n <<= 1;
	/*
	 * Populated up front: faulting its pages in one by one during a
	 * timed loop costs far more than the loop itself on a debug kernel.
	 */
	s->slot = mmap(NULL, n * 16, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		       MAP_POPULATE, -1, 0);
	if (s->slot == MAP_FAILED) {
		s->slot = NULL;
		return -1;
	}
	s->mask = n - 1;
	s->count = s->dups = s->zeros = 0;
	return 0;
}

static __maybe_unused void blockset_free(struct blockset *s)
{
	if (s->slot)
		munmap(s->slot, (s->mask + 1) * 16);
	s->slot = NULL;
}

static const uint8_t zero_block[16];

/* Returns false if @b was already there (or is all zero, or the set is full). */
static __maybe_unused bool blockset_add(struct blockset *s, const void *b)
{
	uint64_t w[2];
	size_t i;

	memcpy(w, b, 16);
	if (!w[0] && !w[1]) {
		s->zeros++;
		return false;
	}
	if (s->count * 10 >= (s->mask + 1) * 7) {
		/* full: the caller sized it wrong; count as a failure */
		s->dups++;
		return false;
	}
	i = (size_t)((w[0] ^ (w[1] * 0x9e3779b97f4a7c15ULL)) *
		     0xff51afd7ed558ccdULL >> 17) & s->mask;
	for (;; i = (i + 1) & s->mask) {
		if (!memcmp(s->slot[i], zero_block, 16)) {
			memcpy(s->slot[i], b, 16);
			s->count++;
			return true;
		}
		if (!memcmp(s->slot[i], b, 16)) {
			s->dups++;
			return false;
		}
	}
}

/* Adds every whole 16-byte block of @buf. */
static __maybe_unused void blockset_add_buf(struct blockset *s, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i + 16 <= len; i += 16)
		blockset_add(s, p + i);
}

/* ---- files ---- */

/* Reads a small file into @buf (NUL-terminated); 0 or -errno. */
static __maybe_unused int read_file(const char *path, char *buf, size_t len)
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

static __maybe_unused int write_file(const char *path, const char *s)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n != (ssize_t)strlen(s)) {
		n = n < 0 ? -errno : -EIO;
		close(fd);
		return n;
	}
	close(fd);
	return 0;
}

/* A number from a "name value" line of /proc/vmstat or /proc/meminfo. */
static __maybe_unused long long proc_value(const char *path, const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	long long v = -1;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, klen) &&
		    (line[klen] == ' ' || line[klen] == ':')) {
			v = strtoll(line + klen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

/*
 * Waits for @pid; returns its exit status, or 128 + the signal that killed
 * it, or -1.
 */
static __maybe_unused int wait_child(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

#endif /* STRESS_H */
