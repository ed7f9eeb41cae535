// SPDX-License-Identifier: GPL-2.0
/*
 * `make bench ARCH=arm64`: what can be said about the arm64 vDSO's
 * ChaCha20 block function (arch/arm64/kernel/vdso/vgetrandom-chacha.S)
 * on an x86-64 host, under qemu-aarch64-static, where timings mean
 * nothing: qemu-user translates the code, so its speed says nothing
 * about any arm64 CPU.
 *
 * - blocks made per loop iteration, read from the machine code (the
 *   step of the output pointer in the loop);
 * - a check of the output and the counter against a C ChaCha20 at
 *   several sizes, ok or not ok;
 * - the static instruction counts of its loops, per 64-byte block,
 *   beside those of chacha-1block-arm64.S, a one-block-per-iteration
 *   function written for this comparison only, and the speed-up those
 *   counts predict.
 *
 * The counts come from the code itself: the backward branches give the
 * loops, the shortest being the double round (run 10 times per group
 * of blocks) and the shortest one around it the per-group loop.
 * Exits non-zero if a check fails or the code is not as expected.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*blocks_fn)(uint8_t *dst, const uint32_t *key,
			  uint32_t *counter, size_t nblocks);

void __arch_chacha20_blocks_nostack(uint8_t *dst, const uint32_t *key,
				    uint32_t *counter, size_t nblocks);
void bench_chacha20_one_block(uint8_t *dst, const uint32_t *key,
			      uint32_t *counter, size_t nblocks);

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define DOUBLE_ROUNDS	10
#define MAX_INSNS	4096
#define RET		0xd65f03c0u

static uint32_t rol32(uint32_t v, int n)
{
	return v << n | v >> (32 - n);
}

static void qr(uint32_t *x, int a, int b, int c, int d)
{
	x[a] += x[b];
	x[d] = rol32(x[d] ^ x[a], 16);
	x[c] += x[d];
	x[b] = rol32(x[b] ^ x[c], 12);
	x[a] += x[b];
	x[d] = rol32(x[d] ^ x[a], 8);
	x[c] += x[d];
	x[b] = rol32(x[b] ^ x[c], 7);
}

static void ref_blocks(uint8_t *out, const uint32_t *key, uint64_t ctr,
		       size_t n)
{
	static const uint32_t sigma[4] = {
		0x61707865, 0x3320646e, 0x79622d32, 0x6b206574
	};
	uint32_t in[16], x[16];
	int i;

	memcpy(in, sigma, 16);
	memcpy(in + 4, key, 32);
	for (; n; n--, ctr++, out += 64) {
		in[12] = ctr;
		in[13] = ctr >> 32;
		in[14] = 0;
		in[15] = 0;
		memcpy(x, in, 64);
		for (i = 0; i < DOUBLE_ROUNDS; i++) {
			qr(x, 0, 4, 8, 12);
			qr(x, 1, 5, 9, 13);
			qr(x, 2, 6, 10, 14);
			qr(x, 3, 7, 11, 15);
			qr(x, 0, 5, 10, 15);
			qr(x, 1, 6, 11, 12);
			qr(x, 2, 7, 8, 13);
			qr(x, 3, 4, 9, 14);
		}
		for (i = 0; i < 16; i++) {
			uint32_t v = x[i] + in[i];

			memcpy(out + 4 * i, &v, 4);	/* little-endian */
		}
	}
}

/* Output and counter right, nothing written past the output, at @n blocks */
static bool check(blocks_fn fn, size_t n)
{
	static uint8_t got[64 * 70 + 64], want[64 * 70];
	uint64_t start = 0xfffffffeULL - n / 2;	/* crosses 2^32 */
	uint32_t key[8], ctr[2];
	size_t i;

	for (i = 0; i < 8; i++)
		key[i] = rand() ^ (uint32_t)rand() << 16;
	ctr[0] = start;
	ctr[1] = start >> 32;
	memset(got, 0xa5, sizeof(got));
	fn(got, key, ctr, n);
	ref_blocks(want, key, start, n);
	for (i = n * 64; i < n * 64 + 64; i++) {
		if (got[i] != 0xa5)
			return false;
	}
	return !memcmp(got, want, n * 64) &&
	       ((uint64_t)ctr[1] << 32 | ctr[0]) == start + n;
}

struct loops {
	size_t len;			/* up to the first ret */
	size_t inner_start, inner_len;	/* the double round */
	size_t outer_start, outer_len;	/* one group of blocks */
	unsigned int blocks;		/* per iteration of the outer loop */
};

/* Target of a b.cond, cbz/cbnz or b at @i, or -1 */
static long branch_target(const uint32_t *code, size_t i)
{
	uint32_t insn = code[i];
	int32_t off;

	if ((insn & 0xff000010) == 0x54000000 ||	/* b.cond */
	    (insn & 0x7e000000) == 0x34000000)		/* cbz, cbnz */
		off = (int32_t)(insn << 8) >> 13;
	else if ((insn & 0xfc000000) == 0x14000000)	/* b */
		off = (int32_t)(insn << 6) >> 6;
	else
		return -1;
	return (long)i + off;
}

static bool find_loops(const void *fn, struct loops *l)
{
	const uint32_t *code = fn;
	size_t i, best = 0;
	long t;

	memset(l, 0, sizeof(*l));
	while (l->len < MAX_INSNS && code[l->len] != RET)
		l->len++;
	if (l->len++ == MAX_INSNS)
		return false;

	/* the shortest loop */
	for (i = 0; i < l->len; i++) {
		t = branch_target(code, i);
		if (t >= 0 && (size_t)t <= i &&
		    (!l->inner_len || i - t + 1 < l->inner_len)) {
			l->inner_start = t;
			l->inner_len = i - t + 1;
		}
	}
	/* the shortest loop strictly around it */
	for (i = 0; i < l->len; i++) {
		t = branch_target(code, i);
		if (t >= 0 && (size_t)t < l->inner_start &&
		    i >= l->inner_start + l->inner_len &&
		    (!best || i - t + 1 < best)) {
			l->outer_start = t;
			best = i - t + 1;
		}
	}
	l->outer_len = best;
	if (!l->inner_len || !l->outer_len)
		return false;

	/* add x0, x0, #imm in the outer loop: the output step */
	for (i = l->outer_start; i < l->outer_start + l->outer_len; i++) {
		uint32_t insn = code[i];

		if ((insn & 0xffc003ff) == 0x91000000)
			l->blocks = ((insn >> 10) & 0xfff) / 64;
	}
	return l->blocks > 0;
}

/*
 * Instructions run per group of blocks: the loop body, with the double
 * round counted once per double round.
 */
static size_t per_group(const struct loops *l)
{
	return l->outer_len - l->inner_len + DOUBLE_ROUNDS * l->inner_len;
}

static void print_loops(const char *name, const struct loops *l)
{
	size_t group = per_group(l);

	printf("# %-24s %u block%s per iteration; double round %zu insns; "
	       "rest of the loop %zu; per iteration %zu; per 64-byte block %.1f; "
	       "outside the loop %zu\n",
	       name, l->blocks, l->blocks == 1 ? "" : "s", l->inner_len,
	       l->outer_len - l->inner_len, group, (double)group / l->blocks,
	       l->len - l->outer_len);
}

int main(void)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 64 };
	struct loops neon, base;
	bool ok = true, b_ok = true;
	size_t i;

	srand(1);
	printf("# arm64 vDSO ChaCha20 (vgetrandom-chacha.S) under qemu-aarch64-static\n");
	printf("# no timings: qemu-user translates the code; arm64 timings need arm64 hardware\n");

	if (!find_loops(__arch_chacha20_blocks_nostack, &neon) ||
	    !find_loops(bench_chacha20_one_block, &base)) {
		printf("not ok: the loops of the code are not as expected\n");
		return 1;
	}
	printf("# blocks generated per loop iteration: %u\n", neon.blocks);

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		bool r = check(__arch_chacha20_blocks_nostack, sizes[i]);

		printf("%s %zu blocks: output and counter match the C reference\n",
		       r ? "ok" : "not ok", sizes[i]);
		ok &= r;
		b_ok &= check(bench_chacha20_one_block, sizes[i]);
	}
	printf("%s the 1-block comparison baseline matches it too\n",
	       b_ok ? "ok" : "not ok");

	printf("# static instruction counts (A64 instructions are 4 bytes; the double round runs %d times):\n",
	       DOUBLE_ROUNDS);
	print_loops("4-way (vDSO)", &neon);
	print_loops("1-block (baseline)", &base);
	printf("# expected speed-up from the counts: %.2fx (%.1f / %.1f instructions per block)\n",
	       ((double)per_group(&base) / base.blocks) /
	       ((double)per_group(&neon) / neon.blocks),
	       (double)per_group(&base) / base.blocks,
	       (double)per_group(&neon) / neon.blocks);
	printf("# (a lower bound where issue width limits; the 1-block loop is also\n"
	       "#  one serial dependency chain, the 4-way loop four, so cores that wait\n"
	       "#  on latency gain more)\n");
	return ok && b_ok ? 0 : 1;
}
