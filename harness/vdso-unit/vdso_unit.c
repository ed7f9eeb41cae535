// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit test of the vDSO getrandom(): the generic
 * lib/vdso/getrandom.c and the x86-64 vgetrandom-chacha.S and
 * vgetrandom-copy.S of a kernel tree, or its arm64 vgetrandom-chacha.S
 * (built with a cross compiler and run under qemu-user),
 * run as userspace code with a synthetic vDSO data page and a mocked
 * getrandom() system call, so that every corner of the algorithm can be
 * provoked and observed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <asm/vdso/getrandom.h>		/* mocked hooks, from shim/ */
#include <vdso/getrandom.h>		/* the real state layout */
#include <uapi/linux/random.h>		/* the real uapi */

#include "kselftest.h"

#define MAX_RW_COUNT	(INT_MAX & ~(4096UL - 1))
#define BATCH_SIZE	sizeof(((struct vgetrandom_state *)0)->batch)
#define GRND_ALL	(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)

typedef ssize_t (*vgetrandom_t)(void *buffer, size_t len, unsigned int flags,
				void *opaque_state, size_t opaque_len);

ssize_t unit_vgetrandom_x86(void *, size_t, unsigned int, void *, size_t);
ssize_t unit_vgetrandom_words(void *, size_t, unsigned int, void *, size_t);
ssize_t unit_vgetrandom_bytes(void *, size_t, unsigned int, void *, size_t);
void real_chacha20_blocks_nostack(u8 *dst, const u32 *key, u32 *counter,
				  size_t nblocks);
void real_memcpy_and_zero_src(void *dst, void *src, size_t len);
void unit_chacha_on_stack(void *stack_top, u8 *dst, const u32 *key,
			  u32 *counter, size_t nblocks, void *xmm_out);

/* Undefined symbols of the compiled generic code, from the Makefile. */
extern const char unit_undefined_symbols[];

/* ---------------------------------------------------------------------
 * Plain C reference ChaCha20 (original variant: 64-bit counter, 64-bit
 * nonce, here zero), straight from the definition.
 */

static u32 rol32(u32 v, int n)
{
	return (v << n) | (v >> (32 - n));
}

#define QR(a, b, c, d) do {				\
	a += b; d ^= a; d = rol32(d, 16);		\
	c += d; b ^= c; b = rol32(b, 12);		\
	a += b; d ^= a; d = rol32(d, 8);		\
	c += d; b ^= c; b = rol32(b, 7);		\
} while (0)

static void ref_block(u8 out[64], const u32 key[8], uint64_t counter)
{
	u32 in[16], x[16];
	int i;

	in[0] = 0x61707865;
	in[1] = 0x3320646e;
	in[2] = 0x79622d32;
	in[3] = 0x6b206574;
	for (i = 0; i < 8; i++)
		in[4 + i] = key[i];
	in[12] = (u32)counter;
	in[13] = (u32)(counter >> 32);
	in[14] = 0;
	in[15] = 0;
	memcpy(x, in, sizeof(x));
	for (i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (i = 0; i < 16; i++) {
		u32 v = x[i] + in[i];

		out[4 * i + 0] = v;
		out[4 * i + 1] = v >> 8;
		out[4 * i + 2] = v >> 16;
		out[4 * i + 3] = v >> 24;
	}
}

static void ref_blocks(u8 *out, const u32 key[8], uint64_t *counter,
		       size_t nblocks)
{
	while (nblocks--)
		ref_block(out, key, (*counter)++), out += 64;
}

static void key_from_bytes(u32 key[8], const u8 bytes[32])
{
	int i;

	for (i = 0; i < 8; i++)
		key[i] = bytes[4 * i] | bytes[4 * i + 1] << 8 |
			 bytes[4 * i + 2] << 16 | (u32)bytes[4 * i + 3] << 24;
}

/* ---------------------------------------------------------------------
 * Published known answers: RFC 7539 (and 8439) appendix A.1, test vectors
 * 1 to 4, whose 96-bit nonce is zero and whose counter is below 2^32, so
 * that they are also vectors of the original ChaCha20 with a zero 64-bit
 * nonce, which is what the vDSO uses.
 */
static const struct {
	u8 key[32];
	uint64_t counter;
	const char *hex;
} kat[] = {
	{ { 0 }, 0,
	  "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
	  "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586" },
	{ { 0 }, 1,
	  "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
	  "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f" },
	{ { [31] = 1 }, 1,
	  "3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a"
	  "8eca00bbb4a73bdad192b5c42f73f2fd4e273644c8b36125a64addeb006c13a0" },
	{ { [1] = 0xff }, 2,
	  "72d54dfbf12ec44b362692df94137f328fea8da73990265ec1bbbea1ae9af0ca"
	  "13b25aa26cb4a648cb9b9d1be65b2c0924a66c54d545ec1b7374f4872e99f096" },
};

static void unhex(u8 *out, const char *hex, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		sscanf(hex + 2 * i, "%2hhx", &out[i]);
}

/* ---------------------------------------------------------------------
 * Synthetic vDSO data page, mocked system call, hooked block function.
 */

struct vdso_rng_data unit_rng_data;
void (*unit_before_read)(const void *p, size_t size);

static uint64_t prng_state = 0x0123456789abcdefULL;

static uint64_t prng(void)
{
	/* splitmix64: deterministic, so failures are reproducible */
	uint64_t z = (prng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void prng_fill(void *buf, size_t len)
{
	u8 *p = buf;

	while (len--)
		*p++ = prng();
}

static struct {
	unsigned int calls;
	void *buf;
	size_t len;
	unsigned int flags;
	ssize_t fail_next;	/* return this from the next call */
	bool no_write;		/* do not fill the buffer */
	bool bump;		/* reseed while serving the call */
	/* Run first by each call, as a signal taken on entry would. */
	void (*before)(void *buffer, size_t len);
	u8 first[32];		/* first bytes written by the last call */
	u8 log[16][32];		/* first bytes written by the first calls */
} sys;

ssize_t unit_getrandom_syscall(void *buffer, size_t len, unsigned int flags)
{
	ssize_t ret;

	if (sys.before)
		sys.before(buffer, len);
	sys.calls++;
	if (sys.bump) {
		unit_rng_data.generation++;
		sys.bump = false;
	}
	sys.buf = buffer;
	sys.len = len;
	sys.flags = flags;

	if (sys.fail_next) {
		ret = sys.fail_next;
		sys.fail_next = 0;
		return ret;
	}
	/* What the real system call does, as far as the vDSO can tell. */
	if (flags & ~GRND_ALL)
		return -EINVAL;
	if ((flags & (GRND_INSECURE | GRND_RANDOM)) ==
	    (GRND_INSECURE | GRND_RANDOM))
		return -EINVAL;
	if (!unit_rng_data.is_ready && !(flags & GRND_INSECURE))
		return (flags & GRND_NONBLOCK) ? -EAGAIN : -EINTR;
	if (len > MAX_RW_COUNT)
		len = MAX_RW_COUNT;
	if (!buffer && len)
		return -EFAULT;
	if (!sys.no_write) {
		prng_fill(buffer, len);
		memcpy(sys.first, buffer, len < 32 ? len : 32);
		if (sys.calls <= ARRAY_SIZE(sys.log))
			memcpy(sys.log[sys.calls - 1], sys.first, 32);
	}
	return len;
}

static struct {
	unsigned int calls;
	size_t nblocks[8];	/* of the first calls */
	bool skip;		/* only advance the counter */
	/* Run after the real function, with the call's ordinal (from 1). */
	void (*after)(unsigned int call);
} chacha;

void __arch_chacha20_blocks_nostack(u8 *dst, const u32 *key, u32 *counter,
				    size_t nblocks)
{
	unsigned int n = ++chacha.calls;

	if (n <= 8)
		chacha.nblocks[n - 1] = nblocks;
	if (chacha.skip) {
		uint64_t c = counter[0] | (uint64_t)counter[1] << 32;

		c += nblocks;
		counter[0] = c;
		counter[1] = c >> 32;
	} else {
		real_chacha20_blocks_nostack(dst, key, counter, nblocks);
	}
	if (chacha.after)
		chacha.after(n);
}

typedef void (*copy_fn)(void *dst, void *src, size_t len);

static struct {
	unsigned int calls;
	unsigned int short_calls;	/* below VGETRANDOM_ARCH_COPY_MIN */
	copy_fn fn;			/* the fastest this CPU has */
} copy;

void __arch_memcpy_and_zero_src(void *dst, void *src, size_t len)
{
	copy.calls++;
	if (len < VGETRANDOM_ARCH_COPY_MIN)
		copy.short_calls++;
	copy.fn(dst, src, len);
}

static void reset_mocks(void)
{
	copy_fn fn = copy.fn;

	memset(&sys, 0, sizeof(sys));
	memset(&chacha, 0, sizeof(chacha));
	memset(&copy, 0, sizeof(copy));
	copy.fn = fn;
	unit_rng_data.is_ready = 1;
	unit_rng_data.generation = 1;
}

/* ---------------------------------------------------------------------
 * A model of the algorithm on top of the reference block function: what
 * the output must be, byte for byte, given the keys the mock handed out.
 */
struct model {
	u32 key[8];
	u8 batch[BATCH_SIZE];
	size_t pos;
};

static void model_rekey(struct model *m, const u8 key[32])
{
	key_from_bytes(m->key, key);
	m->pos = BATCH_SIZE;
}

static void model_generate(struct model *m, u8 *out, size_t len)
{
	u8 refill[VGETRANDOM_CHACHA_BLOCK_SIZE * VGETRANDOM_REFILL_BLOCKS];
	uint64_t counter = 0;
	size_t n, nblocks;

	n = BATCH_SIZE - m->pos < len ? BATCH_SIZE - m->pos : len;
	memcpy(out, m->batch + m->pos, n);
	m->pos += n;
	out += n;
	len -= n;
	if (!len)
		return;
	/* whole blocks beyond a multiple of the refill, if the batch can serve them */
	nblocks = len / 64;
	if (len - (nblocks - nblocks % VGETRANDOM_REFILL_BLOCKS) * 64 <= BATCH_SIZE)
		nblocks -= nblocks % VGETRANDOM_REFILL_BLOCKS;
	ref_blocks(out, m->key, &counter, nblocks);
	out += nblocks * 64;
	len -= nblocks * 64;
	ref_blocks(refill, m->key, &counter, VGETRANDOM_REFILL_BLOCKS);
	memcpy(m->batch, refill, BATCH_SIZE);
	key_from_bytes(m->key, refill + BATCH_SIZE);
	memcpy(out, m->batch, len);
	m->pos = len;
}

/* ---------------------------------------------------------------------
 * Helpers.
 */

/* A page-aligned state, as a libc would carve it out of an mmap(). */
static struct vgetrandom_state *new_state(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	return p;
}

static void free_state(struct vgetrandom_state *s)
{
	munmap((void *)((uintptr_t)s & ~4095UL), 4096);
}

static bool all_zero(const void *p, size_t len)
{
	const u8 *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

static int fails;

/* Records why a test point failed; the point reports the first reason. */
static char why[256];

static void failf(const char *fmt, ...)
{
	va_list ap;

	if (fails++)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
}

#define CHECK(cond, ...) do { if (!(cond)) failf(__VA_ARGS__); } while (0)

static void begin(void)
{
	fails = 0;
	why[0] = 0;
	reset_mocks();
}

static void end(const char *variant, const char *name)
{
	if (fails)
		ksft_print_msg("%s: %s: %s\n", variant, name, why);
	ksft_test_result(!fails, "%s: %s\n", variant, name);
}

static const char *vname;
static vgetrandom_t vgr;

/* Calls vgetrandom() on a state and checks the output against the model. */
static void call_and_model(struct vgetrandom_state *s, struct model *m,
			   size_t len, unsigned int flags)
{
	static u8 got[70000], want[70000];
	unsigned int calls = sys.calls;
	ssize_t ret;

	memset(got, 0xaa, len + 16);
	ret = vgr(got, len, flags, s, sizeof(*s));
	CHECK(ret == (ssize_t)len, "len %zu: returned %zd", len, ret);
	CHECK(sys.calls == calls, "len %zu: made a system call", len);
	model_generate(m, want, len);
	CHECK(!memcmp(got, want, len), "len %zu: output differs from model",
	      len);
	CHECK(got[len] == 0xaa, "len %zu: wrote past the end", len);
	CHECK(!s->in_use, "len %zu: left in_use set", len);
}

/* ---------------------------------------------------------------------
 * Tests of the generic code, run for each build variant.
 */

static void test_query(void)
{
	struct vgetrandom_opaque_params params;
	ssize_t ret;
	size_t i;

	begin();
	unit_rng_data.is_ready = 0;	/* must not matter */
	memset(&params, 0xff, sizeof(params));
	ret = vgr(NULL, 0, 0, &params, ~0UL);
	CHECK(ret == 0, "returned %zd", ret);
	CHECK(params.size_of_opaque_state == sizeof(struct vgetrandom_state),
	      "size %u", params.size_of_opaque_state);
	CHECK(params.mmap_prot == (PROT_READ | PROT_WRITE), "prot %#x",
	      params.mmap_prot);
	/* MAP_DROPPABLE is 0x08 */
	CHECK(params.mmap_flags == (0x08 | MAP_ANONYMOUS), "flags %#x",
	      params.mmap_flags);
	for (i = 0; i < ARRAY_SIZE(params.reserved); i++)
		CHECK(!params.reserved[i], "reserved[%zu] not zeroed", i);
	CHECK(sys.calls == 0, "made a system call");
	CHECK(sizeof(params) == 64, "params are %zu bytes", sizeof(params));
	end(vname, "query call fills vgetrandom_opaque_params");

	/* Anything but exactly (NULL, 0, 0, &params, ~0UL) is no query. */
	begin();
	memset(&params, 0xff, sizeof(params));
	ret = vgr(&i, 0, 0, &params, ~0UL);
	CHECK(ret == 0 && sys.calls == 1, "buffer: ret %zd, %u syscalls", ret,
	      sys.calls);
	ret = vgr(NULL, 1, 0, &params, ~0UL);
	CHECK(sys.calls == 2, "len: %u syscalls", sys.calls);
	ret = vgr(NULL, 0, GRND_NONBLOCK, &params, ~0UL);
	CHECK(sys.calls == 3, "flags: %u syscalls", sys.calls);
	ret = vgr(NULL, 0, 0, NULL, ~0UL);
	CHECK(sys.calls == 4 && ret == 0, "NULL params: %u syscalls",
	      sys.calls);
	CHECK(params.size_of_opaque_state == 0xffffffff, "params written");
	end(vname, "near-query calls are plain getrandom()");
}

static void test_not_ready(void)
{
	struct vgetrandom_state *s = new_state();
	u8 buf[64];
	ssize_t ret;

	begin();
	unit_rng_data.is_ready = 0;
	ret = vgr(buf, sizeof(buf), GRND_NONBLOCK, s, sizeof(*s));
	CHECK(ret == -EAGAIN, "NONBLOCK returned %zd", ret);
	CHECK(sys.calls == 1 && sys.buf == buf && sys.len == sizeof(buf) &&
	      sys.flags == GRND_NONBLOCK, "syscall args differ");
	ret = vgr(buf, 0, 0, s, sizeof(*s));
	CHECK(ret == -EINTR && sys.calls == 2 && sys.len == 0,
	      "len 0 did not go to the system call (ret %zd)", ret);
	ret = vgr(buf, sizeof(buf), GRND_INSECURE, s, sizeof(*s));
	CHECK(ret == sizeof(buf) && sys.calls == 3 &&
	      sys.flags == GRND_INSECURE, "INSECURE not passed through");
	CHECK(all_zero(s, sizeof(*s)), "state touched");
	end(vname, "RNG not ready: system call, state untouched");
	free_state(s);
}

static void test_flags(void)
{
	static const unsigned int bad[] = {
		0x8, 0x80000000, GRND_NONBLOCK | 0x10,
		GRND_INSECURE | GRND_RANDOM,
		GRND_INSECURE | GRND_RANDOM | GRND_NONBLOCK,
	};
	struct vgetrandom_state *s = new_state();
	unsigned int i;
	u8 buf[16];
	ssize_t ret;

	begin();
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ret = vgr(buf, sizeof(buf), bad[i], s, sizeof(*s));
		CHECK(ret == -EINVAL, "flags %#x returned %zd", bad[i], ret);
		CHECK(sys.calls == i + 1 && sys.flags == bad[i],
		      "flags %#x not passed to the system call", bad[i]);
	}
	ret = vgr(buf, 0, 0x8, s, sizeof(*s));
	CHECK(ret == -EINVAL, "len 0 with bad flags returned %zd", ret);
	CHECK(all_zero(s, sizeof(*s)), "state touched");
	end(vname, "unknown or invalid flags: system call's -EINVAL");

	begin();
	for (i = 0; i < 3; i++) {
		unsigned int f = (unsigned int[]){ GRND_NONBLOCK, GRND_RANDOM,
						   GRND_INSECURE }[i];

		ret = vgr(buf, sizeof(buf), f, s, sizeof(*s));
		CHECK(ret == sizeof(buf), "flags %#x returned %zd", f, ret);
	}
	ret = vgr(buf, sizeof(buf), GRND_NONBLOCK | GRND_RANDOM, s, sizeof(*s));
	CHECK(ret == sizeof(buf), "NONBLOCK|RANDOM returned %zd", ret);
	ret = vgr(buf, sizeof(buf), GRND_NONBLOCK | GRND_INSECURE, s,
		  sizeof(*s));
	CHECK(ret == sizeof(buf), "NONBLOCK|INSECURE returned %zd", ret);
	/* One system call: the first key; the rest is served in userspace. */
	CHECK(sys.calls == 1 && sys.len == 32 && sys.flags == 0,
	      "%u system calls", sys.calls);
	end(vname, "known flags are served without system calls");
	free_state(s);
}

static void test_opaque_len(void)
{
	struct vgetrandom_state *s = new_state();
	const size_t lens[] = { 0, sizeof(*s) - 1, sizeof(*s) + 1, 4096,
				~0UL };
	unsigned int i;
	u8 buf[16];
	ssize_t ret;

	begin();
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		ret = vgr(buf, sizeof(buf), 0, s, lens[i]);
		CHECK(ret == sizeof(buf) && sys.calls == i + 1 &&
		      sys.buf == buf && sys.len == sizeof(buf),
		      "opaque_len %zu not a system call", lens[i]);
	}
	CHECK(all_zero(s, sizeof(*s)), "state touched");
	ret = vgr(buf, sizeof(buf), 0, NULL, sizeof(*s));
	CHECK(ret == sizeof(buf) && sys.calls == i + 1,
	      "NULL state not a system call");
	end(vname, "wrong opaque_len or no state: system call");
	free_state(s);
}

static void test_straddle(void)
{
	u8 *pages = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct vgetrandom_state *s;
	size_t off;
	u8 buf[16];
	ssize_t ret;

	begin();
	for (off = 4096 - sizeof(*s) + 8; off < 4096; off += 8) {
		s = (void *)(pages + off);
		ret = vgr(buf, sizeof(buf), 0, s, sizeof(*s));
		CHECK(ret == -EFAULT, "offset %zu returned %zd", off, ret);
	}
	CHECK(sys.calls == 0, "made a system call");
	CHECK(all_zero(pages, 8192), "memory touched");
	s = (void *)(pages + 4096 - sizeof(*s));
	ret = vgr(buf, sizeof(buf), 0, s, sizeof(*s));
	CHECK(ret == sizeof(buf), "state ending the page returned %zd", ret);
	end(vname, "state straddling a page: -EFAULT");
	munmap(pages, 8192);
}

static void test_len0(void)
{
	struct vgetrandom_state *s = new_state();
	ssize_t ret;

	begin();
	ret = vgr(NULL, 0, 0, s, sizeof(*s));
	CHECK(ret == 0, "returned %zd", ret);
	ret = vgr(NULL, 0, GRND_NONBLOCK | GRND_INSECURE, s, sizeof(*s));
	CHECK(ret == 0, "returned %zd", ret);
	CHECK(sys.calls == 0, "made a system call");
	CHECK(all_zero(s, sizeof(*s)), "state touched");
	end(vname, "len 0 with a ready RNG returns 0");
	free_state(s);
}

static void test_zeroed_state(void)
{
	struct vgetrandom_state *s = new_state();
	struct model m;
	u8 buf[8];
	ssize_t ret;

	begin();
	unit_rng_data.generation = 42;
	ret = vgr(buf, sizeof(buf), 0, s, sizeof(*s));
	CHECK(ret == sizeof(buf), "returned %zd", ret);
	CHECK(sys.calls == 1 && sys.buf == (void *)s->key && sys.len == 32 &&
	      sys.flags == 0, "no key fetch into the state");
	CHECK(s->generation == 42, "generation %lu", s->generation);
	CHECK(!s->in_use, "in_use left set");
	model_rekey(&m, sys.first);
	{
		u8 want[8];

		model_generate(&m, want, sizeof(want));
		CHECK(!memcmp(buf, want, sizeof(buf)), "output differs");
		CHECK(!all_zero(buf, sizeof(buf)), "zero output");
	}
	end(vname, "zeroed state: keyed from the system call");

	/* Wiped on fork or dropped between calls: zero again. */
	begin();
	memset(s, 0, sizeof(*s));
	ret = vgr(buf, sizeof(buf), 0, s, sizeof(*s));
	CHECK(ret == sizeof(buf) && sys.calls == 1 && sys.len == 32,
	      "wiped state not rekeyed");
	model_rekey(&m, sys.first);
	{
		u8 want[8];

		model_generate(&m, want, sizeof(want));
		CHECK(!memcmp(buf, want, sizeof(buf)), "output differs");
	}
	end(vname, "wiped state: generation 0 never matches");
	free_state(s);
}

static void test_sequence(void)
{
	static const size_t big[] = { 63, 64, 65, 223, 224, 225, 256, 1000,
				      4096, 4096 + 7, 65536 + 33 };
	struct vgetrandom_state *s = new_state();
	struct model m;
	size_t len, i;
	u8 tmp[1];

	begin();
	vgr(tmp, 1, 0, s, sizeof(*s));
	model_rekey(&m, sys.first);
	model_generate(&m, tmp, 1);
	for (len = 1; len <= 300; len++) {
		call_and_model(s, &m, len, 0);
		CHECK(s->left <= BATCH_SIZE &&
		      all_zero(s->batch, BATCH_SIZE - s->left),
		      "len %zu: served batch bytes not zeroed", len);
	}
	for (i = 0; i < ARRAY_SIZE(big); i++) {
		call_and_model(s, &m, big[i], 0);
		CHECK(all_zero(s->batch, BATCH_SIZE - s->left),
		      "len %zu: served batch bytes not zeroed", big[i]);
	}
	CHECK(sys.calls == 1, "%u system calls", sys.calls);
	end(vname, "odd and large sizes match the model, served bytes zeroed");
	free_state(s);
}

static void test_key_erasure(void)
{
	struct vgetrandom_state *s = new_state();
	u32 keys[40][8];
	unsigned int i, j, refills = 0;
	u8 buf[100];

	begin();
	vgr(buf, 1, 0, s, sizeof(*s));
	/* The fetched key must not be in the state once output was made. */
	CHECK(!memmem(s, sizeof(*s), sys.first, 32), "fetched key still there");
	memcpy(keys[refills++], s->key, 32);
	for (i = 0; i < 800 && refills < ARRAY_SIZE(keys); i++) {
		unsigned int before = chacha.calls;

		vgr(buf, 1 + i % 100, 0, s, sizeof(*s));
		if (chacha.calls == before)
			continue;
		for (j = 0; j < refills; j++)
			CHECK(memcmp(keys[j], s->key, 32),
			      "key after refill %u repeats key %u", refills, j);
		memcpy(keys[refills++], s->key, 32);
	}
	CHECK(refills >= 20, "only %u refills", refills);
	CHECK(sys.calls == 1, "%u system calls", sys.calls);
	end(vname, "fast key erasure: every refill replaces the key");
	free_state(s);
}

static void bump_generation(unsigned int call)
{
	(void)call;
	unit_rng_data.generation++;
}

static void test_generation(void)
{
	struct vgetrandom_state *s = new_state();
	struct model m;
	u8 tmp[1];

	begin();
	vgr(tmp, 1, 0, s, sizeof(*s));
	model_rekey(&m, sys.first);
	model_generate(&m, tmp, 1);
	call_and_model(s, &m, 10, 0);
	unit_rng_data.generation = 7;
	vgr(tmp, 1, 0, s, sizeof(*s));
	CHECK(sys.calls == 2 && sys.len == 32 && s->generation == 7,
	      "no rekey after a reseed");
	model_rekey(&m, sys.first);
	model_generate(&m, tmp, 1);
	call_and_model(s, &m, 300, 0);
	/* Wrapping around zero is the kernel's job; zero must not be used. */
	unit_rng_data.generation = 0;
	s->generation = 0;
	memset(tmp, 0, sizeof(tmp));
	vgr(tmp, 1, 0, s, sizeof(*s));
	CHECK(sys.calls == 3 && sys.len == 1,
	      "generation 0 in the data page not a system call");
	end(vname, "reseed between calls: rekey from the system call");
	free_state(s);
}

static unsigned int bump_once_at;

static void bump_once(unsigned int call)
{
	if (call == bump_once_at)
		unit_rng_data.generation++;
}

static void test_generation_mid_call(void)
{
	struct vgetrandom_state *s = new_state();
	static u8 buf[1000], want[1000];
	unsigned int first;
	struct model m;
	ssize_t ret;

	/* Reseed during the first block function call: retry once. */
	begin();
	chacha.after = bump_once;
	bump_once_at = 1;
	ret = vgr(buf, sizeof(buf), 0, s, sizeof(*s));
	CHECK(ret == sizeof(buf), "returned %zd", ret);
	CHECK(sys.calls == 2 && sys.len == 32, "%u system calls, not 2 keys",
	      sys.calls);
	CHECK(s->generation == 2, "generation %lu", s->generation);
	model_rekey(&m, sys.first);
	model_generate(&m, want, sizeof(want));
	CHECK(!memcmp(buf, want, sizeof(buf)), "output not from the new key");
	CHECK(!s->in_use, "in_use left set");
	end(vname, "reseed mid-call: output made again with a new key");

	/* Reseed during the refill of a small request served from batch. */
	begin();
	s->generation = 0;
	vgr(buf, 1, 0, s, sizeof(*s));
	model_rekey(&m, sys.first);
	model_generate(&m, want, 1);
	first = chacha.calls;
	chacha.after = bump_once;
	bump_once_at = first + 1;
	ret = vgr(buf, BATCH_SIZE, 0, s, sizeof(*s));
	CHECK(ret == BATCH_SIZE && sys.calls == 2,
	      "no retry after reseed in refill (%u syscalls)", sys.calls);
	model_rekey(&m, sys.first);
	model_generate(&m, want, BATCH_SIZE);
	CHECK(!memcmp(buf, want, BATCH_SIZE), "output not from the new key");
	end(vname, "reseed during a refill: retried");

	/*
	 * Reseed while the key is being fetched: the state must keep the
	 * generation read before the fetch, so that the change is noticed.
	 */
	begin();
	s->generation = 0;
	sys.bump = true;
	ret = vgr(buf, 100, 0, s, sizeof(*s));
	CHECK(ret == 100 && sys.calls == 2 && sys.len == 32,
	      "reseed during the key fetch went unnoticed (%u syscalls)",
	      sys.calls);
	CHECK(s->generation == 2, "generation %lu", s->generation);
	model_rekey(&m, sys.first);
	model_generate(&m, want, 100);
	CHECK(!memcmp(buf, want, 100), "output not from the new key");
	end(vname, "reseed during the key fetch: rekeyed again");

	/* Reseed on every attempt: retry once, then the system call. */
	begin();
	chacha.after = bump_generation;
	memset(buf, 0, sizeof(buf));
	ret = vgr(buf, sizeof(buf), GRND_NONBLOCK, s, sizeof(*s));
	CHECK(ret == sizeof(buf), "returned %zd", ret);
	CHECK(sys.calls == 3, "%u system calls, not 2 keys + fallback",
	      sys.calls);
	CHECK(sys.buf == buf && sys.len == sizeof(buf) &&
	      sys.flags == GRND_NONBLOCK, "fallback arguments differ");
	CHECK(!memcmp(buf, sys.first, 32), "output not the system call's");
	CHECK(!s->in_use, "in_use left set");
	end(vname, "generation moving on every try: one retry, then syscall");
	free_state(s);
}

static struct vgetrandom_state *drop_target;

static void drop_state(unsigned int call)
{
	if (call == 1)
		memset(drop_target, 0, sizeof(*drop_target));
}

/*
 * Dropped after its refill, the call cannot trust anything it made: it
 * leaves the state to be rekeyed and makes the system call.
 */
static void test_dropped_mid_call(void)
{
	struct vgetrandom_state *s = new_state();
	/* More than the batch holds, so that the call refills it. */
	static u8 buf[BATCH_SIZE + 76];
	ssize_t ret;

	begin();
	vgr(buf, 1, 0, s, sizeof(*s));
	drop_target = s;
	chacha.after = drop_state;
	chacha.calls = 0;
	ret = vgr(buf, sizeof(buf), 0, s, sizeof(*s));
	chacha.after = NULL;
	CHECK(ret == sizeof(buf), "returned %zd", ret);
	CHECK(sys.calls == 2 && sys.buf == buf && sys.len == sizeof(buf),
	      "no system call into the buffer after the drop");
	CHECK(!memcmp(buf, sys.first, 32), "output not the system call's");
	CHECK(s->generation == 0 && !s->in_use, "state not left to rekey");
	ret = vgr(buf, 64, 0, s, sizeof(*s));
	CHECK(ret == 64 && sys.calls == 3 && sys.len == 32 &&
	      s->generation == 1, "next call did not rekey");
	end(vname, "state dropped (zeroed) after the refill: system call");
	free_state(s);
}

/*
 * A drop, a fork wipe, then a call from a signal handler, in the middle of
 * the copy of an inline call: the hook below runs before every load of
 * the code under test and, counting the bytes loaded from the batch, zeroes
 * the state once the outer call has loaded mid.drop_after of them (as a
 * drop or, in the child, a fork from a signal handler would), then calls
 * in on the same state once it has loaded mid.reenter_after (as a handler
 * in the child would). The outer call then reads zeroes, then the
 * handler's fresh keystream, and clears bytes of it; checking generations
 * only, it would hand out the zeroes, and the calls after it would serve
 * the bytes it cleared.
 */
static struct {
	struct vgetrandom_state *s;
	size_t loaded, drop_after, reenter_after, again_after;
	bool dropped, reentered, again;
	ssize_t inner_ret, again_ret;
	u8 inner[16], again_out[16];
} mid;

static void mid_copy_hook(const void *p, size_t size)
{
	const u8 *b = p;

	if (b < mid.s->batch || b >= mid.s->batch + BATCH_SIZE)
		return;
	if (!mid.dropped && mid.loaded >= mid.drop_after) {
		mid.dropped = true;
		memset(mid.s, 0, sizeof(*mid.s));
	}
	if (mid.drop_after <= mid.reenter_after && !mid.reentered &&
	    mid.loaded >= mid.reenter_after) {
		mid.reentered = true;
		unit_before_read = NULL;
		mid.inner_ret = vgr(mid.inner, sizeof(mid.inner), 0, mid.s,
				    sizeof(*mid.s));
		unit_before_read = mid_copy_hook;
	}
	if (mid.reentered && !mid.again && mid.loaded >= mid.again_after) {
		mid.again = true;
		unit_before_read = NULL;
		mid.again_ret = vgr(mid.again_out, sizeof(mid.again_out), 0,
				    mid.s, sizeof(*mid.s));
		unit_before_read = mid_copy_hook;
	}
	mid.loaded += size;
}

/* Whether any aligned 8-byte word of buf is zero. */
static bool has_zero_word(const u8 *buf, size_t len)
{
	size_t i;

	for (i = 0; i + 8 <= len; i += 8)
		if (all_zero(buf + i, 8))
			return true;
	return false;
}

static void dropped_during_copy(bool reenter)
{
	struct vgetrandom_state *s = new_state();
	static u8 out[32], later[64][32];
	unsigned int calls;
	ssize_t ret;
	size_t i;

	begin();
	/* Keyed, with one byte served, so that the copy is unaligned. */
	vgr(out, 1, 0, s, sizeof(*s));
	memset(&mid, 0, sizeof(mid));
	mid.s = s;
	mid.drop_after = 8;
	mid.reenter_after = reenter ? 24 : SIZE_MAX;
	mid.again_after = SIZE_MAX;
	calls = sys.calls;
	unit_before_read = mid_copy_hook;
	ret = vgr(out, sizeof(out), 0, s, sizeof(*s));
	unit_before_read = NULL;

	CHECK(mid.dropped && mid.reentered == reenter,
	      "hook did not run (%zu bytes loaded)", mid.loaded);
	CHECK(ret == sizeof(out), "returned %zd", ret);
	CHECK(!has_zero_word(out, sizeof(out)),
	      "outer call returned bytes of the dropped page");
	CHECK(sys.buf == out && sys.len == sizeof(out) &&
	      !memcmp(out, sys.first, sizeof(out)),
	      "outer call did not make the system call");
	if (reenter) {
		CHECK(mid.inner_ret == sizeof(mid.inner) &&
		      !all_zero(mid.inner, 8) && !all_zero(mid.inner + 8, 8),
		      "inner call returned %zd", mid.inner_ret);
		CHECK(sys.calls == calls + 2, "%u system calls",
		      sys.calls - calls);
	}

	/* Every call after it: fresh keystream, never a cleared byte. */
	calls = sys.calls;
	for (i = 0; i < ARRAY_SIZE(later); i++) {
		ret = vgr(later[i], sizeof(later[i]), 0, s, sizeof(*s));
		CHECK(ret == sizeof(later[i]), "later call returned %zd", ret);
		CHECK(!has_zero_word(later[i], sizeof(later[i])),
		      "later call %zu served cleared bytes", i);
		if (reenter)
			CHECK(!memmem(later[i], sizeof(later[i]), mid.inner, 8),
			      "later call %zu repeats the handler's output", i);
	}
	CHECK(sys.calls == calls + 1 && sys.len == 32,
	      "the state was not rekeyed after the outer call");
	CHECK(!s->in_use, "in_use left set");
	end(vname, reenter ?
	    "state wiped mid-copy, then used by a handler: no zeroes out" :
	    "state dropped mid-copy: no zeroes out, rekeyed");
	free_state(s);
}

static void test_dropped_during_copy(void)
{
	dropped_during_copy(false);
	dropped_during_copy(true);
}

/*
 * The same drop, then two calls from signal handlers: the first right
 * after the drop, which keys the zeroed state afresh and leaves it usable,
 * the second once the outer call, not yet aware that its claim is gone,
 * has cleared bytes at the read position it had before the drop, on the
 * handler's page. vdso_getrandom.rst says what holds then: the outer call
 * and the first handler call give good bytes, and once the outer call
 * returns, no call serves anything that either handler call got or that
 * the outer call cleared. The second handler call may get cleared bytes:
 * that is only reported.
 */
static void test_two_handlers_after_drop(void)
{
	struct vgetrandom_state *s = new_state();
	static u8 out[32], later[64][32];
	ssize_t ret;
	size_t i;

	begin();
	vgr(out, 1, 0, s, sizeof(*s));
	memset(&mid, 0, sizeof(mid));
	mid.s = s;
	mid.drop_after = 8;
	mid.reenter_after = 8;
	mid.again_after = 24;
	unit_before_read = mid_copy_hook;
	ret = vgr(out, sizeof(out), 0, s, sizeof(*s));
	unit_before_read = NULL;

	CHECK(mid.dropped && mid.reentered && mid.again,
	      "hook did not run (%zu bytes loaded)", mid.loaded);
	CHECK(ret == sizeof(out) && !has_zero_word(out, sizeof(out)),
	      "outer call returned %zd, or bytes of the dropped page", ret);
	CHECK(mid.inner_ret == sizeof(mid.inner) &&
	      !has_zero_word(mid.inner, sizeof(mid.inner)),
	      "first handler call returned %zd, or zeroes", mid.inner_ret);
	CHECK(mid.again_ret == sizeof(mid.again_out),
	      "second handler call returned %zd", mid.again_ret);
	if (has_zero_word(mid.again_out, sizeof(mid.again_out)))
		ksft_print_msg("%s: second handler call got cleared bytes, as vdso_getrandom.rst allows\n",
			       vname);
	for (i = 0; i < ARRAY_SIZE(later); i++) {
		ret = vgr(later[i], sizeof(later[i]), 0, s, sizeof(*s));
		CHECK(ret == sizeof(later[i]) &&
		      !has_zero_word(later[i], sizeof(later[i])),
		      "later call %zu returned %zd, or cleared bytes", i, ret);
		CHECK(!memmem(later[i], sizeof(later[i]), mid.inner, 8) &&
		      !memmem(later[i], sizeof(later[i]), mid.again_out + 8, 8),
		      "later call %zu repeats a handler call", i);
	}
	end(vname, "state dropped mid-copy, then two handler calls: calls after it fine");
	free_state(s);
}

/*
 * The page dropped while a call rekeys the state, just before it stores
 * the new generation, and a signal handler calling in once that store is
 * made and before the key is fetched. The handler finds the state free and
 * keyed at the current generation, on a page of zeroes: it must not serve
 * them. Only one handler call is involved.
 */
static struct {
	struct vgetrandom_state *s;
	unsigned int gen_reads;
	bool dropped, entered;
	ssize_t inner_ret;
	u8 inner[16];
} rekey_drop;

static void rekey_drop_read(const void *p, size_t size)
{
	if (p == &rekey_drop.s->generation &&
	    ++rekey_drop.gen_reads == 2) {
		/* In the rekey loop, after the inline path gave up. */
		rekey_drop.dropped = true;
		memset(rekey_drop.s, 0, sizeof(*rekey_drop.s));
	}
}

static void rekey_drop_syscall(void *buffer, size_t len)
{
	if (!rekey_drop.dropped || rekey_drop.entered ||
	    buffer != rekey_drop.s->key)
		return;
	rekey_drop.entered = true;
	unit_before_read = NULL;
	sys.before = NULL;
	rekey_drop.inner_ret = vgr(rekey_drop.inner, sizeof(rekey_drop.inner),
				   0, rekey_drop.s, sizeof(*rekey_drop.s));
}

static void test_dropped_before_rekey(void)
{
	struct vgetrandom_state *s = new_state();
	static u8 out[32];
	ssize_t ret;

	begin();
	vgr(out, sizeof(out), 0, s, sizeof(*s));
	unit_rng_data.generation++;
	memset(&rekey_drop, 0, sizeof(rekey_drop));
	rekey_drop.s = s;
	unit_before_read = rekey_drop_read;
	sys.before = rekey_drop_syscall;
	ret = vgr(out, sizeof(out), 0, s, sizeof(*s));
	unit_before_read = NULL;
	sys.before = NULL;

	CHECK(rekey_drop.dropped && rekey_drop.entered,
	      "hooks did not run (%u reads of the generation)",
	      rekey_drop.gen_reads);
	CHECK(ret == sizeof(out) && !has_zero_word(out, sizeof(out)),
	      "outer call returned %zd, or zeroes", ret);
	CHECK(rekey_drop.inner_ret == sizeof(rekey_drop.inner),
	      "handler call returned %zd", rekey_drop.inner_ret);
	CHECK(!has_zero_word(rekey_drop.inner, sizeof(rekey_drop.inner)),
	      "handler call served the zeroes of the dropped page");
	ret = vgr(out, sizeof(out), 0, s, sizeof(*s));
	CHECK(ret == sizeof(out) && !has_zero_word(out, sizeof(out)),
	      "next call returned %zd, or zeroes", ret);
	end(vname, "state dropped as a call rekeys it, then a handler call");
	free_state(s);
}

static struct vgetrandom_state *reenter_target;
static ssize_t reenter_ret;
static unsigned int reenter_syscalls;
static u8 reenter_buf[48];

static void reenter(unsigned int call)
{
	unsigned int before = sys.calls;

	/* The outer call's only block function call: its refill. */
	if (call != 1)
		return;
	/* As a signal handler would, on the same thread and state. */
	reenter_ret = vgr(reenter_buf, sizeof(reenter_buf), 0, reenter_target,
			  sizeof(*reenter_target));
	reenter_syscalls = sys.calls - before;
}

static void test_in_use(void)
{
	struct vgetrandom_state *s = new_state();
	struct vgetrandom_state copy;
	static u8 buf[200], want[200];
	struct model m;
	ssize_t ret;

	begin();
	vgr(buf, 1, 0, s, sizeof(*s));
	s->in_use = true;
	memcpy(&copy, s, sizeof(copy));
	ret = vgr(buf, sizeof(buf), 0, s, sizeof(*s));
	CHECK(ret == sizeof(buf) && sys.calls == 2 && sys.buf == buf &&
	      sys.len == sizeof(buf), "in-use state not a system call");
	CHECK(!memcmp(&copy, s, sizeof(copy)), "in-use state modified");
	end(vname, "state in use: system call, state untouched");

	begin();
	memset(s, 0, sizeof(*s));
	reenter_target = s;
	reenter_ret = 0;
	chacha.after = reenter;
	ret = vgr(buf, sizeof(buf), 0, s, sizeof(*s));
	chacha.after = NULL;
	CHECK(reenter_ret == sizeof(reenter_buf) && reenter_syscalls == 1,
	      "inner call: ret %zd, %u system calls", reenter_ret,
	      reenter_syscalls);
	CHECK(sys.calls == 2 && sys.buf == reenter_buf,
	      "inner call not passed to the system call");
	CHECK(ret == sizeof(buf), "outer call returned %zd", ret);
	CHECK(!s->in_use, "in_use left set");
	/* The outer call goes on undisturbed with the key it fetched. */
	model_rekey(&m, sys.log[0]);
	model_generate(&m, want, sizeof(buf));
	CHECK(!memcmp(buf, want, sizeof(buf)), "outer output differs");
	CHECK(!memmem(buf, sizeof(buf), reenter_buf, 16),
	      "inner output inside the outer output");
	call_and_model(s, &m, 100, 0);
	end(vname, "re-entry from a signal handler: inner syscall, outer intact");
	free_state(s);
}

static void test_key_fetch_fails(void)
{
	struct vgetrandom_state *s = new_state();
	u8 buf[64];
	ssize_t ret;

	begin();
	unit_rng_data.generation = 5;
	sys.fail_next = -EINTR;
	ret = vgr(buf, sizeof(buf), 0, s, sizeof(*s));
	CHECK(sys.calls == 2, "%u system calls", sys.calls);
	CHECK(sys.buf == buf && sys.len == sizeof(buf) && sys.flags == 0,
	      "fallback arguments differ");
	CHECK(ret == sizeof(buf), "returned %zd", ret);
	CHECK(s->generation == 0, "state kept generation %lu", s->generation);
	CHECK(!s->in_use, "in_use left set");
	ret = vgr(buf, sizeof(buf), 0, s, sizeof(*s));
	CHECK(sys.calls == 3 && sys.len == 32 && ret == sizeof(buf),
	      "next call did not rekey");
	end(vname, "failed key fetch: system call, state invalidated");
	free_state(s);
}

static void test_max_rw_count(void)
{
	struct vgetrandom_state *s = new_state();
	const size_t area = MAX_RW_COUNT + 2 * 4096;
	u8 *buf = mmap(NULL, area, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	static const size_t lens[] = { SIZE_MAX, (size_t)INT_MAX + 1,
				       INT_MAX, MAX_RW_COUNT + 1 };
	unsigned int i;
	ssize_t ret;

	begin();
	if (buf == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	chacha.skip = true;	/* count blocks, do not write 2 GiB */
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		memset(s, 0, sizeof(*s));
		chacha.calls = 0;
		ret = vgr(buf, lens[i], 0, s, sizeof(*s));
		CHECK(ret == (ssize_t)MAX_RW_COUNT, "len %#zx returned %#zx",
		      lens[i], ret);
		CHECK(chacha.calls == 2 &&
		      chacha.nblocks[0] == MAX_RW_COUNT / 64 &&
		      chacha.nblocks[1] == VGETRANDOM_REFILL_BLOCKS,
		      "len %#zx: %u calls, %zu blocks", lens[i], chacha.calls,
		      chacha.nblocks[0]);
	}
	memset(s, 0, sizeof(*s));
	ret = vgr(buf, MAX_RW_COUNT, 0, s, sizeof(*s));
	CHECK(ret == (ssize_t)MAX_RW_COUNT, "MAX_RW_COUNT itself: %zd", ret);
	/* The fallback passes the length on as it is. */
	unit_rng_data.is_ready = 0;
	sys.no_write = true;
	vgr(buf, SIZE_MAX, GRND_INSECURE, s, sizeof(*s));
	CHECK(sys.len == SIZE_MAX, "fallback length %#zx", sys.len);
	end(vname, "length capped at MAX_RW_COUNT");
	munmap(buf, area);
	free_state(s);
}

static void run_generic_tests(const char *name, vgetrandom_t fn)
{
	vname = name;
	vgr = fn;
	test_query();
	test_not_ready();
	test_flags();
	test_opaque_len();
	test_straddle();
	test_len0();
	test_zeroed_state();
	test_sequence();
	test_key_erasure();
	test_generation();
	test_generation_mid_call();
	test_dropped_mid_call();
	test_dropped_during_copy();
	test_two_handlers_after_drop();
	test_dropped_before_rekey();
	test_in_use();
	test_key_fetch_fails();
	test_max_rw_count();
}

#define GENERIC_TESTS	26

#ifdef __x86_64__
/*
 * The x86-64 variant hands copies of VGETRANDOM_ARCH_COPY_MIN bytes and more
 * to the architecture's vector copy, each in one call, and shorter ones to
 * its own loop, which the inline common case needs.
 */
static void test_arch_copy_calls(void)
{
	static const size_t lens[] = { 1, 2, 63, 64, 65, 100, 200, 300 };
	struct vgetrandom_state *s = new_state();
	unsigned int expect = 0;
	size_t left, len, i;
	u8 buf[4096];

	vname = "x86";
	vgr = unit_vgetrandom_x86;
	begin();
	vgr(buf, 1, 0, s, sizeof(*s));
	left = BATCH_SIZE - 1;
	CHECK(copy.calls == 0, "1 byte: %u copies", copy.calls);
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		len = lens[i];
		vgr(buf, len, 0, s, sizeof(*s));
		left -= len;
		expect += len >= VGETRANDOM_ARCH_COPY_MIN;
		CHECK(copy.calls == expect, "%zu bytes from the batch: %u copies, want %u",
		      len, copy.calls, expect);
	}
	/* the rest of the batch, blocks straight to buf, then from the refill */
	CHECK(left >= VGETRANDOM_ARCH_COPY_MIN, "only %zu bytes left", left);
	vgr(buf, left + 16 * 64 + 100, 0, s, sizeof(*s));
	expect += 2;
	CHECK(copy.calls == expect, "large request: %u copies, want %u",
	      copy.calls, expect);
	CHECK(!copy.short_calls, "%u copies shorter than %d bytes",
	      copy.short_calls, VGETRANDOM_ARCH_COPY_MIN);
	end(vname, "vector copy for each copy of 64 bytes or more, none shorter");
	free_state(s);
}
#endif

/* ---------------------------------------------------------------------
 * Tests of the block function alone.
 */

typedef void (*blocks_fn)(u8 *dst, const u32 *key, u32 *counter,
			  size_t nblocks);

/* Read by the trampoline: the function it calls, which registers it saves. */
blocks_fn unit_chacha_fn;
unsigned int unit_chacha_regs;

struct chacha_impl {
	const char *name;
	blocks_fn fn;
	const char *cpu;		/* __builtin_cpu_supports() name */
	unsigned int regs;		/* for unit_chacha_regs */
};

#ifdef __x86_64__
void __arch_chacha20_blocks_nostack_sse2(u8 *dst, const u32 *key,
					 u32 *counter, size_t nblocks);
void __arch_chacha20_blocks_nostack_avx2(u8 *dst, const u32 *key,
					 u32 *counter, size_t nblocks);
void __arch_chacha20_blocks_nostack_avx512vl(u8 *dst, const u32 *key,
					     u32 *counter, size_t nblocks);

/*
 * Every implementation in the .S file, each by its own symbol, and the
 * entry point, which nothing patches here and so runs the SSE2 code.
 */
static const struct chacha_impl impls[] = {
	{ "entry", real_chacha20_blocks_nostack, NULL, 0 },
	{ "sse2", __arch_chacha20_blocks_nostack_sse2, NULL, 0 },
	{ "avx2", __arch_chacha20_blocks_nostack_avx2, "avx2", 1 },
	{ "avx512vl", __arch_chacha20_blocks_nostack_avx512vl, "avx512vl", 2 },
};

static bool impl_supported(const struct chacha_impl *im)
{
	if (!im->cpu)
		return true;
	/* These also check that the OS enabled the register state. */
	if (!strcmp(im->cpu, "avx2"))
		return __builtin_cpu_supports("avx2");
	return __builtin_cpu_supports("avx512f") &&
	       __builtin_cpu_supports("avx512vl");
}
#else
/* arm64: one implementation, in NEON, which every arm64 CPU has */
static const struct chacha_impl impls[] = {
	{ "neon", real_chacha20_blocks_nostack, NULL, 0 },
};

static bool impl_supported(const struct chacha_impl *im)
{
	return true;
}
#endif

static void test_chacha_ref_kat(void)
{
	unsigned int i, ref_ok = 0;
	u8 want[64], got[64];
	u32 key[8];
	uint64_t c;

	for (i = 0; i < ARRAY_SIZE(kat); i++) {
		unhex(want, kat[i].hex, 64);
		key_from_bytes(key, kat[i].key);
		c = kat[i].counter;
		ref_blocks(got, key, &c, 1);
		if (!memcmp(got, want, 64))
			ref_ok++;
	}
	ksft_test_result(ref_ok == ARRAY_SIZE(kat),
			 "chacha: C reference matches RFC 7539 A.1 vectors 1-4\n");
}

static void test_chacha_kat(const struct chacha_impl *im)
{
	unsigned int i, asm_ok = 0;
	u8 want[64], got[64];
	u32 key[8], counter[2];

	for (i = 0; i < ARRAY_SIZE(kat); i++) {
		unhex(want, kat[i].hex, 64);
		key_from_bytes(key, kat[i].key);
		counter[0] = kat[i].counter;
		counter[1] = kat[i].counter >> 32;
		im->fn(got, key, counter, 1);
		if (!memcmp(got, want, 64) && counter[0] == kat[i].counter + 1)
			asm_ok++;
	}
	ksft_test_result(asm_ok == ARRAY_SIZE(kat),
			 "chacha %s: matches RFC 7539 A.1 vectors 1-4\n",
			 im->name);
}

static void test_chacha_random(const struct chacha_impl *im)
{
	static const uint64_t special[] = {
		0, 1, 0xfffffffeULL, 0xffffffffULL, 0x100000000ULL,
		0x1fffffffdULL, 0xfffffffffffffffeULL, 0xffffffffffffffffULL,
	};
	static u8 got[64 * 160 + 64], want[64 * 160];
	unsigned int i, bad = 0, bad_guard = 0, bad_ctr = 0, runs = 0;

	for (i = 0; i < 3000; i++) {
		u32 key[8], ctr[4];
		uint64_t c, c0;
		/*
		 * every count up to 79: each partial group of each width,
		 * also after whole groups of 32 (AVX-512)
		 */
		size_t n = i < 2000 ? i % 80 : prng() % 160;

		prng_fill(key, sizeof(key));
		c0 = i < 800 ? special[i % ARRAY_SIZE(special)] : prng();
		ctr[0] = 0x5a5a5a5a;
		ctr[1] = c0;
		ctr[2] = c0 >> 32;
		ctr[3] = 0xa5a5a5a5;
		memset(got, 0xcc, sizeof(got));
		im->fn(got + 32, key, &ctr[1], n);
		c = c0;
		ref_blocks(want, key, &c, n);
		if (memcmp(got + 32, want, n * 64))
			bad++;
		for (size_t g = 0; g < 32; g++)
			if (got[g] != 0xcc || got[32 + n * 64 + g] != 0xcc) {
				bad_guard++;
				break;
			}
		if (ctr[0] != 0x5a5a5a5a || ctr[3] != 0xa5a5a5a5 ||
		    ((uint64_t)ctr[2] << 32 | ctr[1]) != c0 + n)
			bad_ctr++;
		runs++;
	}
	ksft_test_result(!bad, "chacha %s: matches the C reference (%u runs, counters crossing 2^32 and 2^64)\n",
			 im->name, runs);
	ksft_test_result(!bad_ctr, "chacha %s: counter advanced by nblocks with carry, nothing else written\n",
			 im->name);
	ksft_test_result(!bad_guard, "chacha %s: writes exactly nblocks * 64 bytes\n",
			 im->name);
}

/*
 * The refill writes the new key over the one it is made from, at the end
 * of its output. Check that, and a key at the start of a longer output,
 * which the first group of blocks overwrites before the others are made.
 */
static void test_chacha_overlap(const struct chacha_impl *im)
{
	static const size_t counts[] = {
		VGETRANDOM_REFILL_BLOCKS, 1, 17, 40, 64,
	};
	static u8 out[64 * 64], want[sizeof(out)];
	bool ok = true;
	size_t i, at;

	for (i = 0; i < ARRAY_SIZE(counts); i++) {
		for (at = 0; at < 2; at++) {
			size_t n = counts[i], len = n * 64;
			size_t key_off = at ? len - 32 : 0;
			u32 key[8], ctr[2] = { 0, 0 };
			uint64_t c = 0;

			prng_fill(key, sizeof(key));
			ref_blocks(want, key, &c, n);
			memcpy(out + key_off, key, 32);
			im->fn(out, (u32 *)(out + key_off), ctr, n);
			ok &= !memcmp(out, want, len) && ctr[0] == n &&
			      ctr[1] == 0;
		}
	}
	ksft_test_result(ok, "chacha %s: output may overwrite the key it is made from (at its start or end)\n",
			 im->name);
}

#ifdef __x86_64__
/* The call pushes its return address: the 8 bytes below the stack top. */
#define CALL_PUSHES	8

static const char *regs_promise(const struct chacha_impl *im)
{
	static const char *const what[] = {
		"leaves xmm0-xmm15 zeroed", "leaves ymm0-ymm15 zeroed",
		"leaves zmm0-zmm31 and k0-k7 zeroed",
	};

	return what[im->regs];
}

/* The trampoline zeroed them: all the function may leave is zero too. */
static bool regs_clean(const struct chacha_impl *im, const u8 *regs,
		       const void *top, const u32 *key, const u8 *out,
		       size_t nblocks)
{
	static const size_t regs_len[] = { 256, 512, 2048 + 64 };

	return all_zero(regs, regs_len[im->regs]);
}
#else
/* A call stores nothing on arm64: the return address goes to x30. */
#define CALL_PUSHES	0
#define TRAMPOLINE_FILL	0xc3c3c3c3c3c3c3c3ULL

/* What trampoline-arm64.S stores; see there. */
struct arm64_regs {
	u8 v[32][16];
	u64 x[30];
	u64 sp, x18_before, x18_after;
};

static const char *regs_promise(const struct chacha_impl *im)
{
	return "leaves v0-v7 and v16-v31 zeroed (or unused), v8-v15, x18-x29 and sp intact, "
	       "no key or keystream word in x0-x17";
}

static bool word_in(u32 w, const u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i + 4 <= len; i += 4) {
		if (!memcmp(&w, p + i, 4))
			return true;
	}
	return false;
}

/*
 * The trampoline filled every vector register and the general registers
 * it could spare with TRAMPOLINE_FILL bytes. A vector register the
 * function may use must come back zeroed, or still filled if it was not
 * used; v8-v15 must not be touched at all, not even their upper halves;
 * the caller-clobbered x0-x17 may hold pointers and counters, but no
 * 32-bit word of the key or of the output (random keys, so a false match
 * is a 2^-32 event per comparison).
 */
static bool regs_clean(const struct chacha_impl *im, const u8 *regs,
		       const void *top, const u32 *key, const u8 *out,
		       size_t nblocks)
{
	const struct arm64_regs *r = (const void *)regs;
	u8 fill[16];
	unsigned int i;
	bool ok = true;

	_Static_assert(sizeof(struct arm64_regs) == 776, "trampoline-arm64.S");
	memset(fill, 0xc3, sizeof(fill));
	for (i = 0; i < 32; i++) {
		bool kept = !memcmp(r->v[i], fill, 16);

		if (i >= 8 && i <= 15 ? !kept : !kept && !all_zero(r->v[i], 16))
			ok = false;
	}
	for (i = 21; i <= 28; i++)
		ok &= r->x[i] == TRAMPOLINE_FILL;
	/* x29 is the trampoline's frame pointer, x20 its stack pointer */
	ok &= r->x[29] == r->x[20] && r->sp == (uintptr_t)top &&
	      r->x18_after == r->x18_before;
	for (i = 0; i < 18; i++) {
		u32 lo = r->x[i], hi = r->x[i] >> 32;

		if (word_in(lo, (const u8 *)key, 32) ||
		    word_in(hi, (const u8 *)key, 32) ||
		    word_in(lo, out, nblocks * 64) ||
		    word_in(hi, out, nblocks * 64))
			ok = false;
	}
	return ok;
}
#endif

static void test_chacha_nostack(const struct chacha_impl *im)
{
	static const size_t counts[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17 };
	const size_t size = 64 * 1024;
	u8 *stack = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	u8 *top = stack + size / 2;
	static u8 regs[2048 + 64], out[64 * 17], want[64 * 17];
	bool stack_ok = true, out_ok = true, regs_ok = true;
	size_t i, k;

	if (stack == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	unit_chacha_fn = im->fn;
	unit_chacha_regs = im->regs;
	for (k = 0; k < ARRAY_SIZE(counts); k++) {
		u32 key[8], ctr[2] = { 0xfffffffe, 7 };
		uint64_t c = 0x7fffffffeULL;

		prng_fill(key, sizeof(key));
		memset(stack, 0x5a, size);
		memset(regs, 0xee, sizeof(regs));
		unit_chacha_on_stack(top, out, key, ctr, counts[k], regs);
		/* All but the return address the call pushed is untouched. */
		for (i = 0; i < size; i++) {
			if (stack + i >= top - CALL_PUSHES && stack + i < top)
				continue;
			if (stack[i] != 0x5a)
				stack_ok = false;
		}
		ref_blocks(want, key, &c, counts[k]);
		if (memcmp(out, want, counts[k] * 64))
			out_ok = false;
		if (!regs_clean(im, regs, top, key, out, counts[k]))
			regs_ok = false;
	}
	ksft_test_result(stack_ok && out_ok,
			 "chacha %s: does not touch the stack or the red zone\n",
			 im->name);
	ksft_test_result(regs_ok, "chacha %s: %s\n", im->name,
			 regs_promise(im));
	munmap(stack, size);
}

static void test_chacha_zero_blocks(const struct chacha_impl *im)
{
	u8 buf[64];
	u32 key[8] = { 1, 2, 3 }, ctr[2] = { 0x1234, 0x5678 };

	memset(buf, 0x77, sizeof(buf));
	im->fn(buf, key, ctr, 0);
	ksft_test_result(ctr[0] == 0x1234 && ctr[1] == 0x5678 &&
			 buf[0] == 0x77 && buf[63] == 0x77,
			 "chacha %s: nblocks 0 writes nothing\n", im->name);
}

/* Tests per implementation, all skipped where the CPU lacks it. */
#define CHACHA_IMPL_TESTS	8

static void test_chacha_impl(const struct chacha_impl *im)
{
	unsigned int i;

	if (!impl_supported(im)) {
		for (i = 0; i < CHACHA_IMPL_TESTS; i++)
			ksft_test_result_skip("chacha %s: this CPU (or OS) has no %s\n",
					      im->name, im->cpu);
		return;
	}
	test_chacha_kat(im);
	test_chacha_random(im);
	test_chacha_overlap(im);
	test_chacha_nostack(im);
	test_chacha_zero_blocks(im);
}

#define CHACHA_TESTS	(1 + CHACHA_IMPL_TESTS * ARRAY_SIZE(impls))

#ifdef __x86_64__
/* ---------------------------------------------------------------------
 * Tests of the vector copy alone.
 */

void __arch_memcpy_and_zero_src_sse2(void *dst, void *src, size_t len);
void __arch_memcpy_and_zero_src_avx2(void *dst, void *src, size_t len);

/* The entry point, unpatched, runs the SSE2 code, as for the block function */
static const struct copy_impl {
	const char *name;
	copy_fn fn;
	const char *cpu;
	unsigned int regs;		/* for unit_chacha_regs */
} copy_impls[] = {
	{ "entry", real_memcpy_and_zero_src, NULL, 0 },
	{ "sse2", __arch_memcpy_and_zero_src_sse2, NULL, 0 },
	{ "avx2", __arch_memcpy_and_zero_src_avx2, "avx2", 1 },
};

/*
 * Every length from VGETRANDOM_ARCH_COPY_MIN to a little more than a batch,
 * at every alignment of either side modulo 32, between guard bytes.
 */
static void test_copy_lengths(const struct copy_impl *im)
{
	static u8 src[1200], dst[1200], want[1200];
	unsigned int bad = 0, bad_zero = 0, bad_guard = 0, runs = 0;
	size_t len, i;

	for (len = VGETRANDOM_ARCH_COPY_MIN; len <= 1100; len++) {
		size_t so = len % 32, doff = (len * 7) % 32;

		prng_fill(src, sizeof(src));
		memcpy(want, src, sizeof(want));
		memset(dst, 0xcc, sizeof(dst));
		im->fn(dst + 32 + doff, src + 32 + so, len);
		if (memcmp(dst + 32 + doff, want + 32 + so, len))
			bad++;
		if (!all_zero(src + 32 + so, len))
			bad_zero++;
		for (i = 0; i < sizeof(src); i++) {
			bool in_src = i >= 32 + so && i < 32 + so + len;
			bool in_dst = i >= 32 + doff && i < 32 + doff + len;

			if ((!in_src && src[i] != want[i]) ||
			    (!in_dst && dst[i] != 0xcc)) {
				bad_guard++;
				break;
			}
		}
		runs++;
	}
	ksft_test_result(!bad && !bad_zero && !bad_guard,
			 "copy %s: copies and zeroes %d to 1100 bytes at any alignment, nothing else (%u runs: %u wrong, %u not zeroed, %u outside)\n",
			 im->name, VGETRANDOM_ARCH_COPY_MIN, runs, bad, bad_zero,
			 bad_guard);
}

/* On the guarded stack of test_chacha_nostack(), through the same trampoline */
static void test_copy_nostack(const struct copy_impl *im)
{
	static const size_t lens[] = { 64, 65, 100, 992, 1000 };
	const size_t size = 64 * 1024;
	u8 *stack = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	u8 *top = stack + size / 2;
	static u8 regs[512], src[1000], dst[1000], want[1000];
	bool stack_ok = true, out_ok = true, regs_ok = true;
	size_t i, k;

	if (stack == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	/* the trampoline passes on four arguments; the copy takes three */
	unit_chacha_fn = (blocks_fn)(void (*)(void))im->fn;
	unit_chacha_regs = im->regs;
	for (k = 0; k < ARRAY_SIZE(lens); k++) {
		prng_fill(src, sizeof(src));
		memcpy(want, src, sizeof(want));
		memset(stack, 0x5a, size);
		memset(regs, 0xee, sizeof(regs));
		unit_chacha_on_stack(top, dst, (const u32 *)src, (u32 *)lens[k],
				     0, regs);
		for (i = 0; i < size; i++) {
			if (stack + i >= top - 8 && stack + i < top)
				continue;
			if (stack[i] != 0x5a)
				stack_ok = false;
		}
		if (memcmp(dst, want, lens[k]) || !all_zero(src, lens[k]))
			out_ok = false;
		if (!all_zero(regs, im->regs ? 512 : 256))
			regs_ok = false;
	}
	ksft_test_result(stack_ok && out_ok && regs_ok,
			 "copy %s: does not touch the stack, leaves %s zeroed\n",
			 im->name, im->regs ? "ymm0-ymm15" : "xmm0-xmm15");
	munmap(stack, size);
}

#define COPY_IMPL_TESTS	2
#define COPY_TESTS	(COPY_IMPL_TESTS * ARRAY_SIZE(copy_impls))

static void test_copy_impl(const struct copy_impl *im)
{
	unsigned int i;

	if (im->cpu && !__builtin_cpu_supports("avx2")) {
		for (i = 0; i < COPY_IMPL_TESTS; i++)
			ksft_test_result_skip("copy %s: this CPU (or OS) has no %s\n",
					      im->name, im->cpu);
		return;
	}
	test_copy_lengths(im);
	test_copy_nostack(im);
}
#else
#define COPY_TESTS	0
#endif

/*
 * The generic code must not call into a libc: the only undefined symbols
 * its objects may have are the hooks.
 */
static void test_no_libc(void)
{
	static const char *const allowed[] = {
		"__arch_chacha20_blocks_nostack", "__arch_memcpy_and_zero_src",
		"unit_getrandom_syscall", "unit_rng_data",
		"unit_before_read",
	};
	char list[4096], *sym, *save;
	bool ok = true;
	unsigned int i, n = 0;

	snprintf(list, sizeof(list), "%s", unit_undefined_symbols);
	for (sym = strtok_r(list, " \n", &save); sym;
	     sym = strtok_r(NULL, " \n", &save)) {
		bool known = false;

		n++;
		for (i = 0; i < ARRAY_SIZE(allowed); i++)
			if (!strcmp(sym, allowed[i]))
				known = true;
		if (!known) {
			ksft_print_msg("unexpected undefined symbol %s\n", sym);
			ok = false;
		}
	}
	ksft_test_result(ok && n >= 2,
			 "build: generic code calls no libc functions (no memcpy/memset)\n");
}

int main(void)
{
	unsigned int i;

	ksft_print_header();
#ifdef __x86_64__
	ksft_set_plan(3 * GENERIC_TESTS + 1 + CHACHA_TESTS + COPY_TESTS + 1);
#else
	ksft_set_plan(2 * GENERIC_TESTS + CHACHA_TESTS + COPY_TESTS + 1);
#endif

	test_no_libc();
	test_chacha_ref_kat();
	for (i = 0; i < ARRAY_SIZE(impls); i++)
		test_chacha_impl(&impls[i]);
#ifdef __x86_64__
	for (i = 0; i < ARRAY_SIZE(copy_impls); i++)
		test_copy_impl(&copy_impls[i]);

	/* the x86-64 variant copies with the fastest copy this CPU has */
	copy.fn = __builtin_cpu_supports("avx2") ?
		  __arch_memcpy_and_zero_src_avx2 : real_memcpy_and_zero_src;
	run_generic_tests("x86", unit_vgetrandom_x86);
	test_arch_copy_calls();
#endif
	/* as arm64 builds it: no vector copy, efficient unaligned access */
	run_generic_tests("words", unit_vgetrandom_words);
	run_generic_tests("bytes", unit_vgetrandom_bytes);

	ksft_finished();
}
