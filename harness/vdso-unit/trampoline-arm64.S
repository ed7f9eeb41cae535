/* SPDX-License-Identifier: GPL-2.0 */
/*
 * void unit_chacha_on_stack(void *stack_top, u8 *dst, const u32 *key,
 *			     u32 *counter, size_t nblocks, void *regs_out)
 *
 * arm64 version of trampoline.S: calls unit_chacha_fn, a block function,
 * with sp at stack_top (a guarded region the caller filled with a pattern)
 * and every vector register, and every general register it does not pass
 * or need itself, set to bytes of 0xc3. Then it stores how the function
 * left them to regs_out (struct arm64_regs in vdso_unit.c, 776 bytes):
 *
 *	0	v0-v31, 16 bytes each
 *	512	x0-x29 (x18 as well: it is the platform register, which
 *		the function must not touch, so the trampoline leaves it
 *		as it is and records it before and after)
 *	752	sp as the function returned it
 *	760	x18 before the call
 *	768	x18 after the call
 *
 * x19 (regs_out) and x20 (the real stack pointer) are the trampoline's:
 * a function that clobbered them, x29 or x30 would crash it rather than
 * fail a test.
 */
	.text
	.globl	unit_chacha_on_stack
	.type	unit_chacha_on_stack, %function
	.p2align 2
unit_chacha_on_stack:
	stp	x29, x30, [sp, #-160]!
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	stp	d8, d9, [sp, #96]
	stp	d10, d11, [sp, #112]
	stp	d12, d13, [sp, #128]
	stp	d14, d15, [sp, #144]
	mov	x19, x5
	mov	x20, sp
	str	x18, [x19, #760]

	movi	v0.16b, #0xc3
	.irp	r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, \
		16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	mov	v\r\().16b, v0.16b
	.endr
	umov	x9, v0.d[0]
	adrp	x16, unit_chacha_fn
	ldr	x16, [x16, :lo12:unit_chacha_fn]

	mov	sp, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	.irp	r, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 17, 21, 22, 23, 24, 25, 26, 27, 28, 9
	mov	x\r, x9
	.endr
	blr	x16

	.irp	r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, \
		16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29
	str	x\r, [x19, #512 + 8 * \r]
	.endr
	mov	x9, sp
	str	x9, [x19, #752]
	str	x18, [x19, #768]
	.irp	r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, \
		16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	str	q\r, [x19, #16 * \r]
	.endr

	mov	sp, x20
	ldp	d8, d9, [sp, #96]
	ldp	d10, d11, [sp, #112]
	ldp	d12, d13, [sp, #128]
	ldp	d14, d15, [sp, #144]
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #160
	ret
	.size	unit_chacha_on_stack, . - unit_chacha_on_stack

	.section .note.GNU-stack, "", %progbits
