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
.Lcounter_8:
	.quad	8, 0, 8, 0

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
 * The AVX2 and AVX-512VL implementations hold two blocks in each set of
 * four ymm registers: row r of one block in the low 128 bits of the set's
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

/* The same with the AVX-512VL rotate instruction: no scratch register. */
.macro AVX512_QUARTERROUNDS a, b, c, d
	vpaddd		\b, \a, \a
	vpxor		\a, \d, \d
	vprold		$16, \d, \d

	vpaddd		\d, \c, \c
	vpxor		\c, \b, \b
	vprold		$12, \b, \b

	vpaddd		\b, \a, \a
	vpxor		\a, \d, \d
	vprold		$8, \d, \d

	vpaddd		\d, \c, \c
	vpxor		\c, \b, \b
	vprold		$7, \b, \b
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

/* The same with EVEX instructions, for scratch registers above 15. */
.macro AVX512_STORE_TWO r0, r1, r2, r3, t0, t1, off
	vshufi64x2	$0, %ymm\r1, %ymm\r0, %ymm\t0
	vshufi64x2	$0, %ymm\r3, %ymm\r2, %ymm\t1
	vmovdqu64	%ymm\t0, \off + 0x00(%rdi)
	vmovdqu64	%ymm\t1, \off + 0x20(%rdi)
	vshufi64x2	$3, %ymm\r1, %ymm\r0, %ymm\t0
	vshufi64x2	$3, %ymm\r3, %ymm\r2, %ymm\t1
	vmovdqu64	%ymm\t0, \off + 0x40(%rdi)
	vmovdqu64	%ymm\t1, \off + 0x60(%rdi)
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
 * void __arch_chacha20_blocks_nostack_avx512vl(u8 *dst_bytes,
 *						const u32 *key,
 *						u32 *counter, size_t nblocks)
 *
 * __arch_chacha20_blocks_nostack() in AVX-512VL: eight blocks at a time in
 * four sets of ymm registers, with the 32-bit rotate instruction, and the
 * input kept in the registers only AVX-512 has. For a last group of fewer
 * than eight blocks, the blocks past nblocks are computed but not stored.
 * Only ymm registers are used, not zmm, and no mask registers.
 *
 *	%rdi	dst_bytes, advanced by 512 per group
 *	%rsi	key
 *	%rdx	counter
 *	%rcx	blocks left
 *	%rax	counter + nblocks, stored at the end
 *	%r8d	double-round count
 *	%ymm0-15 state of the four pairs of blocks of a group
 *	%ymm16	row 0 of the input: the constants
 *	%ymm17	row 1 of the input: key words 0-3
 *	%ymm18	row 2 of the input: key words 4-7
 *	%ymm19-22 row 3 of the input for each pair: counters, zero nonce
 *	%ymm23-24 scratch
 */
SYM_FUNC_START(__arch_chacha20_blocks_nostack_avx512vl)
	test		%rcx, %rcx
	jz		.Lavx512_return

	mov		(%rdx), %rax
	add		%rcx, %rax
	vbroadcasti32x4	.Lchacha_sigma(%rip), %ymm16
	vbroadcasti32x4	0x00(%rsi), %ymm17
	vbroadcasti32x4	0x10(%rsi), %ymm18
	vmovq		(%rdx), %xmm19
	vpermq		$0x44, %ymm19, %ymm19
	vpaddq		.Lcounter_0_1(%rip), %ymm19, %ymm19

.Lavx512_next_group:
	vpaddq		.Lcounter_2(%rip), %ymm19, %ymm20
	vpaddq		.Lcounter_4(%rip), %ymm19, %ymm21
	vpaddq		.Lcounter_2(%rip), %ymm21, %ymm22
	vmovdqa64	%ymm16, %ymm0
	vmovdqa64	%ymm17, %ymm1
	vmovdqa64	%ymm18, %ymm2
	vmovdqa64	%ymm19, %ymm3
	vmovdqa64	%ymm16, %ymm4
	vmovdqa64	%ymm17, %ymm5
	vmovdqa64	%ymm18, %ymm6
	vmovdqa64	%ymm20, %ymm7
	vmovdqa64	%ymm16, %ymm8
	vmovdqa64	%ymm17, %ymm9
	vmovdqa64	%ymm18, %ymm10
	vmovdqa64	%ymm21, %ymm11
	vmovdqa64	%ymm16, %ymm12
	vmovdqa64	%ymm17, %ymm13
	vmovdqa64	%ymm18, %ymm14
	vmovdqa64	%ymm22, %ymm15

	mov		$10, %r8d
.Lavx512_double_round:
	/* Column round */
	AVX512_QUARTERROUNDS	%ymm0, %ymm1, %ymm2, %ymm3
	AVX512_QUARTERROUNDS	%ymm4, %ymm5, %ymm6, %ymm7
	AVX512_QUARTERROUNDS	%ymm8, %ymm9, %ymm10, %ymm11
	AVX512_QUARTERROUNDS	%ymm12, %ymm13, %ymm14, %ymm15
	/* Diagonal round */
	VSHUFFLE_ROWS		%ymm1, %ymm2, %ymm3, 0x39, 0x4e, 0x93
	VSHUFFLE_ROWS		%ymm5, %ymm6, %ymm7, 0x39, 0x4e, 0x93
	VSHUFFLE_ROWS		%ymm9, %ymm10, %ymm11, 0x39, 0x4e, 0x93
	VSHUFFLE_ROWS		%ymm13, %ymm14, %ymm15, 0x39, 0x4e, 0x93
	AVX512_QUARTERROUNDS	%ymm0, %ymm1, %ymm2, %ymm3
	AVX512_QUARTERROUNDS	%ymm4, %ymm5, %ymm6, %ymm7
	AVX512_QUARTERROUNDS	%ymm8, %ymm9, %ymm10, %ymm11
	AVX512_QUARTERROUNDS	%ymm12, %ymm13, %ymm14, %ymm15
	VSHUFFLE_ROWS		%ymm1, %ymm2, %ymm3, 0x93, 0x4e, 0x39
	VSHUFFLE_ROWS		%ymm5, %ymm6, %ymm7, 0x93, 0x4e, 0x39
	VSHUFFLE_ROWS		%ymm9, %ymm10, %ymm11, 0x93, 0x4e, 0x39
	VSHUFFLE_ROWS		%ymm13, %ymm14, %ymm15, 0x93, 0x4e, 0x39
	dec		%r8d
	jnz		.Lavx512_double_round

	vpaddd		%ymm16, %ymm0, %ymm0
	vpaddd		%ymm17, %ymm1, %ymm1
	vpaddd		%ymm18, %ymm2, %ymm2
	vpaddd		%ymm19, %ymm3, %ymm3
	vpaddd		%ymm16, %ymm4, %ymm4
	vpaddd		%ymm17, %ymm5, %ymm5
	vpaddd		%ymm18, %ymm6, %ymm6
	vpaddd		%ymm20, %ymm7, %ymm7
	vpaddd		%ymm16, %ymm8, %ymm8
	vpaddd		%ymm17, %ymm9, %ymm9
	vpaddd		%ymm18, %ymm10, %ymm10
	vpaddd		%ymm21, %ymm11, %ymm11
	vpaddd		%ymm16, %ymm12, %ymm12
	vpaddd		%ymm17, %ymm13, %ymm13
	vpaddd		%ymm18, %ymm14, %ymm14
	vpaddd		%ymm22, %ymm15, %ymm15

	cmp		$8, %rcx
	jb		.Lavx512_last_group
	AVX512_STORE_TWO 0, 1, 2, 3, 23, 24, 0x000
	AVX512_STORE_TWO 4, 5, 6, 7, 23, 24, 0x080
	AVX512_STORE_TWO 8, 9, 10, 11, 23, 24, 0x100
	AVX512_STORE_TWO 12, 13, 14, 15, 23, 24, 0x180
	vpaddq		.Lcounter_8(%rip), %ymm19, %ymm19
	add		$0x200, %rdi
	sub		$8, %rcx
	jnz		.Lavx512_next_group
	jmp		.Lavx512_done

.Lavx512_last_group:
	/* One to seven blocks left: store the whole pairs, then any odd one */
	cmp		$2, %rcx
	jb		.Lavx512_first_of_0
	AVX512_STORE_TWO 0, 1, 2, 3, 23, 24, 0x000
	cmp		$4, %rcx
	jb		.Lavx512_first_of_1
	AVX512_STORE_TWO 4, 5, 6, 7, 23, 24, 0x080
	cmp		$6, %rcx
	jb		.Lavx512_first_of_2
	AVX512_STORE_TWO 8, 9, 10, 11, 23, 24, 0x100
	test		$1, %cl
	jz		.Lavx512_done
	STORE_FIRST	12, 13, 14, 15, 0x180
	jmp		.Lavx512_done
.Lavx512_first_of_2:
	test		$1, %cl
	jz		.Lavx512_done
	STORE_FIRST	8, 9, 10, 11, 0x100
	jmp		.Lavx512_done
.Lavx512_first_of_1:
	test		$1, %cl
	jz		.Lavx512_done
	STORE_FIRST	4, 5, 6, 7, 0x080
	jmp		.Lavx512_done
.Lavx512_first_of_0:
	STORE_FIRST	0, 1, 2, 3, 0x000

.Lavx512_done:
	/* Store the advanced counter: words 0 and 1 only */
	mov		%rax, (%rdx)
	/*
	 * Leave no key-derived data behind: vzeroall clears %ymm0-15 (all of
	 * %zmm0-15), the VEX-less registers above need clearing one by one.
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
.Lavx512_return:
	ret
SYM_FUNC_END(__arch_chacha20_blocks_nostack_avx512vl)
