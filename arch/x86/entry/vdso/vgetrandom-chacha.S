/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ChaCha20 keystream blocks for the vDSO getrandom(), in SSE2, without
 * using the stack.
 */

#include <linux/linkage.h>

.section .rodata, "a"
.align 16
.Lchacha_sigma:
	/* "expand 32-byte k" as four little-endian words */
	.long	0x61707865, 0x3320646e, 0x79622d32, 0x6b206574
.Lcounter_one:
	/* 1 in the low 64-bit lane: the block counter's increment */
	.quad	1, 0

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
 * Two blocks are computed at a time; for an odd nblocks the last pair's
 * second block is computed but not stored. Only registers are used as
 * working memory, and every xmm register is cleared before returning.
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
