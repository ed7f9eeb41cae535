/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ChaCha20 keystream blocks for the vDSO getrandom(), without using the
 * stack: in SSE2, which every x86-64 CPU has, and in AVX2 and AVX-512VL,
 * which the vDSO's alternatives select at boot on CPUs that have them.
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
.align 32
.Lqword_lanes:
	/* 0 to 7 as 64-bit words: the block numbers within a group */
	.quad	0, 1, 2, 3, 4, 5, 6, 7
.Ldword_even:
	/* vpermi2d indices of the low halves of eight 64-bit words */
	.long	0, 2, 4, 6, 8, 10, 12, 14
.Ldword_odd:
	/* ... and of their high halves */
	.long	1, 3, 5, 7, 9, 11, 13, 15

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
 * Only registers are used as working memory, and every vector register
 * used is cleared before returning. The entry point is patched at boot to
 * jump to the AVX2 or the AVX-512VL implementation below when the CPU has
 * them (AVX-512VL wins when both are there); otherwise it runs the SSE2
 * implementation that follows it. Each implementation also has a symbol of
 * its own, so that tests can check them all on a CPU that has them.
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
SYM_FUNC_END(__arch_chacha20_blocks_nostack_avx2)

/*
 * The AVX-512VL implementation lays the blocks out the other way round:
 * each ymm register holds one word of the state for all eight blocks of a
 * group, block j in lane j. A quarter-round then works on four whole registers, with no
 * lane shuffling between the column and the diagonal rounds, and the four
 * quarter-rounds of a round are independent, which keeps more work in
 * flight than the latency of the rotates would otherwise allow. Only at
 * the end is the group transposed into blocks, for storing.
 *
 * This needs all of the 16 state words in registers, each used from one
 * of the four quarter-rounds of a round, and the 8 key words kept apart:
 * only the 32 registers of AVX-512 hold that without touching memory. The
 * output is the same as in the other layout, block for block.
 */

/*
 * One ARX step on four sets of registers at once: for each k,
 * x_k += y_k, z_k ^= x_k, z_k <<<= \rot.
 */
.macro ARX4 rot, x0, y0, z0, x1, y1, z1, x2, y2, z2, x3, y3, z3
	vpaddd		%ymm\y0, %ymm\x0, %ymm\x0
	vpaddd		%ymm\y1, %ymm\x1, %ymm\x1
	vpaddd		%ymm\y2, %ymm\x2, %ymm\x2
	vpaddd		%ymm\y3, %ymm\x3, %ymm\x3
	vpxord		%ymm\x0, %ymm\z0, %ymm\z0
	vpxord		%ymm\x1, %ymm\z1, %ymm\z1
	vpxord		%ymm\x2, %ymm\z2, %ymm\z2
	vpxord		%ymm\x3, %ymm\z3, %ymm\z3
	vprold		$\rot, %ymm\z0, %ymm\z0
	vprold		$\rot, %ymm\z1, %ymm\z1
	vprold		$\rot, %ymm\z2, %ymm\z2
	vprold		$\rot, %ymm\z3, %ymm\z3
.endm

/* Four independent quarter-rounds, on words (a_k, b_k, c_k, d_k). */
.macro QR4 a0, b0, c0, d0, a1, b1, c1, d1, a2, b2, c2, d2, a3, b3, c3, d3
	ARX4	16, \a0, \b0, \d0, \a1, \b1, \d1, \a2, \b2, \d2, \a3, \b3, \d3
	ARX4	12, \c0, \d0, \b0, \c1, \d1, \b1, \c2, \d2, \b2, \c3, \d3, \b3
	ARX4	8, \a0, \b0, \d0, \a1, \b1, \d1, \a2, \b2, \d2, \a3, \b3, \d3
	ARX4	7, \c0, \d0, \b0, \c1, \d1, \b1, \c2, \d2, \b2, \c3, \d3, \b3
.endm

/*
 * Set up a group: the input state in %ymm0-15, with the counters of its
 * blocks (%r9 plus the lane number) in %ymm24 and %ymm25, from the key
 * already in %ymm16-23.
 */
.macro VERT_INIT
	vpbroadcastq	%r9, %ymm26
	vpaddq		.Lqword_lanes(%rip), %ymm26, %ymm27
	vpaddq		.Lqword_lanes + 0x20(%rip), %ymm26, %ymm26
	vmovdqa32	.Ldword_even(%rip), %ymm24
	vmovdqa32	.Ldword_odd(%rip), %ymm25
	vpermi2d	%ymm26, %ymm27, %ymm24
	vpermi2d	%ymm26, %ymm27, %ymm25

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
.endm

/* The twenty rounds, then the input added back in. */
.macro VERT_ROUNDS
	mov		$10, %r8d
.Lavx512_double_round:
	QR4	0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15
	QR4	0, 5, 10, 15, 1, 6, 11, 12, 2, 7, 8, 13, 3, 4, 9, 14
	dec		%r8d
	jnz		.Lavx512_double_round

	vpaddd		.Lchacha_sigma + 0x0(%rip){1to8}, %ymm0, %ymm0
	vpaddd		.Lchacha_sigma + 0x4(%rip){1to8}, %ymm1, %ymm1
	vpaddd		.Lchacha_sigma + 0x8(%rip){1to8}, %ymm2, %ymm2
	vpaddd		.Lchacha_sigma + 0xc(%rip){1to8}, %ymm3, %ymm3
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
.endm

/*
 * Transpose each 128-bit lane of registers \a, \b, \c and \d as a 4x4
 * matrix of words, with %ymm24-27 as scratch. Lane l of \a then holds the four
 * words of block 4 * l that \a-\d held, lane l of \b those of block
 * 4 * l + 1, and so on.
 */
.macro TRANSPOSE4 a, b, c, d
	vpunpckldq	%ymm\b, %ymm\a, %ymm24
	vpunpckhdq	%ymm\b, %ymm\a, %ymm25
	vpunpckldq	%ymm\d, %ymm\c, %ymm26
	vpunpckhdq	%ymm\d, %ymm\c, %ymm27
	vpunpcklqdq	%ymm26, %ymm24, %ymm\a
	vpunpckhqdq	%ymm26, %ymm24, %ymm\b
	vpunpcklqdq	%ymm27, %ymm25, %ymm\c
	vpunpckhqdq	%ymm27, %ymm25, %ymm\d
.endm

/*
 * Store %ymm\reg at offset \off in block \blk of the group at %rdi,
 * unless the group has no such block: %rcx is the number of blocks still
 * to write, this group's and those after it.
 */
.macro STORE_PART reg, blk, off
	cmp		$\blk, %rcx
	jbe		.Lskip_\@
	vmovdqu32	%ymm\reg, \blk * 64 + \off(%rdi)
.Lskip_\@:
.endm

/*
 * After TRANSPOSE4 on each set of four words, %ymm(4 * g + m) holds in
 * lane l words 4 * g to 4 * g + 3 of block 4 * l + m. Put together and
 * store blocks \m and \v (that is, m and 4 + m, which are also the
 * numbers of the first two registers holding their parts; \w and \x
 * hold the others).
 */
.macro STORE_TWO m, v, w, x
	vshufi32x4	$0, %ymm\v, %ymm\m, %ymm24
	vshufi32x4	$0, %ymm\x, %ymm\w, %ymm25
	vshufi32x4	$3, %ymm\v, %ymm\m, %ymm26
	vshufi32x4	$3, %ymm\x, %ymm\w, %ymm27
	STORE_PART	24, \m, 0
	STORE_PART	25, \m, 32
	STORE_PART	26, \v, 0
	STORE_PART	27, \v, 32
.endm

/*
 * void __arch_chacha20_blocks_nostack_avx512vl(u8 *dst_bytes,
 *						const u32 *key,
 *						u32 *counter, size_t nblocks)
 *
 * __arch_chacha20_blocks_nostack() in AVX-512VL: eight blocks at a time,
 * one state word per ymm register as described above. For a last group
 * of fewer than eight blocks, the blocks past nblocks are computed but not
 * stored. Only ymm registers are used, not zmm, and no mask registers.
 *
 *	%rdi	dst_bytes, advanced by 512 per group
 *	%rsi	key
 *	%rdx	counter
 *	%rcx	blocks left
 *	%rax	counter + nblocks, stored at the end
 *	%r8d	double-round count
 *	%r9	counter of the group's first block
 *	%ymm0-15 the working state, word i of every block in %ymm(i)
 *	%ymm16-23 key words 0-7, each in every lane
 *	%ymm24-25 the low and high words of the counter of each block, and
 *		with %ymm26-27 scratch
 */
SYM_FUNC_START(__arch_chacha20_blocks_nostack_avx512vl)
	test		%rcx, %rcx
	jz		.Lavx512_return

	mov		(%rdx), %r9
	lea		(%r9, %rcx), %rax
	vpbroadcastd	0x00(%rsi), %ymm16
	vpbroadcastd	0x04(%rsi), %ymm17
	vpbroadcastd	0x08(%rsi), %ymm18
	vpbroadcastd	0x0c(%rsi), %ymm19
	vpbroadcastd	0x10(%rsi), %ymm20
	vpbroadcastd	0x14(%rsi), %ymm21
	vpbroadcastd	0x18(%rsi), %ymm22
	vpbroadcastd	0x1c(%rsi), %ymm23

.Lavx512_next_group:
	VERT_INIT
	VERT_ROUNDS
	TRANSPOSE4	0, 1, 2, 3
	TRANSPOSE4	4, 5, 6, 7
	TRANSPOSE4	8, 9, 10, 11
	TRANSPOSE4	12, 13, 14, 15
	STORE_TWO	0, 4, 8, 12
	STORE_TWO	1, 5, 9, 13
	STORE_TWO	2, 6, 10, 14
	STORE_TWO	3, 7, 11, 15
	add		$8, %r9
	add		$0x200, %rdi
	sub		$8, %rcx
	ja		.Lavx512_next_group

	/* Store the advanced counter: words 0 and 1 only */
	mov		%rax, (%rdx)
	/*
	 * Leave no key-derived data behind: vzeroall clears %ymm0-15 (all of
	 * %zmm0-15); the registers above need clearing one by one.
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
.Lavx512_return:
	ret
SYM_FUNC_END(__arch_chacha20_blocks_nostack_avx512vl)
