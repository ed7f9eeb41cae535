/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ChaCha20 keystream blocks for the vDSO getrandom(), without using the
 * stack: in SSE2, which every x86-64 CPU has, and in AVX2 and AVX-512VL,
 * which the vDSO's alternatives select at boot on CPUs that have them.
 *
 * Each function has call frame information, for unwinders that walk
 * through the vDSO (backtrace(), thread cancellation, perf's DWARF call
 * graphs). None of them moves %rsp or saves a register, so the rules of
 * the CIE (the return address on top of the stack) hold throughout and
 * the bounds are all there is to give. The raw directives give them, as
 * in vsgx.S: <asm/dwarf2.h> is not there when the tests build this file
 * in user space.
 */

#include <linux/linkage.h>
#include <asm/alternative.h>
#include <asm/cpufeatures.h>

.section .rodata, "a"
.align 32
.Lchacha_sigma:
	/* "expand 32-byte k" as four little-endian words, twice for ymm */
	.long	0x61707865, 0x3320646e, 0x79622d32, 0x6b206574
	.long	0x61707865, 0x3320646e, 0x79622d32, 0x6b206574
.Lcounter_one:
	/* 1 in the low 64-bit lane: the block counter's increment */
	.quad	1, 0
.Lrotl16_bytes:
	/* vpshufb mask rotating each 32-bit lane left by 16 */
	.byte	2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13
.Lrotl8_bytes:
	/* vpshufb mask rotating each 32-bit lane left by 8 */
	.byte	3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14
.Lcounter_0_1:
	/* Counter increments of the two blocks of a ymm row: 0 and 1 */
	.quad	0, 0, 1, 0
.Lcounter_2:
	.quad	2, 0, 2, 0
.Lcounter_4:
	.quad	4, 0, 4, 0
.align 64
.Lqword_lanes:
	/* 0 to 31 as 64-bit words: the block numbers within a group */
	.quad	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.quad	16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
.Ldword_even:
	/* vpermi2d indices of the low halves of sixteen 64-bit words */
	.long	0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30
.Ldword_odd:
	/* ... and of their high halves */
	.long	1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31

.text

/*
 * Rotate each 32-bit lane of \reg left by \bits, with \tmp as scratch.
 * SSE2 has no vector rotate: combine two shifts.
 */
.macro ROTL32 reg, tmp, bits
	movdqa		\reg, \tmp
	pslld		$\bits, \reg
	psrld		$(32 - \bits), \tmp
	por		\tmp, \reg
.endm

/* Rotate each 32-bit lane of \reg left by 16: swap its 16-bit halves. */
.macro ROTL16 reg
	pshuflw		$0xb1, \reg, \reg
	pshufhw		$0xb1, \reg, \reg
.endm

/*
 * Four quarter-rounds at once on the rows \a, \b, \c and \d of one state,
 * interleaved with the same on the rows \e, \f, \g and \h of another, so
 * that the two dependency chains overlap. \t and \u are scratch.
 */
.macro QUARTERROUNDS a, b, c, d, e, f, g, h, t, u
	paddd		\b, \a
	paddd		\f, \e
	pxor		\a, \d
	pxor		\e, \h
	ROTL16		\d
	ROTL16		\h

	paddd		\d, \c
	paddd		\h, \g
	pxor		\c, \b
	pxor		\g, \f
	ROTL32		\b, \t, 12
	ROTL32		\f, \u, 12

	paddd		\b, \a
	paddd		\f, \e
	pxor		\a, \d
	pxor		\e, \h
	ROTL32		\d, \t, 8
	ROTL32		\h, \u, 8

	paddd		\d, \c
	paddd		\h, \g
	pxor		\c, \b
	pxor		\g, \f
	ROTL32		\b, \t, 7
	ROTL32		\f, \u, 7
.endm

/*
 * Rotate the lanes of rows 1, 2 and 3 of both states left by 1, 2 and 3,
 * turning diagonals into columns, or back with the inverse immediates.
 */
.macro SHUFFLE_ROWS b, c, d, f, g, h, imm_b, imm_c, imm_d
	pshufd		$\imm_b, \b, \b
	pshufd		$\imm_b, \f, \f
	pshufd		$\imm_c, \c, \c
	pshufd		$\imm_c, \g, \g
	pshufd		$\imm_d, \d, \d
	pshufd		$\imm_d, \h, \h
.endm

/*
 * void __arch_chacha20_blocks_nostack(u8 *dst_bytes, const u32 *key,
 *				       u32 *counter, size_t nblocks)
 *
 * Writes nblocks 64-byte blocks of ChaCha20 keystream (20 rounds, 64-bit
 * block counter in words 12 and 13, zero nonce in words 14 and 15) to
 * dst_bytes, and advances the counter by nblocks. Key and counter are read
 * before anything is written, so dst_bytes may overlap the key.
 *
 * Nothing but registers and the output is used as working memory, and
 * every vector register used is cleared before returning (so are the
 * general-purpose registers that hold the key in the AVX-512
 * implementation). The entry point is patched at boot to jump to the AVX2
 * or the AVX-512VL implementation below when the CPU has them (AVX-512VL
 * wins when both are there); otherwise it runs the SSE2 implementation
 * that follows it. Each implementation also has a symbol of its own, so
 * that tests can check them all on a CPU that has them.
 *
 * The SSE2 implementation computes two blocks at a time; for an odd
 * nblocks the last pair's second block is computed but not stored.
 *
 *	%rdi	dst_bytes
 *	%rsi	key
 *	%rdx	counter
 *	%rcx	nblocks
 *	%r8d	double-round count
 *	%xmm0-3	state of the first block of a pair, one row per register
 *	%xmm4-7	state of the second block
 *	%xmm8	row 0 of the input: the constants
 *	%xmm9	row 1 of the input: key words 0-3
 *	%xmm10	row 2 of the input: key words 4-7
 *	%xmm11	row 3 of the input for the first block: counter, zero nonce
 *	%xmm12	row 3 of the input for the second block
 *	%xmm13	counter increment
 *	%xmm14-15 scratch
 */
SYM_FUNC_START(__arch_chacha20_blocks_nostack)
	.cfi_startproc
	ALTERNATIVE_2 "", \
		"jmp __arch_chacha20_blocks_nostack_avx2", X86_FEATURE_AVX2, \
		"jmp __arch_chacha20_blocks_nostack_avx512vl", X86_FEATURE_AVX512VL
SYM_INNER_LABEL(__arch_chacha20_blocks_nostack_sse2, SYM_L_GLOBAL)
	test		%rcx, %rcx
	jz		.Lreturn

	movdqa		.Lchacha_sigma(%rip), %xmm8
	movdqu		0x00(%rsi), %xmm9
	movdqu		0x10(%rsi), %xmm10
	movq		(%rdx), %xmm11
	movdqa		.Lcounter_one(%rip), %xmm13

.Lnext_pair:
	movdqa		%xmm11, %xmm12
	paddq		%xmm13, %xmm12

	movdqa		%xmm8, %xmm0
	movdqa		%xmm9, %xmm1
	movdqa		%xmm10, %xmm2
	movdqa		%xmm11, %xmm3
	movdqa		%xmm8, %xmm4
	movdqa		%xmm9, %xmm5
	movdqa		%xmm10, %xmm6
	movdqa		%xmm12, %xmm7

	mov		$10, %r8d
.Ldouble_round:
	/* Column round */
	QUARTERROUNDS	%xmm0, %xmm1, %xmm2, %xmm3, %xmm4, %xmm5, %xmm6, %xmm7, %xmm14, %xmm15
	/* Diagonal round */
	SHUFFLE_ROWS	%xmm1, %xmm2, %xmm3, %xmm5, %xmm6, %xmm7, 0x39, 0x4e, 0x93
	QUARTERROUNDS	%xmm0, %xmm1, %xmm2, %xmm3, %xmm4, %xmm5, %xmm6, %xmm7, %xmm14, %xmm15
	SHUFFLE_ROWS	%xmm1, %xmm2, %xmm3, %xmm5, %xmm6, %xmm7, 0x93, 0x4e, 0x39
	dec		%r8d
	jnz		.Ldouble_round

	/* First block of the pair: add the input and store */
	paddd		%xmm8, %xmm0
	paddd		%xmm9, %xmm1
	paddd		%xmm10, %xmm2
	paddd		%xmm11, %xmm3
	movdqu		%xmm0, 0x00(%rdi)
	movdqu		%xmm1, 0x10(%rdi)
	movdqu		%xmm2, 0x20(%rdi)
	movdqu		%xmm3, 0x30(%rdi)
	movdqa		%xmm12, %xmm11
	dec		%rcx
	jz		.Ldone

	/* Second block of the pair */
	paddd		%xmm8, %xmm4
	paddd		%xmm9, %xmm5
	paddd		%xmm10, %xmm6
	paddd		%xmm12, %xmm7
	movdqu		%xmm4, 0x40(%rdi)
	movdqu		%xmm5, 0x50(%rdi)
	movdqu		%xmm6, 0x60(%rdi)
	movdqu		%xmm7, 0x70(%rdi)
	paddq		%xmm13, %xmm11
	add		$0x80, %rdi
	dec		%rcx
	jnz		.Lnext_pair

.Ldone:
	/* Store the advanced counter: words 0 and 1 only */
	movq		%xmm11, (%rdx)

	/* Leave no key-derived data behind in any register */
	pxor		%xmm0, %xmm0
	pxor		%xmm1, %xmm1
	pxor		%xmm2, %xmm2
	pxor		%xmm3, %xmm3
	pxor		%xmm4, %xmm4
	pxor		%xmm5, %xmm5
	pxor		%xmm6, %xmm6
	pxor		%xmm7, %xmm7
	pxor		%xmm8, %xmm8
	pxor		%xmm9, %xmm9
	pxor		%xmm10, %xmm10
	pxor		%xmm11, %xmm11
	pxor		%xmm12, %xmm12
	pxor		%xmm13, %xmm13
	pxor		%xmm14, %xmm14
	pxor		%xmm15, %xmm15

.Lreturn:
	ret
	.cfi_endproc
SYM_FUNC_END(__arch_chacha20_blocks_nostack)

/*
 * The AVX2 implementation holds two blocks in each set of four ymm
 * registers: row r of one block in the low 128 bits of the set's
 * register r, row r of the next block in its high 128 bits. The 128-bit
 * lanes never mix during the rounds, so a set is worked on exactly like an
 * xmm state of the SSE2 implementation, two blocks for the price of one.
 */

/*
 * Four quarter-rounds on the rows \a, \b, \c and \d of a set of ymm
 * registers, rotating with vpshufb (by 16 and 8, masks in %ymm11 and
 * %ymm12) and with two shifts (by 12 and 7, \t as scratch).
 */
.macro AVX2_QUARTERROUNDS a, b, c, d, t
	vpaddd		\b, \a, \a
	vpxor		\a, \d, \d
	vpshufb		%ymm11, \d, \d

	vpaddd		\d, \c, \c
	vpxor		\c, \b, \b
	vpslld		$12, \b, \t
	vpsrld		$20, \b, \b
	vpor		\t, \b, \b

	vpaddd		\b, \a, \a
	vpxor		\a, \d, \d
	vpshufb		%ymm12, \d, \d

	vpaddd		\d, \c, \c
	vpxor		\c, \b, \b
	vpslld		$7, \b, \t
	vpsrld		$25, \b, \b
	vpor		\t, \b, \b
.endm

/*
 * Rotate the lanes of rows 1, 2 and 3 of a set left by 1, 2 and 3 words
 * (in each 128-bit half), turning diagonals into columns, or back with the
 * inverse immediates.
 */
.macro VSHUFFLE_ROWS b, c, d, imm_b, imm_c, imm_d
	vpshufd		$\imm_b, \b, \b
	vpshufd		$\imm_c, \c, \c
	vpshufd		$\imm_d, \d, \d
.endm

/*
 * Store both blocks of the set %ymm\r0-%ymm\r3 (input already added) at
 * \off(%rdi): the low halves of the rows make the first block, the high
 * halves the second. \t0 and \t1 are scratch.
 */
.macro AVX2_STORE_TWO r0, r1, r2, r3, t0, t1, off
	vperm2i128	$0x20, %ymm\r1, %ymm\r0, %ymm\t0
	vperm2i128	$0x20, %ymm\r3, %ymm\r2, %ymm\t1
	vmovdqu		%ymm\t0, \off + 0x00(%rdi)
	vmovdqu		%ymm\t1, \off + 0x20(%rdi)
	vperm2i128	$0x31, %ymm\r1, %ymm\r0, %ymm\t0
	vperm2i128	$0x31, %ymm\r3, %ymm\r2, %ymm\t1
	vmovdqu		%ymm\t0, \off + 0x40(%rdi)
	vmovdqu		%ymm\t1, \off + 0x60(%rdi)
.endm

/* Store only the first block of the set %ymm\r0-%ymm\r3 at \off(%rdi). */
.macro STORE_FIRST r0, r1, r2, r3, off
	vmovdqu		%xmm\r0, \off + 0x00(%rdi)
	vmovdqu		%xmm\r1, \off + 0x10(%rdi)
	vmovdqu		%xmm\r2, \off + 0x20(%rdi)
	vmovdqu		%xmm\r3, \off + 0x30(%rdi)
.endm

/*
 * void __arch_chacha20_blocks_nostack_avx2(u8 *dst_bytes, const u32 *key,
 *					    u32 *counter, size_t nblocks)
 *
 * __arch_chacha20_blocks_nostack() in AVX2, four blocks at a time in two
 * sets of ymm registers; for a last group of fewer than four blocks, the
 * blocks past nblocks are computed but not stored.
 *
 *	%rdi	dst_bytes, advanced by 256 per group
 *	%rsi	key
 *	%rdx	counter
 *	%rcx	blocks left
 *	%rax	counter + nblocks, stored at the end
 *	%r8d	double-round count
 *	%ymm0-3	state of the first pair of blocks of a group
 *	%ymm4-7	state of the second pair
 *	%ymm8	row 1 of the input, for both blocks: key words 0-3
 *	%ymm9	row 2 of the input: key words 4-7
 *	%ymm10	row 3 of the input for the first pair: counters, zero nonce
 *	%ymm11	vpshufb mask: rotate left by 16
 *	%ymm12	vpshufb mask: rotate left by 8
 *	%ymm13	scratch
 *	%ymm14	row 3 of the input for the second pair
 *	%ymm15	scratch
 *
 * Row 0 of the input, the constants, is read from memory where needed.
 */
SYM_FUNC_START(__arch_chacha20_blocks_nostack_avx2)
	.cfi_startproc
	test		%rcx, %rcx
	jz		.Lavx2_return

	mov		(%rdx), %rax
	add		%rcx, %rax
	vbroadcasti128	0x00(%rsi), %ymm8
	vbroadcasti128	0x10(%rsi), %ymm9
	vmovq		(%rdx), %xmm10
	vpermq		$0x44, %ymm10, %ymm10
	vpaddq		.Lcounter_0_1(%rip), %ymm10, %ymm10
	vbroadcasti128	.Lrotl16_bytes(%rip), %ymm11
	vbroadcasti128	.Lrotl8_bytes(%rip), %ymm12

.Lavx2_next_group:
	vpaddq		.Lcounter_2(%rip), %ymm10, %ymm14
	vmovdqa		.Lchacha_sigma(%rip), %ymm0
	vmovdqa		%ymm8, %ymm1
	vmovdqa		%ymm9, %ymm2
	vmovdqa		%ymm10, %ymm3
	vmovdqa		%ymm0, %ymm4
	vmovdqa		%ymm8, %ymm5
	vmovdqa		%ymm9, %ymm6
	vmovdqa		%ymm14, %ymm7

	mov		$10, %r8d
.Lavx2_double_round:
	/* Column round */
	AVX2_QUARTERROUNDS	%ymm0, %ymm1, %ymm2, %ymm3, %ymm13
	AVX2_QUARTERROUNDS	%ymm4, %ymm5, %ymm6, %ymm7, %ymm15
	/* Diagonal round */
	VSHUFFLE_ROWS		%ymm1, %ymm2, %ymm3, 0x39, 0x4e, 0x93
	VSHUFFLE_ROWS		%ymm5, %ymm6, %ymm7, 0x39, 0x4e, 0x93
	AVX2_QUARTERROUNDS	%ymm0, %ymm1, %ymm2, %ymm3, %ymm13
	AVX2_QUARTERROUNDS	%ymm4, %ymm5, %ymm6, %ymm7, %ymm15
	VSHUFFLE_ROWS		%ymm1, %ymm2, %ymm3, 0x93, 0x4e, 0x39
	VSHUFFLE_ROWS		%ymm5, %ymm6, %ymm7, 0x93, 0x4e, 0x39
	dec		%r8d
	jnz		.Lavx2_double_round

	vpaddd		.Lchacha_sigma(%rip), %ymm0, %ymm0
	vpaddd		%ymm8, %ymm1, %ymm1
	vpaddd		%ymm9, %ymm2, %ymm2
	vpaddd		%ymm10, %ymm3, %ymm3
	vpaddd		.Lchacha_sigma(%rip), %ymm4, %ymm4
	vpaddd		%ymm8, %ymm5, %ymm5
	vpaddd		%ymm9, %ymm6, %ymm6
	vpaddd		%ymm14, %ymm7, %ymm7

	cmp		$4, %rcx
	jb		.Lavx2_last_group
	AVX2_STORE_TWO	0, 1, 2, 3, 13, 15, 0x00
	AVX2_STORE_TWO	4, 5, 6, 7, 13, 15, 0x80
	vpaddq		.Lcounter_4(%rip), %ymm10, %ymm10
	add		$0x100, %rdi
	sub		$4, %rcx
	jnz		.Lavx2_next_group
	jmp		.Lavx2_done

.Lavx2_last_group:
	/* One, two or three blocks left */
	cmp		$2, %rcx
	jb		.Lavx2_last_one
	AVX2_STORE_TWO	0, 1, 2, 3, 13, 15, 0x00
	cmp		$2, %rcx
	je		.Lavx2_done
	STORE_FIRST	4, 5, 6, 7, 0x80
	jmp		.Lavx2_done
.Lavx2_last_one:
	STORE_FIRST	0, 1, 2, 3, 0x00

.Lavx2_done:
	/* Store the advanced counter: words 0 and 1 only */
	mov		%rax, (%rdx)
	/* Leave no key-derived data behind: clear all of %ymm0-15 */
	vzeroall
.Lavx2_return:
	ret
	.cfi_endproc
SYM_FUNC_END(__arch_chacha20_blocks_nostack_avx2)



/*
 * The AVX-512 implementation lays the blocks out the other way round:
 * each vector register holds one word of the state for all the blocks of
 * a group, block j in lane j. A quarter-round then works on four whole
 * registers, with no lane shuffling between the column and the diagonal
 * rounds, and the four quarter-rounds of a round are independent. Only at
 * the end is the group transposed into blocks, for storing.
 *
 * Each step of a quarter-round waits for the one before, so four
 * independent quarter-rounds on one group leave the vector units of
 * current CPUs idle much of the time; two groups worked on together, a
 * pair, hide that latency. So blocks are made thirty-two at a time, in a
 * pair of groups of sixteen in %zmm0-15 and %zmm16-31, while that many are
 * left; then sixteen at a time, in a pair of groups of eight in %ymm0-15
 * and %ymm16-31, while more than eight are left; and the last eight or
 * fewer in one group in %ymm0-15. So a refill of the batch, sixteen
 * blocks, costs no more per block than a long run and uses no zmm
 * registers. On AMD Zen 4 that makes 6.2 GB/s for 32 or 64 blocks, and
 * 6.0 GB/s for 16, where a lone group of sixteen makes 5.2 GB/s and one
 * of eight 4.1 GB/s.
 *
 * The state words of a pair fill all thirty-two registers, so the key is
 * kept in four general-purpose registers (and, for the last group, also
 * in %ymm16-23), and the words 0-3 of the first group, once final, are
 * parked in its part of the output while the second group is transposed
 * and stored. They are keystream by then, about to be stored there
 * anyway.
 *
 * In the macros below, \v is the register name prefix of a group (ymm or
 * zmm) and \lanes its number of 32-bit lanes (8 or 16).
 */

/*
 * One ARX step on four sets of registers at once: for each k,
 * x_k += y_k, z_k ^= x_k, z_k <<<= \rot.
 */
.macro ARX4 v, rot, x0, y0, z0, x1, y1, z1, x2, y2, z2, x3, y3, z3
	vpaddd		%\v\y0, %\v\x0, %\v\x0
	vpaddd		%\v\y1, %\v\x1, %\v\x1
	vpaddd		%\v\y2, %\v\x2, %\v\x2
	vpaddd		%\v\y3, %\v\x3, %\v\x3
	vpxord		%\v\x0, %\v\z0, %\v\z0
	vpxord		%\v\x1, %\v\z1, %\v\z1
	vpxord		%\v\x2, %\v\z2, %\v\z2
	vpxord		%\v\x3, %\v\z3, %\v\z3
	vprold		$\rot, %\v\z0, %\v\z0
	vprold		$\rot, %\v\z1, %\v\z1
	vprold		$\rot, %\v\z2, %\v\z2
	vprold		$\rot, %\v\z3, %\v\z3
.endm

/* Four independent quarter-rounds, on words (a_k, b_k, c_k, d_k). */
.macro QR4 v, a0, b0, c0, d0, a1, b1, c1, d1, a2, b2, c2, d2, a3, b3, c3, d3
	ARX4	\v, 16, \a0, \b0, \d0, \a1, \b1, \d1, \a2, \b2, \d2, \a3, \b3, \d3
	ARX4	\v, 12, \c0, \d0, \b0, \c1, \d1, \b1, \c2, \d2, \b2, \c3, \d3, \b3
	ARX4	\v, 8, \a0, \b0, \d0, \a1, \b1, \d1, \a2, \b2, \d2, \a3, \b3, \d3
	ARX4	\v, 7, \c0, \d0, \b0, \c1, \d1, \b1, \c2, \d2, \b2, \c3, \d3, \b3
.endm

/* A column round then a diagonal round, on the group in registers 0-15. */
.macro DOUBLE_ROUND v
	QR4	\v, 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15
	QR4	\v, 0, 5, 10, 15, 1, 6, 11, 12, 2, 7, 8, 13, 3, 4, 9, 14
.endm

/*
 * Four independent quarter-rounds on each of two groups, the words of the
 * first in \a0-\d3 and those of the second in \e0-\h3, one step of each
 * in turn.
 */
.macro QR4_PAIR v, a0, b0, c0, d0, a1, b1, c1, d1, a2, b2, c2, d2, a3, b3, c3, d3, \
		e0, f0, g0, h0, e1, f1, g1, h1, e2, f2, g2, h2, e3, f3, g3, h3
	ARX4	\v, 16, \a0, \b0, \d0, \a1, \b1, \d1, \a2, \b2, \d2, \a3, \b3, \d3
	ARX4	\v, 16, \e0, \f0, \h0, \e1, \f1, \h1, \e2, \f2, \h2, \e3, \f3, \h3
	ARX4	\v, 12, \c0, \d0, \b0, \c1, \d1, \b1, \c2, \d2, \b2, \c3, \d3, \b3
	ARX4	\v, 12, \g0, \h0, \f0, \g1, \h1, \f1, \g2, \h2, \f2, \g3, \h3, \f3
	ARX4	\v, 8, \a0, \b0, \d0, \a1, \b1, \d1, \a2, \b2, \d2, \a3, \b3, \d3
	ARX4	\v, 8, \e0, \f0, \h0, \e1, \f1, \h1, \e2, \f2, \h2, \e3, \f3, \h3
	ARX4	\v, 7, \c0, \d0, \b0, \c1, \d1, \b1, \c2, \d2, \b2, \c3, \d3, \b3
	ARX4	\v, 7, \g0, \h0, \f0, \g1, \h1, \f1, \g2, \h2, \f2, \g3, \h3, \f3
.endm

/* A double round on two groups, in registers 0-15 and 16-31. */
.macro DOUBLE_ROUND_PAIR v
	QR4_PAIR	\v, 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15, \
			16, 20, 24, 28, 17, 21, 25, 29, 18, 22, 26, 30, 19, 23, 27, 31
	QR4_PAIR	\v, 0, 5, 10, 15, 1, 6, 11, 12, 2, 7, 8, 13, 3, 4, 9, 14, \
			16, 21, 26, 31, 17, 22, 27, 28, 18, 23, 24, 29, 19, 20, 25, 30
.endm

/*
 * Key word \i (0-7) to every lane of register \dst, from the general-purpose
 * register holding it (words 0-1 in %r10, 2-3 in %r11, 4-5 in %rax, 6-7
 * in %rsi), with %rdx as scratch.
 */
.macro KEY_WORD v, i, dst
.if \i < 2
	KEY_HALF	\v, %r10, %r10d, \i, \dst
.elseif \i < 4
	KEY_HALF	\v, %r11, %r11d, \i, \dst
.elseif \i < 6
	KEY_HALF	\v, %rax, %eax, \i, \dst
.else
	KEY_HALF	\v, %rsi, %esi, \i, \dst
.endif
.endm

/* The low (even \i) or high (odd \i) half of \r64, for KEY_WORD */
.macro KEY_HALF v, r64, r32, i, dst
.if \i % 2
	mov		\r64, %rdx
	shr		$32, %rdx
	vpbroadcastd	%edx, %\v\dst
.else
	vpbroadcastd	\r32, %\v\dst
.endif
.endm

/* All eight key words, to registers \r0-\r7, as KEY_WORD does. */
.macro KEY_WORDS v, r0, r1, r2, r3, r4, r5, r6, r7
	KEY_WORD	\v, 0, \r0
	KEY_WORD	\v, 1, \r1
	KEY_WORD	\v, 2, \r2
	KEY_WORD	\v, 3, \r3
	KEY_WORD	\v, 4, \r4
	KEY_WORD	\v, 5, \r5
	KEY_WORD	\v, 6, \r6
	KEY_WORD	\v, 7, \r7
.endm

/*
 * Add key word \i back into registers \x and \y, word 4 + \i of the two
 * groups of a pair, through register \tmp.
 */
.macro ADD_KEY_WORD v, i, x, y, tmp
	KEY_WORD	\v, \i, \tmp
	vpaddd		%\v\tmp, %\v\x, %\v\x
	vpaddd		%\v\tmp, %\v\y, %\v\y
.endm

/*
 * Registers \lo and \hi get the low and the high words of the counters of
 * the blocks \first to \first + \lanes - 1 of a group, that is %r9 plus
 * the block number, from \base holding %r9 in every 64-bit lane. \s0 and
 * \s1 are scratch; \s1 may be \base, which is then lost.
 */
.macro COUNTERS v, lanes, base, first, lo, hi, s0, s1
	vpaddq		.Lqword_lanes + 8 * \first(%rip), %\v\base, %\v\s0
	vpaddq		.Lqword_lanes + 8 * \first + 4 * \lanes(%rip), %\v\base, %\v\s1
	vmovdqa32	.Ldword_even(%rip), %\v\lo
	vmovdqa32	.Ldword_odd(%rip), %\v\hi
	vpermi2d	%\v\s1, %\v\s0, %\v\lo
	vpermi2d	%\v\s1, %\v\s0, %\v\hi
.endm

/* Add the constants back into words 0-3, in registers \r0-\r3. */
.macro ADD_SIGMA v, lanes, r0, r1, r2, r3
	vpaddd		.Lchacha_sigma + 0x0(%rip){1to\lanes}, %\v\r0, %\v\r0
	vpaddd		.Lchacha_sigma + 0x4(%rip){1to\lanes}, %\v\r1, %\v\r1
	vpaddd		.Lchacha_sigma + 0x8(%rip){1to\lanes}, %\v\r2, %\v\r2
	vpaddd		.Lchacha_sigma + 0xc(%rip){1to\lanes}, %\v\r3, %\v\r3
.endm

/*
 * Transpose each 128-bit lane of registers \a, \b, \c and \d as a 4x4
 * matrix of words, with \s0-\s3 as scratch. Lane l of \a then holds the
 * four words of block 4 * l that \a-\d held, lane l of \b those of block
 * 4 * l + 1, and so on.
 */
.macro TRANSPOSE4 v, a, b, c, d, s0, s1, s2, s3
	vpunpckldq	%\v\b, %\v\a, %\v\s0
	vpunpckhdq	%\v\b, %\v\a, %\v\s1
	vpunpckldq	%\v\d, %\v\c, %\v\s2
	vpunpckhdq	%\v\d, %\v\c, %\v\s3
	vpunpcklqdq	%\v\s2, %\v\s0, %\v\a
	vpunpckhqdq	%\v\s2, %\v\s0, %\v\b
	vpunpcklqdq	%\v\s3, %\v\s1, %\v\c
	vpunpckhqdq	%\v\s3, %\v\s1, %\v\d
.endm

/*
 * Store register \reg at offset \off in block \blk of the pair or group at
 * %rdi, unless it has no such block: %rcx is the number of blocks still to
 * write, this pair's or group's and those after it.
 */
.macro STORE_PART v, reg, blk, off
	cmp		$(\blk), %rcx
	jbe		.Lskip_\@
	vmovdqu32	%\v\reg, 64 * (\blk) + \off(%rdi)
.Lskip_\@:
.endm

/* The same for a block that is known to be wanted. */
.macro STORE_FULL v, reg, blk, off
	vmovdqu32	%\v\reg, 64 * (\blk) + \off(%rdi)
.endm

/*
 * After TRANSPOSE4 on each set of four words of a group of eight, the
 * register holding words 4 * k to 4 * k + 3 of block m (0-3) holds in
 * lane l those of block 4 * l + m. Put together and store blocks m and
 * 4 + m, which are blocks \blk and \blk + 4 of the output, from the
 * registers \r0-\r3 holding their words 0-3, 4-7, 8-11 and 12-15, with
 * \s0-\s3 as scratch.
 */
.macro STORE_TWO r0, r1, r2, r3, blk, s0, s1, s2, s3, store
	vshufi32x4	$0, %ymm\r1, %ymm\r0, %ymm\s0
	vshufi32x4	$0, %ymm\r3, %ymm\r2, %ymm\s1
	vshufi32x4	$3, %ymm\r1, %ymm\r0, %ymm\s2
	vshufi32x4	$3, %ymm\r3, %ymm\r2, %ymm\s3
	\store		ymm, \s0, \blk, 0
	\store		ymm, \s1, \blk, 32
	\store		ymm, \s2, \blk + 4, 0
	\store		ymm, \s3, \blk + 4, 32
.endm

/*
 * The same for a group of sixteen, where lane l of \r0-\r3 holds words
 * 0-3, 4-7, 8-11 and 12-15 of block 4 * l + m: transpose their 4x4 matrix
 * of 128-bit lanes in two steps through \s0-\s3, which leaves block m in
 * \r0, block 4 + m in \r1, and so on, and store these four blocks as
 * blocks \blk, \blk + 4, \blk + 8 and \blk + 12 of the output.
 */
.macro STORE_FOUR r0, r1, r2, r3, blk, s0, s1, s2, s3, store
	vshufi32x4	$0x44, %zmm\r1, %zmm\r0, %zmm\s0
	vshufi32x4	$0xee, %zmm\r1, %zmm\r0, %zmm\s1
	vshufi32x4	$0x44, %zmm\r3, %zmm\r2, %zmm\s2
	vshufi32x4	$0xee, %zmm\r3, %zmm\r2, %zmm\s3
	vshufi32x4	$0x88, %zmm\s2, %zmm\s0, %zmm\r0
	vshufi32x4	$0xdd, %zmm\s2, %zmm\s0, %zmm\r1
	vshufi32x4	$0x88, %zmm\s3, %zmm\s1, %zmm\r2
	vshufi32x4	$0xdd, %zmm\s3, %zmm\s1, %zmm\r3
	\store		zmm, \r0, \blk, 0
	\store		zmm, \r1, \blk + 4, 0
	\store		zmm, \r2, \blk + 8, 0
	\store		zmm, \r3, \blk + 12, 0
.endm

/*
 * Transpose the group of \lanes blocks whose words 0-15 are in registers
 * \g to \g + 15 into blocks, with \s0-\s3 as scratch, and store them as
 * blocks \blk to \blk + \lanes - 1 of the output with \store. (The
 * alternate macro syntax turns the register numbers into arguments.)
 */
.macro STORE_GROUP v, lanes, g, blk, s0, s1, s2, s3, store
.altmacro
.irp k, 0, 4, 8, 12
	TRANSPOSE4	\v, %(\g + \k), %(\g + \k + 1), %(\g + \k + 2), \
			%(\g + \k + 3), \s0, \s1, \s2, \s3
.endr
.irp m, 0, 1, 2, 3
.if \lanes == 16
	STORE_FOUR	%(\g + \m), %(\g + 4 + \m), %(\g + 8 + \m), \
			%(\g + 12 + \m), \blk + \m, \s0, \s1, \s2, \s3, \store
.else
	STORE_TWO	%(\g + \m), %(\g + 4 + \m), %(\g + 8 + \m), \
			%(\g + 12 + \m), \blk + \m, \s0, \s1, \s2, \s3, \store
.endif
.endr
.noaltmacro
.endm

/*
 * A pair of groups of \lanes blocks each (eight in ymm registers or
 * sixteen in zmm registers): the first group's blocks in registers 0-15,
 * the second's in 16-31, word i of every block in register i and 16 + i.
 * The second group's blocks are stored with \store, which may leave out
 * those past the end; the first group is always whole.
 *
 * Adding the input back in and transposing need scratch registers, so
 * words 0-3 of the first group, once final, are parked in its part of the
 * output (which its blocks overwrite below) while the second group is
 * transposed and stored. They are keystream by then, about to be stored
 * there anyway.
 */
.macro PAIR v, lanes, store
	/* The counters first, while registers 26, 27 and 30 are free. */
	vpbroadcastq	%r9, %\v\()30
	COUNTERS	\v, \lanes, 30, 0, 12, 13, 26, 27
	COUNTERS	\v, \lanes, 30, \lanes, 28, 29, 26, 27
	vpbroadcastd	.Lchacha_sigma + 0x0(%rip), %\v\()0
	vpbroadcastd	.Lchacha_sigma + 0x4(%rip), %\v\()1
	vpbroadcastd	.Lchacha_sigma + 0x8(%rip), %\v\()2
	vpbroadcastd	.Lchacha_sigma + 0xc(%rip), %\v\()3
	vmovdqa32	%\v\()0, %\v\()16
	vmovdqa32	%\v\()1, %\v\()17
	vmovdqa32	%\v\()2, %\v\()18
	vmovdqa32	%\v\()3, %\v\()19
	KEY_WORDS	\v, 4, 5, 6, 7, 8, 9, 10, 11
	vmovdqa32	%\v\()4, %\v\()20
	vmovdqa32	%\v\()5, %\v\()21
	vmovdqa32	%\v\()6, %\v\()22
	vmovdqa32	%\v\()7, %\v\()23
	vmovdqa32	%\v\()8, %\v\()24
	vmovdqa32	%\v\()9, %\v\()25
	vmovdqa32	%\v\()10, %\v\()26
	vmovdqa32	%\v\()11, %\v\()27
	vpxord		%\v\()14, %\v\()14, %\v\()14
	vpxord		%\v\()15, %\v\()15, %\v\()15
	vpxord		%\v\()30, %\v\()30, %\v\()30
	vpxord		%\v\()31, %\v\()31, %\v\()31

	mov		$10, %r8d
.Lpair_double_round_\@:
	DOUBLE_ROUND_PAIR \v
	dec		%r8d
	jnz		.Lpair_double_round_\@

	ADD_SIGMA	\v, \lanes, 0, 1, 2, 3
	vmovdqu32	%\v\()0, 0 * 4 * \lanes(%rdi)
	vmovdqu32	%\v\()1, 1 * 4 * \lanes(%rdi)
	vmovdqu32	%\v\()2, 2 * 4 * \lanes(%rdi)
	vmovdqu32	%\v\()3, 3 * 4 * \lanes(%rdi)
	ADD_SIGMA	\v, \lanes, 16, 17, 18, 19
	ADD_KEY_WORD	\v, 0, 4, 20, 0
	ADD_KEY_WORD	\v, 1, 5, 21, 0
	ADD_KEY_WORD	\v, 2, 6, 22, 0
	ADD_KEY_WORD	\v, 3, 7, 23, 0
	ADD_KEY_WORD	\v, 4, 8, 24, 0
	ADD_KEY_WORD	\v, 5, 9, 25, 0
	ADD_KEY_WORD	\v, 6, 10, 26, 0
	ADD_KEY_WORD	\v, 7, 11, 27, 0
	vpbroadcastq	%r9, %\v\()0
	COUNTERS	\v, \lanes, 0, 0, 2, 3, 1, 0
	vpaddd		%\v\()2, %\v\()12, %\v\()12
	vpaddd		%\v\()3, %\v\()13, %\v\()13
	vpbroadcastq	%r9, %\v\()0
	COUNTERS	\v, \lanes, 0, \lanes, 2, 3, 1, 0
	vpaddd		%\v\()2, %\v\()28, %\v\()28
	vpaddd		%\v\()3, %\v\()29, %\v\()29

	STORE_GROUP	\v, \lanes, 16, \lanes, 0, 1, 2, 3, \store
	vmovdqu32	0 * 4 * \lanes(%rdi), %\v\()0
	vmovdqu32	1 * 4 * \lanes(%rdi), %\v\()1
	vmovdqu32	2 * 4 * \lanes(%rdi), %\v\()2
	vmovdqu32	3 * 4 * \lanes(%rdi), %\v\()3
	STORE_GROUP	\v, \lanes, 0, 0, 16, 17, 18, 19, STORE_FULL
.endm

/*
 * void __arch_chacha20_blocks_nostack_avx512vl(u8 *dst_bytes,
 *						const u32 *key,
 *						u32 *counter, size_t nblocks)
 *
 * __arch_chacha20_blocks_nostack() in AVX-512 (F and VL): pairs of groups
 * of sixteen and of eight, then a group of eight, one state word per
 * register as described above. For a last pair or group that is not full,
 * the blocks past nblocks are computed but not stored. No mask registers
 * are used.
 *
 *	%rdi	dst_bytes, advanced past each pair or group
 *	%rcx	blocks left
 *	%r8d	double-round count
 *	%r9	counter of the first block of the pair or group
 *	%r10, %r11, %rax, %rsi  key words 0-1, 2-3, 4-5 and 6-7
 *	%rdx	scratch, once the advanced counter is stored
 *
 *	pairs:
 *	0-15, 16-31  the two groups, word i of every block in register i
 *		and 16 + i
 *
 *	the last group of eight:
 *	0-15	the working state, word i of every block in register i
 *	16-23	key words 0-7, each in every lane of the register
 *	24-25	the low and high words of the counter of each block, and
 *		with 26-29 scratch
 */
SYM_FUNC_START(__arch_chacha20_blocks_nostack_avx512vl)
	.cfi_startproc
	test		%rcx, %rcx
	jz		.Lavx512_return

	/* Read the key and the counter, then store the counter's end. */
	mov		0x00(%rsi), %r10
	mov		0x08(%rsi), %r11
	mov		0x10(%rsi), %rax
	mov		0x18(%rsi), %rsi
	mov		(%rdx), %r9
	lea		(%r9, %rcx), %r8
	mov		%r8, (%rdx)

	cmp		$32, %rcx
	jb		.Lavx512_narrow

.Lavx512_next_wide_pair:
	PAIR		zmm, 16, STORE_FULL
	add		$32, %r9
	add		$0x800, %rdi
	sub		$32, %rcx
	cmp		$32, %rcx
	jae		.Lavx512_next_wide_pair
	test		%rcx, %rcx
	jz		.Lavx512_done

.Lavx512_narrow:
	cmp		$8, %rcx
	jbe		.Lavx512_last_group

.Lavx512_next_pair:
	PAIR		ymm, 8, STORE_PART
	add		$16, %r9
	add		$0x400, %rdi
	sub		$16, %rcx
	jbe		.Lavx512_done
	cmp		$8, %rcx
	ja		.Lavx512_next_pair

.Lavx512_last_group:
	KEY_WORDS	ymm, 16, 17, 18, 19, 20, 21, 22, 23
	vpbroadcastq	%r9, %ymm26
	COUNTERS	ymm, 8, 26, 0, 24, 25, 27, 26
	vpbroadcastd	.Lchacha_sigma + 0x0(%rip), %ymm0
	vpbroadcastd	.Lchacha_sigma + 0x4(%rip), %ymm1
	vpbroadcastd	.Lchacha_sigma + 0x8(%rip), %ymm2
	vpbroadcastd	.Lchacha_sigma + 0xc(%rip), %ymm3
	vmovdqa32	%ymm16, %ymm4
	vmovdqa32	%ymm17, %ymm5
	vmovdqa32	%ymm18, %ymm6
	vmovdqa32	%ymm19, %ymm7
	vmovdqa32	%ymm20, %ymm8
	vmovdqa32	%ymm21, %ymm9
	vmovdqa32	%ymm22, %ymm10
	vmovdqa32	%ymm23, %ymm11
	vmovdqa32	%ymm24, %ymm12
	vmovdqa32	%ymm25, %ymm13
	vpxord		%ymm14, %ymm14, %ymm14
	vpxord		%ymm15, %ymm15, %ymm15

	mov		$10, %r8d
.Lavx512_double_round:
	DOUBLE_ROUND	ymm
	dec		%r8d
	jnz		.Lavx512_double_round

	ADD_SIGMA	ymm, 8, 0, 1, 2, 3
	vpaddd		%ymm16, %ymm4, %ymm4
	vpaddd		%ymm17, %ymm5, %ymm5
	vpaddd		%ymm18, %ymm6, %ymm6
	vpaddd		%ymm19, %ymm7, %ymm7
	vpaddd		%ymm20, %ymm8, %ymm8
	vpaddd		%ymm21, %ymm9, %ymm9
	vpaddd		%ymm22, %ymm10, %ymm10
	vpaddd		%ymm23, %ymm11, %ymm11
	vpaddd		%ymm24, %ymm12, %ymm12
	vpaddd		%ymm25, %ymm13, %ymm13
	STORE_GROUP	ymm, 8, 0, 0, 24, 25, 26, 27, STORE_PART

.Lavx512_done:
	/*
	 * Leave no key-derived data behind: vzeroall clears all of
	 * %zmm0-15, and writing the ymm half of a register above clears the
	 * rest of it too. The key goes from the general-purpose registers.
	 */
	vzeroall
	vpxord		%ymm16, %ymm16, %ymm16
	vpxord		%ymm17, %ymm17, %ymm17
	vpxord		%ymm18, %ymm18, %ymm18
	vpxord		%ymm19, %ymm19, %ymm19
	vpxord		%ymm20, %ymm20, %ymm20
	vpxord		%ymm21, %ymm21, %ymm21
	vpxord		%ymm22, %ymm22, %ymm22
	vpxord		%ymm23, %ymm23, %ymm23
	vpxord		%ymm24, %ymm24, %ymm24
	vpxord		%ymm25, %ymm25, %ymm25
	vpxord		%ymm26, %ymm26, %ymm26
	vpxord		%ymm27, %ymm27, %ymm27
	vpxord		%ymm28, %ymm28, %ymm28
	vpxord		%ymm29, %ymm29, %ymm29
	vpxord		%ymm30, %ymm30, %ymm30
	vpxord		%ymm31, %ymm31, %ymm31
	xor		%r10d, %r10d
	xor		%r11d, %r11d
	xor		%eax, %eax
	xor		%esi, %esi
	xor		%edx, %edx
.Lavx512_return:
	ret
	.cfi_endproc
SYM_FUNC_END(__arch_chacha20_blocks_nostack_avx512vl)
