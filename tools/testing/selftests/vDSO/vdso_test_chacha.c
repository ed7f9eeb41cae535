// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checks the vDSO's ChaCha20 block function, assembled from the kernel's
 * own vgetrandom-chacha.S into this program (arch/x86/entry/vdso/ on
 * x86-64, arch/arm64/kernel/vdso/ on arm64), against a plain C
 * implementation of ChaCha20 and against published test vectors, and
 * checks that it keeps its promises to the vDSO: it writes nothing but the
 * output blocks and the counter (not even the stack), leaves no
 * key-dependent data in the registers it may clobber and preserves those
 * it may not.
 *
 * The x86-64 .S file has an implementation for SSE2, one for AVX2 and one
 * for AVX-512VL, between which the kernel's alternatives choose in the
 * vDSO. Nothing patches this program, so its entry point runs the SSE2
 * code; each implementation is also called by its own symbol, and checked
 * in full on a CPU that has what it needs (skipped otherwise). The arm64
 * one has a single implementation, in NEON.
 *
 * Usage: vdso_test_chacha [seed]; the seed of the random cases is printed.
 */

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#ifdef __aarch64__
#include <sys/auxv.h>
#endif

#include "../kselftest.h"

#define BLOCK_SIZE	64
/* The longest random run: eight of the largest groups (32 blocks) */
#define MAX_BLOCKS	256
#define GUARD_LEN	64
#define GUARD_BYTE	0xa5
#define RANDOM_CASES	5000

static uint32_t rol32(uint32_t v, unsigned int n)
{
	return v << n | v >> (32 - n);
}

static void quarter_round(uint32_t *x, int a, int b, int c, int d)
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

/* The reference: ChaCha20 straight from its definition, block by block. */
static void reference_blocks(uint8_t *dst, const uint32_t *key,
			     uint32_t *counter, size_t nblocks)
{
	uint64_t block = counter[0] | (uint64_t)counter[1] << 32;
	uint32_t in[16], x[16];
	int i;

	/* "expand 32-byte k", read as four little-endian words */
	in[0] = 0x61707865;
	in[1] = 0x3320646e;
	in[2] = 0x79622d32;
	in[3] = 0x6b206574;
	for (i = 0; i < 8; i++)
		in[4 + i] = key[i];
	in[14] = 0;
	in[15] = 0;

	while (nblocks--) {
		in[12] = (uint32_t)block;
		in[13] = (uint32_t)(block >> 32);
		memcpy(x, in, sizeof(x));
		for (i = 0; i < 20; i += 2) {
			quarter_round(x, 0, 4, 8, 12);
			quarter_round(x, 1, 5, 9, 13);
			quarter_round(x, 2, 6, 10, 14);
			quarter_round(x, 3, 7, 11, 15);
			quarter_round(x, 0, 5, 10, 15);
			quarter_round(x, 1, 6, 11, 12);
			quarter_round(x, 2, 7, 8, 13);
			quarter_round(x, 3, 4, 9, 14);
		}
		for (i = 0; i < 16; i++) {
			uint32_t v = x[i] + in[i];

			dst[4 * i] = v;
			dst[4 * i + 1] = v >> 8;
			dst[4 * i + 2] = v >> 16;
			dst[4 * i + 3] = v >> 24;
		}
		dst += BLOCK_SIZE;
		block++;
	}
	counter[0] = (uint32_t)block;
	counter[1] = (uint32_t)(block >> 32);
}

static void key_from_bytes(uint32_t *key, const uint8_t *bytes)
{
	int i;

	for (i = 0; i < 8; i++)
		key[i] = bytes[4 * i] | bytes[4 * i + 1] << 8 |
			 bytes[4 * i + 2] << 16 | (uint32_t)bytes[4 * i + 3] << 24;
}

static uint8_t hex_nibble(char c)
{
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

static void from_hex(uint8_t *out, const char *hex, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		out[i] = hex_nibble(hex[2 * i]) << 4 | hex_nibble(hex[2 * i + 1]);
}

/*
 * Known answers: the test vectors for the ChaCha20 block function in
 * RFC 8439, "ChaCha20 and Poly1305 for IETF Protocols", Appendix A.1, test
 * vectors #1 to #4 (#5 has a nonzero nonce). RFC 8439 uses a 32-bit counter
 * and a 96-bit nonce; with an all-zero nonce and a counter below 2^32 its
 * state words 12 to 15 are the same as in this 64-bit-counter variant.
 */
static const struct {
	const char *name;
	const char *key;
	uint32_t counter;
	const char *keystream[2];	/* bytes 0-31, 32-63 */
} vectors[] = {
	{
		"RFC 8439 A.1 #1 (zero key, block 0)",
		"0000000000000000000000000000000000000000000000000000000000000000",
		0,
		{ "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7",
		  "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586" },
	}, {
		"RFC 8439 A.1 #2 (zero key, block 1)",
		"0000000000000000000000000000000000000000000000000000000000000000",
		1,
		{ "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed",
		  "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f" },
	}, {
		"RFC 8439 A.1 #3 (key ...01, block 1)",
		"0000000000000000000000000000000000000000000000000000000000000001",
		1,
		{ "3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a",
		  "8eca00bbb4a73bdad192b5c42f73f2fd4e273644c8b36125a64addeb006c13a0" },
	}, {
		"RFC 8439 A.1 #4 (key 00ff..., block 2)",
		"00ff000000000000000000000000000000000000000000000000000000000000",
		2,
		{ "72d54dfbf12ec44b362692df94137f328fea8da73990265ec1bbbea1ae9af0ca",
		  "13b25aa26cb4a648cb9b9d1be65b2c0924a66c54d545ec1b7374f4872e99f096" },
	},
};

#define STACK_PROBE	1024
#define POISON		0x5ca1ab1e5ca1ab1eULL

typedef void (*blocks_fn)(uint8_t *dst, const uint32_t *key,
			  uint32_t *counter, size_t nblocks);

/* Read by chacha_probe(); global, so that the compiler keeps them. */
blocks_fn chacha_fn;
unsigned int probe_regs;

#if defined(__x86_64__)

/*
 * chacha_probe() calls the implementation under test, chacha_fn, after
 * poisoning the stack below the stack pointer, the vector registers and
 * the callee-saved registers the probe does not need itself (%rbx, %r12,
 * %r13 and %rsp: a function clobbering those would crash the probe), and
 * records how the call left all of these. Which vector registers, and how
 * wide, depends on probe_regs: %xmm0-15 for SSE2 (0), %ymm0-15 for AVX2
 * (1), %zmm0-31 for AVX-512 (2).
 */
struct probe_record {
	uint8_t xmm[16][16];
	uint64_t rbp, r14, r15, pad;
	uint8_t below_stack[STACK_PROBE];
	uint8_t vec[32][64];	/* %ymm0-15 or %zmm0-31, as probe_regs says */
};

/* The offsets the assembly below uses. */
#define REC_RBP		256
#define REC_BELOW	288
#define REC_VEC		1312

/* The address of a function of the .S file, without a C declaration. */
#define ASM_FN(sym) ({						\
	blocks_fn __fn;						\
	asm("lea " #sym "(%%rip), %0" : "=r" (__fn));		\
	__fn;							\
})

static void __attribute__((naked))
chacha_probe(uint8_t *dst, const uint32_t *key, uint32_t *counter,
	     size_t nblocks, struct probe_record *rec)
{
	asm("	push %rbx\n"
	    "	push %rbp\n"
	    "	push %r12\n"
	    "	push %r13\n"
	    "	push %r14\n"
	    "	push %r15\n"
	    "	sub $8, %rsp\n"		/* 16-byte aligned for the call */
	    "	mov %r8, %rbx\n"
	    "	mov %rdi, %r12\n"
	    "	mov %rcx, %r13\n"
	    "	lea -1024(%rsp), %rdi\n"
	    "	mov $128, %ecx\n"
	    "	movabs $0x5ca1ab1e5ca1ab1e, %rax\n"
	    "	rep stosq\n"
	    "	cmpl $2, probe_regs(%rip)\n"
	    "	je 2f\n"
	    "	cmpl $1, probe_regs(%rip)\n"
	    "	je 1f\n"
	    "	movq %rax, %xmm0\n"
	    "	punpcklqdq %xmm0, %xmm0\n"
	    "	movdqa %xmm0, %xmm1\n"
	    "	movdqa %xmm0, %xmm2\n"
	    "	movdqa %xmm0, %xmm3\n"
	    "	movdqa %xmm0, %xmm4\n"
	    "	movdqa %xmm0, %xmm5\n"
	    "	movdqa %xmm0, %xmm6\n"
	    "	movdqa %xmm0, %xmm7\n"
	    "	movdqa %xmm0, %xmm8\n"
	    "	movdqa %xmm0, %xmm9\n"
	    "	movdqa %xmm0, %xmm10\n"
	    "	movdqa %xmm0, %xmm11\n"
	    "	movdqa %xmm0, %xmm12\n"
	    "	movdqa %xmm0, %xmm13\n"
	    "	movdqa %xmm0, %xmm14\n"
	    "	movdqa %xmm0, %xmm15\n"
	    "	jmp 3f\n"
	    "2:	.irp r, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31\n"
	    "	vpbroadcastq %rax, %zmm\\r\n"
	    "	.endr\n"
	    "	.irp r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
	    "	vpbroadcastq %rax, %zmm\\r\n"
	    "	.endr\n"
	    "	jmp 3f\n"
	    "1:	vmovq %rax, %xmm0\n"
	    "	vpbroadcastq %xmm0, %ymm0\n"
	    "	.irp r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
	    "	vmovdqa %ymm0, %ymm\\r\n"
	    "	.endr\n"
	    "3:	mov %rax, %rbp\n"
	    "	mov %rax, %r14\n"
	    "	mov %rax, %r15\n"
	    "	mov %r12, %rdi\n"
	    "	mov %r13, %rcx\n"
	    "	call *chacha_fn(%rip)\n"
	    "	movdqu %xmm0, 0(%rbx)\n"
	    "	movdqu %xmm1, 16(%rbx)\n"
	    "	movdqu %xmm2, 32(%rbx)\n"
	    "	movdqu %xmm3, 48(%rbx)\n"
	    "	movdqu %xmm4, 64(%rbx)\n"
	    "	movdqu %xmm5, 80(%rbx)\n"
	    "	movdqu %xmm6, 96(%rbx)\n"
	    "	movdqu %xmm7, 112(%rbx)\n"
	    "	movdqu %xmm8, 128(%rbx)\n"
	    "	movdqu %xmm9, 144(%rbx)\n"
	    "	movdqu %xmm10, 160(%rbx)\n"
	    "	movdqu %xmm11, 176(%rbx)\n"
	    "	movdqu %xmm12, 192(%rbx)\n"
	    "	movdqu %xmm13, 208(%rbx)\n"
	    "	movdqu %xmm14, 224(%rbx)\n"
	    "	movdqu %xmm15, 240(%rbx)\n"
	    "	cmpl $2, probe_regs(%rip)\n"
	    "	je 2f\n"
	    "	cmpl $1, probe_regs(%rip)\n"
	    "	jne 3f\n"
	    "	.irp r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
	    "	vmovdqu %ymm\\r, 1312 + \\r * 64(%rbx)\n"
	    "	.endr\n"
	    "	vzeroupper\n"
	    "	jmp 3f\n"
	    "2:	.irp r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31\n"
	    "	vmovdqu64 %zmm\\r, 1312 + \\r * 64(%rbx)\n"
	    "	.endr\n"
	    "	vzeroupper\n"
	    "3:	mov %rbp, 256(%rbx)\n"
	    "	mov %r14, 264(%rbx)\n"
	    "	mov %r15, 272(%rbx)\n"
	    "	lea -1024(%rsp), %rsi\n"
	    "	lea 288(%rbx), %rdi\n"
	    "	mov $128, %ecx\n"
	    "	rep movsq\n"
	    "	add $8, %rsp\n"
	    "	pop %r15\n"
	    "	pop %r14\n"
	    "	pop %r13\n"
	    "	pop %r12\n"
	    "	pop %rbp\n"
	    "	pop %rbx\n"
	    "	ret\n");
}

/* The call pushes the return address onto the probed stack. */
#define CALL_PUSHES	8
#define CALLEE_SAVED_NAMES	"%rbp, %r14 or %r15"

static bool callee_saved_kept(const struct probe_record *rec)
{
	return rec->rbp == POISON && rec->r14 == POISON && rec->r15 == POISON;
}

/* Bit N set: %xmmN (or %ymmN, %zmmN) differs between @a and @b. */
static unsigned long long regs_differ(const struct probe_record *a,
				      const struct probe_record *b)
{
	unsigned int r, nregs = probe_regs == 2 ? 32 : 16;
	size_t width = probe_regs == 2 ? 64 : 32;
	unsigned long long mask = 0;

	for (r = 0; r < nregs; r++) {
		if (probe_regs ? memcmp(a->vec[r], b->vec[r], width) :
				 memcmp(a->xmm[r], b->xmm[r], 16))
			mask |= 1ULL << r;
	}
	return mask;
}

static const char *leak_bits(void)
{
	static const char *const names[] = {
		"bit N: %xmmN", "bit N: %ymmN", "bit N: %zmmN"
	};

	return names[probe_regs];
}

static bool probe_layout_ok(void)
{
	return offsetof(struct probe_record, rbp) == REC_RBP &&
	       offsetof(struct probe_record, below_stack) == REC_BELOW &&
	       offsetof(struct probe_record, vec) == REC_VEC;
}

/*
 * The implementations: the entry point (unpatched here, so SSE2) and each
 * one by its own symbol, with what the CPU must have for it.
 */
static const struct impl {
	const char *name;
	const char *needs;	/* for __builtin_cpu_supports() */
	unsigned int regs;	/* probe_regs */
} impls[] = {
	{ "entry", NULL, 0 },
	{ "sse2", NULL, 0 },
	{ "avx2", "avx2", 1 },
	{ "avx512vl", "avx512vl", 2 },
};

static blocks_fn impl_fn(size_t i)
{
	switch (i) {
	case 0:
		return ASM_FN(__arch_chacha20_blocks_nostack);
	case 1:
		return ASM_FN(__arch_chacha20_blocks_nostack_sse2);
	case 2:
		return ASM_FN(__arch_chacha20_blocks_nostack_avx2);
	default:
		return ASM_FN(__arch_chacha20_blocks_nostack_avx512vl);
	}
}

/* The CPU has the instructions, and the OS saves their registers. */
static bool impl_supported(const struct impl *im)
{
	if (!im->needs)
		return true;
	if (!strcmp(im->needs, "avx2"))
		return __builtin_cpu_supports("avx2");
	return __builtin_cpu_supports("avx512f") &&
	       __builtin_cpu_supports("avx512vl");
}

static const char *clobbered_regs(const struct impl *im)
{
	return im->regs == 2 ? "the zmm0-zmm31 registers" :
	       im->regs == 1 ? "the ymm0-ymm15 registers" :
	       "the xmm0-xmm15 registers";
}

#elif defined(__aarch64__)

/*
 * chacha_probe() calls the implementation under test, chacha_fn, after
 * poisoning the stack below the stack pointer, every vector register and
 * the general registers the probe does not need itself, and records how
 * the call left all of these. In the AAPCS64 the function may clobber
 * x0-x17 and v0-v7, v16-v31 (which must then hold nothing key-dependent);
 * it must preserve x18 (the platform register), x19-x29, sp and the low
 * halves of v8-v15, and the vDSO's block function must not touch v8-v15
 * at all: their full 128 bits are checked. A function clobbering x19 (the
 * record), x29, x30 or sp would crash the probe rather than fail a test.
 * A call on arm64 stores nothing: x30 gets the return address.
 */
struct probe_record {
	uint8_t vec[32][16];		/* v0-v31 */
	uint64_t x[30];			/* x0-x29 */
	uint64_t sp_before, sp_after;
	uint64_t x18_before, x18_after;
	uint8_t below_stack[STACK_PROBE];
};

/* The offsets the assembly below uses. */
#define REC_X		512
#define REC_SP		752
#define REC_X18		768
#define REC_BELOW	784

/* The address of a function of the .S file, without a C declaration. */
#define ASM_FN(sym) ({						\
	blocks_fn __fn;						\
	asm("adrp %0, " #sym "\n\t"				\
	    "add %0, %0, :lo12:" #sym : "=r" (__fn));		\
	__fn;							\
})

void chacha_probe(uint8_t *dst, const uint32_t *key, uint32_t *counter,
		  size_t nblocks, struct probe_record *rec);

/* GCC has no naked functions on arm64: the probe is all assembly. */
asm(".text\n"
	".p2align 2\n"
	".globl chacha_probe\n"
	".type chacha_probe, %function\n"
	"chacha_probe:\n"
	"	stp x29, x30, [sp, #-160]!\n"
	"	mov x29, sp\n"
	"	stp x19, x20, [sp, #16]\n"
	"	stp x21, x22, [sp, #32]\n"
	"	stp x23, x24, [sp, #48]\n"
	"	stp x25, x26, [sp, #64]\n"
	"	stp x27, x28, [sp, #80]\n"
	"	stp d8, d9, [sp, #96]\n"
	"	stp d10, d11, [sp, #112]\n"
	"	stp d12, d13, [sp, #128]\n"
	"	stp d14, d15, [sp, #144]\n"
	"	mov x19, x4\n"
	"	mov x9, sp\n"
	"	str x9, [x19, #752]\n"		/* REC_SP */
	"	str x18, [x19, #768]\n"		/* REC_X18 */
	"	movz x9, #0xab1e\n"
	"	movk x9, #0x5ca1, lsl #16\n"
	"	movk x9, #0xab1e, lsl #32\n"
	"	movk x9, #0x5ca1, lsl #48\n"
	"	sub x10, sp, #1024\n"
	"	mov x11, #128\n"
	"1:	str x9, [x10], #8\n"
	"	subs x11, x11, #1\n"
	"	b.ne 1b\n"
	"	dup v0.2d, x9\n"
	"	.irp r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31\n"
	"	mov v\\r\\().16b, v0.16b\n"
	"	.endr\n"
	"	adrp x16, chacha_fn\n"
	"	ldr x16, [x16, :lo12:chacha_fn]\n"
	"	.irp r, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 17, 20, 21, 22, 23, 24, 25, 26, 27, 28, 9\n"
	"	mov x\\r, x9\n"
	"	.endr\n"
	"	blr x16\n"
	"	.irp r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29\n"
	"	.if \\r != 18\n"
	"	str x\\r, [x19, #512 + 8 * \\r]\n"	/* REC_X */
	"	.endif\n"
	"	.endr\n"
	"	str x18, [x19, #776]\n"
	"	mov x9, sp\n"
	"	str x9, [x19, #760]\n"
	"	.irp r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31\n"
	"	str q\\r, [x19, #16 * \\r]\n"
	"	.endr\n"
	"	sub x10, sp, #1024\n"
	"	add x11, x19, #784\n"		/* REC_BELOW */
	"	mov x12, #128\n"
	"2:	ldr x13, [x10], #8\n"
	"	str x13, [x11], #8\n"
	"	subs x12, x12, #1\n"
	"	b.ne 2b\n"
	"	ldp d8, d9, [sp, #96]\n"
	"	ldp d10, d11, [sp, #112]\n"
	"	ldp d12, d13, [sp, #128]\n"
	"	ldp d14, d15, [sp, #144]\n"
	"	ldp x19, x20, [sp, #16]\n"
	"	ldp x21, x22, [sp, #32]\n"
	"	ldp x23, x24, [sp, #48]\n"
	"	ldp x25, x26, [sp, #64]\n"
	"	ldp x27, x28, [sp, #80]\n"
	"	ldp x29, x30, [sp], #160\n"
	"	ret\n"
	".size chacha_probe, . - chacha_probe\n");

/* bl does not store anything: the return address goes to x30. */
#define CALL_PUSHES	0
#define CALLEE_SAVED_NAMES	"x18, x20-x29, sp or v8-v15"

static bool callee_saved_kept(const struct probe_record *rec)
{
	unsigned int r;

	for (r = 20; r <= 28; r++) {
		if (rec->x[r] != POISON)
			return false;
	}
	for (r = 8; r <= 15; r++) {
		uint64_t lo, hi;

		memcpy(&lo, rec->vec[r], 8);
		memcpy(&hi, rec->vec[r] + 8, 8);
		if (lo != POISON || hi != POISON)
			return false;
	}
	/* the probe's frame record is at its final stack pointer */
	return rec->x[29] == rec->sp_before && rec->sp_after == rec->sp_before &&
	       rec->x18_after == rec->x18_before;
}

/*
 * Bit N set: vN differs between @a and @b (N < 32); bit 32 + N: xN
 * (N < 18), the general registers a call may clobber.
 */
static unsigned long long regs_differ(const struct probe_record *a,
				      const struct probe_record *b)
{
	unsigned long long mask = 0;
	unsigned int r;

	for (r = 0; r < 32; r++) {
		if (memcmp(a->vec[r], b->vec[r], 16))
			mask |= 1ULL << r;
	}
	for (r = 0; r < 18; r++) {
		if (a->x[r] != b->x[r])
			mask |= 1ULL << (32 + r);
	}
	return mask;
}

static const char *leak_bits(void)
{
	return "bit N: vN, bit 32 + N: xN";
}

static bool probe_layout_ok(void)
{
	return offsetof(struct probe_record, x) == REC_X &&
	       offsetof(struct probe_record, sp_before) == REC_SP &&
	       offsetof(struct probe_record, x18_before) == REC_X18 &&
	       offsetof(struct probe_record, below_stack) == REC_BELOW;
}

/* One implementation, which needs Advanced SIMD (NEON). */
static const struct impl {
	const char *name;
	const char *needs;
	unsigned int regs;
} impls[] = {
	{ "neon", "asimd", 0 },
};

static blocks_fn impl_fn(size_t i)
{
	return ASM_FN(__arch_chacha20_blocks_nostack);
}

static bool impl_supported(const struct impl *im)
{
	return getauxval(AT_HWCAP) & HWCAP_ASIMD;
}

static const char *clobbered_regs(const struct impl *im)
{
	return "v0-v7, v16-v31 and x0-x17";
}

#else
#error "vdso_test_chacha: no vgetrandom-chacha.S for this architecture"
#endif

/* What every call must leave as it found it, summed over all calls. */
static struct {
	size_t calls;
	size_t stack_written;
	size_t callee_saved_lost;
} calls;

static void check_call(const struct probe_record *rec, size_t nblocks)
{
	/* Leave out what the call instruction itself stores there. */
	size_t i, len = STACK_PROBE - CALL_PUSHES;

	calls.calls++;
	for (i = 0; i < len; i += 8) {
		uint64_t v;

		memcpy(&v, rec->below_stack + i, 8);
		if (v != POISON) {
			if (!calls.stack_written++)
				ksft_print_msg("%zu blocks: stack written at sp - %zu\n",
					       nblocks, STACK_PROBE - i);
			break;
		}
	}
	if (!callee_saved_kept(rec)) {
		if (!calls.callee_saved_lost++)
			ksft_print_msg("%zu blocks: %s changed\n", nblocks,
				       CALLEE_SAVED_NAMES);
	}
}

/*
 * The function under test, chacha_fn, is called only through
 * chacha_probe(), which also records how the call left the stack and
 * registers.
 */
static struct probe_record last_call;

static void chacha_blocks(uint8_t *dst, const uint32_t *key, uint32_t *counter,
			  size_t nblocks)
{
	chacha_probe(dst, key, counter, nblocks, &last_call);
	check_call(&last_call, nblocks);
}

static void vector_keystream(uint8_t *out, size_t i)
{
	from_hex(out, vectors[i].keystream[0], BLOCK_SIZE / 2);
	from_hex(out + BLOCK_SIZE / 2, vectors[i].keystream[1], BLOCK_SIZE / 2);
}

/* Checks the assembly, and the reference, on one known answer. */
static bool check_vector(const char *key_hex, uint32_t block,
			 const uint8_t *expect, size_t nblocks)
{
	uint8_t key_bytes[32], out[2 * BLOCK_SIZE];
	uint32_t key[8], counter[2];
	bool ok = true;

	from_hex(key_bytes, key_hex, sizeof(key_bytes));
	key_from_bytes(key, key_bytes);

	counter[0] = block;
	counter[1] = 0;
	memset(out, 0, sizeof(out));
	reference_blocks(out, key, counter, nblocks);
	if (memcmp(out, expect, nblocks * BLOCK_SIZE)) {
		ksft_print_msg("the C reference is wrong\n");
		ok = false;
	}

	counter[0] = block;
	counter[1] = 0;
	memset(out, 0, sizeof(out));
	chacha_blocks(out, key, counter, nblocks);
	if (memcmp(out, expect, nblocks * BLOCK_SIZE)) {
		ksft_print_msg("wrong keystream\n");
		ok = false;
	}
	if (counter[0] != block + nblocks || counter[1]) {
		ksft_print_msg("counter %08x:%08x after %zu blocks from %u\n",
			       counter[1], counter[0], nblocks, block);
		ok = false;
	}
	return ok;
}

/* xorshift64*: reproducible test cases from a printed seed. */
static uint64_t rng_state;

static uint64_t rand64(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static void rand_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len--)
		*p++ = rand64() >> 56;
}

struct case_result {
	bool output_ok, guards_ok, counter_ok;
};

/*
 * Runs the assembly and the reference from the same key and counter, the
 * assembly's output at a random misalignment between guard bytes.
 */
static struct case_result run_case(const uint32_t *key, uint64_t start,
				   size_t nblocks)
{
	static uint8_t area[GUARD_LEN + 16 + MAX_BLOCKS * BLOCK_SIZE + GUARD_LEN];
	static uint8_t expect[MAX_BLOCKS * BLOCK_SIZE];
	size_t len = nblocks * BLOCK_SIZE, misalign = rand64() % 16, i;
	uint32_t counter[2], ref_counter[2], key_copy[8];
	uint8_t *dst = area + GUARD_LEN + misalign;
	struct case_result r = { true, true, true };

	memset(area, GUARD_BYTE, sizeof(area));
	memcpy(key_copy, key, sizeof(key_copy));
	counter[0] = (uint32_t)start;
	counter[1] = (uint32_t)(start >> 32);
	ref_counter[0] = counter[0];
	ref_counter[1] = counter[1];
	reference_blocks(expect, key, ref_counter, nblocks);
	chacha_blocks(dst, key_copy, counter, nblocks);

	if (memcmp(dst, expect, len))
		r.output_ok = false;
	for (i = 0; i < sizeof(area); i++) {
		if ((area + i < dst || area + i >= dst + len) &&
		    area[i] != GUARD_BYTE)
			r.guards_ok = false;
	}
	if (memcmp(key_copy, key, sizeof(key_copy)))
		r.guards_ok = false;	/* wrote to the key */
	if (counter[0] != ref_counter[0] || counter[1] != ref_counter[1])
		r.counter_ok = false;
	if (!r.output_ok || !r.guards_ok || !r.counter_ok)
		ksft_print_msg("key %08x..., counter %016llx, %zu blocks at +%zu: %s%s%s\n",
			       key[0], (unsigned long long)start, nblocks,
			       misalign, r.output_ok ? "" : "wrong output ",
			       r.guards_ok ? "" : "wrote outside dst ",
			       r.counter_ok ? "" : "wrong counter");
	return r;
}

static uint64_t random_start(void)
{
	/* Small counters, counters around 2^32 and 2^64, and any counter. */
	switch (rand64() % 4) {
	case 0:
		return rand64() % 1024;
	case 1:
		return 0x100000000ULL - 1 - rand64() % (2 * MAX_BLOCKS) +
		       MAX_BLOCKS;
	case 2:
		return -1ULL - rand64() % (2 * MAX_BLOCKS);
	default:
		return rand64();
	}
}

static size_t random_nblocks(void)
{
	/* Mostly short runs, which exercise the partial multi-block paths. */
	if (rand64() % 8)
		return rand64() % 41;
	return 1 + rand64() % MAX_BLOCKS;
}

static const size_t probe_nblocks[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 32, 33, 48, 57
};

/*
 * Registers holding the same value after calls with two different keys
 * (constants, the poison, zero) hold nothing key-dependent; a register
 * that differs holds key or keystream material.
 */
static bool check_regs(void)
{
	/* room for the largest count of probe_nblocks[] */
	static uint8_t dst[64 * BLOCK_SIZE];
	static struct probe_record rec[2];
	uint32_t key[8], counter[2];
	unsigned long long leaks;
	bool ok = true;
	uint64_t start;
	size_t i;
	int k;

	for (i = 0; i < ARRAY_SIZE(probe_nblocks); i++) {
		start = rand64();
		for (k = 0; k < 2; k++) {
			rand_bytes(key, sizeof(key));
			counter[0] = (uint32_t)start;
			counter[1] = (uint32_t)(start >> 32);
			chacha_probe(dst, key, counter, probe_nblocks[i], &rec[k]);
			check_call(&rec[k], probe_nblocks[i]);
		}
		leaks = regs_differ(&rec[0], &rec[1]);
		if (leaks) {
			ksft_print_msg("%zu blocks: key-dependent registers (%s): %#llx\n",
				       probe_nblocks[i], leak_bits(), leaks);
			ok = false;
		}
	}
	return ok;
}

#define TESTS_PER_IMPL	(ARRAY_SIZE(vectors) + 9)

static void run_impl(const struct impl *im, blocks_fn fn)
{
	struct case_result all = { true, true, true };
	uint8_t expect[2 * BLOCK_SIZE];
	uint32_t key[8];
	size_t i;

	if (!impl_supported(im)) {
		for (i = 0; i < TESTS_PER_IMPL; i++)
			ksft_test_result_skip("%s: the CPU or the OS lacks %s\n",
					      im->name, im->needs);
		return;
	}
	chacha_fn = fn;
	probe_regs = im->regs;
	memset(&calls, 0, sizeof(calls));

	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		vector_keystream(expect, i);
		ksft_test_result(check_vector(vectors[i].key, vectors[i].counter,
					      expect, 1),
				 "%s: %s\n", im->name, vectors[i].name);
	}

	/* #1 and #2 are consecutive blocks: one call must produce both. */
	vector_keystream(expect, 0);
	vector_keystream(expect + BLOCK_SIZE, 1);
	ksft_test_result(check_vector(vectors[0].key, 0, expect, 2),
			 "%s: RFC 8439 A.1 #1 and #2 in one two-block call\n",
			 im->name);

	for (i = 0; i < RANDOM_CASES; i++) {
		struct case_result r;

		rand_bytes(key, sizeof(key));
		r = run_case(key, random_start(), random_nblocks());
		all.output_ok &= r.output_ok;
		all.guards_ok &= r.guards_ok;
		all.counter_ok &= r.counter_ok;
	}
	ksft_test_result(all.output_ok,
			 "%s: %d random keys, counters, block counts: output matches the C reference\n",
			 im->name, RANDOM_CASES);
	ksft_test_result(all.guards_ok,
			 "%s: %d random cases: exactly nblocks * 64 bytes written, key untouched\n",
			 im->name, RANDOM_CASES);
	ksft_test_result(all.counter_ok,
			 "%s: %d random cases: counter advanced by nblocks\n",
			 im->name, RANDOM_CASES);

	/* Every way of reaching, crossing or ending at the 32-bit boundary. */
	all.output_ok = true;
	all.counter_ok = true;
	for (i = 0; i < 80; i++) {
		size_t nblocks = 1 + i % 40, below = 1 + i / 40 * 18;
		struct case_result r;

		rand_bytes(key, sizeof(key));
		r = run_case(key, 0x100000000ULL - below, nblocks);
		all.output_ok &= r.output_ok && r.guards_ok;
		all.counter_ok &= r.counter_ok;
		r = run_case(key, 0x500000000ULL - below, nblocks);
		all.output_ok &= r.output_ok && r.guards_ok;
		all.counter_ok &= r.counter_ok;
	}
	ksft_test_result(all.output_ok && all.counter_ok,
			 "%s: counter carries from counter[0] into counter[1]\n",
			 im->name);

	all.output_ok = true;
	all.counter_ok = true;
	for (i = 1; i <= 16; i++) {
		struct case_result r;

		rand_bytes(key, sizeof(key));
		r = run_case(key, -1ULL - (i - 1) / 2, i);
		all.output_ok &= r.output_ok && r.guards_ok;
		all.counter_ok &= r.counter_ok;
	}
	ksft_test_result(all.output_ok && all.counter_ok,
			 "%s: counter wraps from 2^64 - 1 to 0\n", im->name);

	ksft_test_result(check_regs(),
			 "%s: no key-dependent data left in %s\n",
			 im->name, clobbered_regs(im));
	ksft_test_result(!calls.stack_written,
			 "%s: %zu calls: no stack memory written\n", im->name,
			 calls.calls);
	ksft_test_result(!calls.callee_saved_lost,
			 "%s: %zu calls: callee-saved registers preserved\n",
			 im->name, calls.calls);
}

int main(int argc, char **argv)
{
	size_t i;

	/*
	 * Keep what was printed, the seed first, if the test crashes or is
	 * killed by the kselftest timeout.
	 */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1) {
		rng_state = strtoull(argv[1], NULL, 0);
	} else if (syscall(SYS_getrandom, &rng_state, sizeof(rng_state), 0) !=
		   sizeof(rng_state)) {
		rng_state = getpid() ^ (uint64_t)time(NULL) << 20;
	}
	if (!rng_state)
		rng_state = 1;

	ksft_print_header();
	if (!probe_layout_ok())
		ksft_exit_fail_msg("struct probe_record does not match the probe\n");
	ksft_set_plan(ARRAY_SIZE(impls) * TESTS_PER_IMPL);
	ksft_print_msg("seed %#llx\n", (unsigned long long)rng_state);

	for (i = 0; i < ARRAY_SIZE(impls); i++)
		run_impl(&impls[i], impl_fn(i));

	ksft_finished();
}
