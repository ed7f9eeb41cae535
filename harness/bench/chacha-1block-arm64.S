/* SPDX-License-Identifier: GPL-2.0 */
/*
 * COMPARISON BASELINE for `make bench ARCH=arm64` only; not part of the
 * series and never in a kernel. A ChaCha20 block function with the same
 * contract as the vDSO's arch/arm64/kernel/vdso/vgetrandom-chacha.S, but
 * making one block per loop iteration, the usual layout for a single
 * NEON block: one row of the 4x4 state per register (v16-v19), the
 * diagonal round reached by rotating rows b, c and d with ext. The bench
 * counts the instructions of both loops to show what computing four
 * blocks side by side saves; it also checks this one against the C
 * reference, so that the comparison is with a correct function.
 *
 * void bench_chacha20_one_block(u8 *dst, const u32 *key, u32 *counter,
 *				 size_t nblocks)
 *
 *	v0	constants, v1 and v2 the key (rows 0-2 of the input)
 *	v7	tbl indices of the rotation by 8; v3, v4 scratch
 *	v16-v19	the state being worked on, rows a, b, c, d
 *	x4	64-bit block counter; x9 double rounds left
 */

	.section .rodata, "a"
	.align	4
.Lbaseline_consts:
	.long	0x61707865, 0x3320646e, 0x79622d32, 0x6b206574
	.byte	3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14

	.text

/* One round on the rows: columns, or diagonals once b, c, d are rotated */
	.macro	row_round
	add	v16.4s, v16.4s, v17.4s
	eor	v19.16b, v19.16b, v16.16b
	rev32	v19.8h, v19.8h
	add	v18.4s, v18.4s, v19.4s
	eor	v4.16b, v17.16b, v18.16b
	shl	v17.4s, v4.4s, #12
	sri	v17.4s, v4.4s, #20
	add	v16.4s, v16.4s, v17.4s
	eor	v19.16b, v19.16b, v16.16b
	tbl	v19.16b, {v19.16b}, v7.16b
	add	v18.4s, v18.4s, v19.4s
	eor	v4.16b, v17.16b, v18.16b
	shl	v17.4s, v4.4s, #7
	sri	v17.4s, v4.4s, #25
	.endm

	.globl	bench_chacha20_one_block
	.type	bench_chacha20_one_block, %function
	.p2align 4
bench_chacha20_one_block:
	cbz	x3, .Lbaseline_return
	ld1	{v1.4s, v2.4s}, [x1]
	ldr	x4, [x2]
	adrp	x8, .Lbaseline_consts
	add	x8, x8, :lo12:.Lbaseline_consts
	ld1	{v0.16b}, [x8], #16
	ld1	{v7.16b}, [x8]

.Lbaseline_block:
	mov	v16.16b, v0.16b
	mov	v17.16b, v1.16b
	mov	v18.16b, v2.16b
	/* row d: counter low and high words, then the zero nonce */
	fmov	d19, x4
	mov	w9, #10
.Lbaseline_double_round:
	row_round
	ext	v17.16b, v17.16b, v17.16b, #4
	ext	v18.16b, v18.16b, v18.16b, #8
	ext	v19.16b, v19.16b, v19.16b, #12
	row_round
	ext	v17.16b, v17.16b, v17.16b, #12
	ext	v18.16b, v18.16b, v18.16b, #8
	ext	v19.16b, v19.16b, v19.16b, #4
	subs	w9, w9, #1
	b.ne	.Lbaseline_double_round

	add	v16.4s, v16.4s, v0.4s
	add	v17.4s, v17.4s, v1.4s
	add	v18.4s, v18.4s, v2.4s
	fmov	d3, x4
	add	v19.4s, v19.4s, v3.4s
	stp	q16, q17, [x0]
	stp	q18, q19, [x0, #32]
	add	x0, x0, #64
	add	x4, x4, #1
	subs	x3, x3, #1
	b.ne	.Lbaseline_block

	str	x4, [x2]
	movi	v0.16b, #0
	movi	v1.16b, #0
	movi	v2.16b, #0
	movi	v3.16b, #0
	movi	v4.16b, #0
	movi	v7.16b, #0
	movi	v16.16b, #0
	movi	v17.16b, #0
	movi	v18.16b, #0
	movi	v19.16b, #0
.Lbaseline_return:
	ret
	.size	bench_chacha20_one_block, . - bench_chacha20_one_block

	.section .note.GNU-stack, "", %progbits
