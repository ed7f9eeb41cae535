/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ChaCha20 keystream blocks for the arm64 vDSO getrandom(), in NEON,
 * without using the stack.
 *
 * Four blocks are computed at once, one per 32-bit lane: register
 * v(16 + i) holds state word i of the four blocks, so each of the four
 * quarter rounds of a round is one independent chain of vector
 * instructions and the four chains can overlap in the pipeline. A run of
 * 1 to 3 blocks at the end still computes four and stores only those
 * asked for: less code than a second, one-block loop, and rarely paid
 * for, as a refill is 16 blocks and only output generated straight into
 * the caller's buffer can end in a partial group, once per call.
 *
 * Registers: only v0-v7 and v16-v31. The low halves of v8-v15 are
 * callee-saved in the AAPCS64, and a function that may not touch the
 * stack could not save them. x0-x9 are the only general registers used,
 * and none of them ever holds key or keystream data: the key goes
 * straight from memory into v2 and v3.
 *
 * Little-endian only: the keystream is stored as the lanes lie in the
 * registers, which is ChaCha20's byte order only on a little-endian
 * kernel. The vDSO getrandom() is not offered on big-endian arm64.
 *
 * No call frame information: the function is a leaf that keeps its return
 * address in x30 and never sets up a frame, which is what an unwinder
 * assumes of a function it knows nothing about, and the arm64 vDSO's
 * linker script discards .eh_frame in any case.
 */

#include <linux/linkage.h>

#ifdef CONFIG_CPU_BIG_ENDIAN
#error "the vDSO ChaCha20 stores keystream in little-endian order only"
#endif

	.section .rodata, "a"
	.align	4
.Lchacha_consts:
	/* "expand 32-byte k" as four little-endian words: state words 0-3 */
	.long	0x61707865, 0x3320646e, 0x79622d32, 0x6b206574
	/* tbl indices that rotate each 32-bit lane left by 8 bits */
	.byte	3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14

	.text

/*
 * One round on four independent groups of state words (a, b, c, d), each
 * register holding one state word of four blocks: the columns or the
 * diagonals, depending on the registers passed. The four quarter rounds
 * go step by step side by side, so no step waits on the one just before
 * it. Rotations: by 16 swaps the halfwords of each word, by 8 is a byte
 * permutation (tbl with the index vector in v1); by 12 and 7 have no
 * single instruction and shift left into the destination, then insert
 * the bits shifted out from the right (sri), from a copy of the xor in
 * v4-v7.
 */
	.macro	chacha_round	a0, b0, c0, d0, a1, b1, c1, d1, \
				a2, b2, c2, d2, a3, b3, c3, d3
	/* a += b; d ^= a; d <<<= 16 */
	add	\a0\().4s, \a0\().4s, \b0\().4s
	add	\a1\().4s, \a1\().4s, \b1\().4s
	add	\a2\().4s, \a2\().4s, \b2\().4s
	add	\a3\().4s, \a3\().4s, \b3\().4s
	eor	\d0\().16b, \d0\().16b, \a0\().16b
	eor	\d1\().16b, \d1\().16b, \a1\().16b
	eor	\d2\().16b, \d2\().16b, \a2\().16b
	eor	\d3\().16b, \d3\().16b, \a3\().16b
	rev32	\d0\().8h, \d0\().8h
	rev32	\d1\().8h, \d1\().8h
	rev32	\d2\().8h, \d2\().8h
	rev32	\d3\().8h, \d3\().8h

	/* c += d; b ^= c; b <<<= 12 */
	add	\c0\().4s, \c0\().4s, \d0\().4s
	add	\c1\().4s, \c1\().4s, \d1\().4s
	add	\c2\().4s, \c2\().4s, \d2\().4s
	add	\c3\().4s, \c3\().4s, \d3\().4s
	eor	v4.16b, \b0\().16b, \c0\().16b
	eor	v5.16b, \b1\().16b, \c1\().16b
	eor	v6.16b, \b2\().16b, \c2\().16b
	eor	v7.16b, \b3\().16b, \c3\().16b
	shl	\b0\().4s, v4.4s, #12
	shl	\b1\().4s, v5.4s, #12
	shl	\b2\().4s, v6.4s, #12
	shl	\b3\().4s, v7.4s, #12
	sri	\b0\().4s, v4.4s, #20
	sri	\b1\().4s, v5.4s, #20
	sri	\b2\().4s, v6.4s, #20
	sri	\b3\().4s, v7.4s, #20

	/* a += b; d ^= a; d <<<= 8 */
	add	\a0\().4s, \a0\().4s, \b0\().4s
	add	\a1\().4s, \a1\().4s, \b1\().4s
	add	\a2\().4s, \a2\().4s, \b2\().4s
	add	\a3\().4s, \a3\().4s, \b3\().4s
	eor	\d0\().16b, \d0\().16b, \a0\().16b
	eor	\d1\().16b, \d1\().16b, \a1\().16b
	eor	\d2\().16b, \d2\().16b, \a2\().16b
	eor	\d3\().16b, \d3\().16b, \a3\().16b
	tbl	\d0\().16b, {\d0\().16b}, v1.16b
	tbl	\d1\().16b, {\d1\().16b}, v1.16b
	tbl	\d2\().16b, {\d2\().16b}, v1.16b
	tbl	\d3\().16b, {\d3\().16b}, v1.16b

	/* c += d; b ^= c; b <<<= 7 */
	add	\c0\().4s, \c0\().4s, \d0\().4s
	add	\c1\().4s, \c1\().4s, \d1\().4s
	add	\c2\().4s, \c2\().4s, \d2\().4s
	add	\c3\().4s, \c3\().4s, \d3\().4s
	eor	v4.16b, \b0\().16b, \c0\().16b
	eor	v5.16b, \b1\().16b, \c1\().16b
	eor	v6.16b, \b2\().16b, \c2\().16b
	eor	v7.16b, \b3\().16b, \c3\().16b
	shl	\b0\().4s, v4.4s, #7
	shl	\b1\().4s, v5.4s, #7
	shl	\b2\().4s, v6.4s, #7
	shl	\b3\().4s, v7.4s, #7
	sri	\b0\().4s, v4.4s, #25
	sri	\b1\().4s, v5.4s, #25
	sri	\b2\().4s, v6.4s, #25
	sri	\b3\().4s, v7.4s, #25
	.endm

/*
 * Turn four registers holding one state word each of blocks 0-3 (lanes)
 * into four registers holding four consecutive words of one block each:
 * \w0 gets block 0's words, \w1 block 1's, and so on. 32-bit interleaves
 * pair the words of blocks 0/1 and 2/3, then 64-bit interleaves put the
 * pairs together.
 */
	.macro	transpose4	w0, w1, w2, w3
	zip1	v4.4s, \w0\().4s, \w1\().4s
	zip2	v5.4s, \w0\().4s, \w1\().4s
	zip1	v6.4s, \w2\().4s, \w3\().4s
	zip2	v7.4s, \w2\().4s, \w3\().4s
	zip1	\w0\().2d, v4.2d, v6.2d
	zip2	\w1\().2d, v4.2d, v6.2d
	zip1	\w2\().2d, v5.2d, v7.2d
	zip2	\w3\().2d, v5.2d, v7.2d
	.endm

/*
 * Put the lanes of the 64-bit block counters x4, x5, x6 and x7 (blocks
 * 0-3 of the group) into two registers: the low words into \lo and the
 * high words into \hi, so that each lane carries into its own high word.
 * Uses v4 and v5.
 */
	.macro	counter_lanes	lo, hi
	fmov	d4, x4
	mov	v4.d[1], x5
	fmov	d5, x6
	mov	v5.d[1], x7
	uzp1	\lo\().4s, v4.4s, v5.4s
	uzp2	\hi\().4s, v4.4s, v5.4s
	.endm

/*
 * void __arch_chacha20_blocks_nostack(u8 *dst_bytes, const u32 *key,
 *				       u32 *counter, size_t nblocks)
 *
 *	x0	dst_bytes: where the keystream goes, 64 bytes per block
 *	x1	key: 8 words, read before anything is written (dst may overlap)
 *	x2	counter: 64-bit block counter, low word first
 *	x3	nblocks: blocks left to produce; may be 0
 *
 *	x4-x7	block counters of the four lanes of the current group
 *	x8	address of the constants
 *	x9	double rounds left
 *	v0	state words 0-3, the constants
 *	v1	tbl indices of the rotation by 8
 *	v2, v3	state words 4-7 and 8-11, the key
 *	v4-v7	scratch
 *	v16-v31	state words 0-15 of four blocks, one block per lane
 */
SYM_FUNC_START(__arch_chacha20_blocks_nostack)
	cbz	x3, .Lreturn

	/* the key first: after the first store it may be gone */
	ld1	{v2.4s, v3.4s}, [x1]
	ldr	x4, [x2]
	adrp	x8, .Lchacha_consts
	add	x8, x8, :lo12:.Lchacha_consts
	ld1	{v0.16b, v1.16b}, [x8]

.Lnext_group:
	/* state words 0-11 of all four blocks: constants, then key */
	ld4r	{v16.4s, v17.4s, v18.4s, v19.4s}, [x8]
	dup	v20.4s, v2.s[0]
	dup	v21.4s, v2.s[1]
	dup	v22.4s, v2.s[2]
	dup	v23.4s, v2.s[3]
	dup	v24.4s, v3.s[0]
	dup	v25.4s, v3.s[1]
	dup	v26.4s, v3.s[2]
	dup	v27.4s, v3.s[3]
	/* words 12-13: counters n to n + 3 (64-bit adds carry); 14-15: 0 */
	add	x5, x4, #1
	add	x6, x4, #2
	add	x7, x4, #3
	counter_lanes	v28, v29
	movi	v30.16b, #0
	movi	v31.16b, #0

	mov	w9, #10
.Ldouble_round:
	chacha_round	v16, v20, v24, v28, v17, v21, v25, v29, \
			v18, v22, v26, v30, v19, v23, v27, v31
	chacha_round	v16, v21, v26, v31, v17, v22, v27, v28, \
			v18, v23, v24, v29, v19, v20, v25, v30
	subs	w9, w9, #1
	b.ne	.Ldouble_round

	/*
	 * Add the input: the counters while words 12 and 13 are still one
	 * register per word, everything else after the transposition, where
	 * one add of v0, v2 or v3 covers four words of a block.
	 */
	counter_lanes	v6, v7
	add	v28.4s, v28.4s, v6.4s
	add	v29.4s, v29.4s, v7.4s
	transpose4	v16, v17, v18, v19
	transpose4	v20, v21, v22, v23
	transpose4	v24, v25, v26, v27
	transpose4	v28, v29, v30, v31
	add	v16.4s, v16.4s, v0.4s
	add	v17.4s, v17.4s, v0.4s
	add	v18.4s, v18.4s, v0.4s
	add	v19.4s, v19.4s, v0.4s
	add	v20.4s, v20.4s, v2.4s
	add	v21.4s, v21.4s, v2.4s
	add	v22.4s, v22.4s, v2.4s
	add	v23.4s, v23.4s, v2.4s
	add	v24.4s, v24.4s, v3.4s
	add	v25.4s, v25.4s, v3.4s
	add	v26.4s, v26.4s, v3.4s
	add	v27.4s, v27.4s, v3.4s

	/* block n's rows are now v(16 + n), v(20 + n), v(24 + n), v(28 + n) */
	cmp	x3, #4
	b.lo	.Lpartial_group
	stp	q16, q20, [x0]
	stp	q24, q28, [x0, #32]
	stp	q17, q21, [x0, #64]
	stp	q25, q29, [x0, #96]
	stp	q18, q22, [x0, #128]
	stp	q26, q30, [x0, #160]
	stp	q19, q23, [x0, #192]
	stp	q27, q31, [x0, #224]
	add	x0, x0, #256
	add	x4, x4, #4
	subs	x3, x3, #4
	b.ne	.Lnext_group

.Ldone:
	str	x4, [x2]
	/* leave no key or keystream behind in the vector registers */
	movi	v0.16b, #0
	movi	v1.16b, #0
	movi	v2.16b, #0
	movi	v3.16b, #0
	movi	v4.16b, #0
	movi	v5.16b, #0
	movi	v6.16b, #0
	movi	v7.16b, #0
	movi	v16.16b, #0
	movi	v17.16b, #0
	movi	v18.16b, #0
	movi	v19.16b, #0
	movi	v20.16b, #0
	movi	v21.16b, #0
	movi	v22.16b, #0
	movi	v23.16b, #0
	movi	v24.16b, #0
	movi	v25.16b, #0
	movi	v26.16b, #0
	movi	v27.16b, #0
	movi	v28.16b, #0
	movi	v29.16b, #0
	movi	v30.16b, #0
	movi	v31.16b, #0
.Lreturn:
	ret

	/* 1 to 3 blocks were asked for: store only those of the four */
.Lpartial_group:
	add	x4, x4, x3
	stp	q16, q20, [x0]
	stp	q24, q28, [x0, #32]
	cmp	x3, #2
	b.lo	.Ldone
	stp	q17, q21, [x0, #64]
	stp	q25, q29, [x0, #96]
	b.eq	.Ldone
	stp	q18, q22, [x0, #128]
	stp	q26, q30, [x0, #160]
	b	.Ldone
SYM_FUNC_END(__arch_chacha20_blocks_nostack)

emit_aarch64_feature_1_and
