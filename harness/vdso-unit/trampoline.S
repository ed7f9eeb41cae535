/* SPDX-License-Identifier: GPL-2.0 */
/*
 * void unit_chacha_on_stack(void *stack_top, u8 *dst, const u32 *key,
 *			     u32 *counter, size_t nblocks, void *regs_out)
 *
 * Calls unit_chacha_fn, a block function, with %rsp at stack_top (a guarded
 * region the caller filled with a pattern) and the vector registers zeroed,
 * then stores the vector registers as the function left them to regs_out.
 * How many registers, and how wide, depends on unit_chacha_regs:
 *
 *	0  %xmm0-15				256 bytes
 *	1  %ymm0-15 (needs AVX)			512 bytes
 *	2  %zmm0-31 and %k0-7 (needs AVX-512F)	2048 + 8 * 8 bytes
 */
	.text
	.globl	unit_chacha_on_stack
	.type	unit_chacha_on_stack, @function
unit_chacha_on_stack:
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	mov	%rsp, %rbx
	mov	%r9, %r12
	mov	unit_chacha_fn(%rip), %r13
	mov	unit_chacha_regs(%rip), %r14d

	cmp	$2, %r14d
	je	.Lzero_zmm
	cmp	$1, %r14d
	je	.Lzero_ymm
	pxor	%xmm0, %xmm0
	pxor	%xmm1, %xmm1
	pxor	%xmm2, %xmm2
	pxor	%xmm3, %xmm3
	pxor	%xmm4, %xmm4
	pxor	%xmm5, %xmm5
	pxor	%xmm6, %xmm6
	pxor	%xmm7, %xmm7
	pxor	%xmm8, %xmm8
	pxor	%xmm9, %xmm9
	pxor	%xmm10, %xmm10
	pxor	%xmm11, %xmm11
	pxor	%xmm12, %xmm12
	pxor	%xmm13, %xmm13
	pxor	%xmm14, %xmm14
	pxor	%xmm15, %xmm15
	jmp	.Lcall
.Lzero_zmm:
	.irp	r, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	vpxord	%zmm\r, %zmm\r, %zmm\r
	.endr
	.irp	k, 0, 1, 2, 3, 4, 5, 6, 7
	kxorw	%k\k, %k\k, %k\k
	.endr
.Lzero_ymm:
	vzeroall

.Lcall:
	mov	%rdi, %rsp
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %rcx
	call	*%r13

	cmp	$2, %r14d
	je	.Lstore_zmm
	cmp	$1, %r14d
	je	.Lstore_ymm
	movdqu	%xmm0, 0x00(%r12)
	movdqu	%xmm1, 0x10(%r12)
	movdqu	%xmm2, 0x20(%r12)
	movdqu	%xmm3, 0x30(%r12)
	movdqu	%xmm4, 0x40(%r12)
	movdqu	%xmm5, 0x50(%r12)
	movdqu	%xmm6, 0x60(%r12)
	movdqu	%xmm7, 0x70(%r12)
	movdqu	%xmm8, 0x80(%r12)
	movdqu	%xmm9, 0x90(%r12)
	movdqu	%xmm10, 0xa0(%r12)
	movdqu	%xmm11, 0xb0(%r12)
	movdqu	%xmm12, 0xc0(%r12)
	movdqu	%xmm13, 0xd0(%r12)
	movdqu	%xmm14, 0xe0(%r12)
	movdqu	%xmm15, 0xf0(%r12)
	jmp	.Lout
.Lstore_ymm:
	.irp	r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vmovdqu	%ymm\r, \r * 32(%r12)
	.endr
	vzeroupper
	jmp	.Lout
.Lstore_zmm:
	.irp	r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	vmovdqu64 %zmm\r, \r * 64(%r12)
	.endr
	.irp	k, 0, 1, 2, 3, 4, 5, 6, 7
	kmovw	%k\k, %eax
	mov	%rax, 2048 + \k * 8(%r12)
	.endr
	vzeroupper

.Lout:
	mov	%rbx, %rsp
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	ret
	.size	unit_chacha_on_stack, . - unit_chacha_on_stack

	.section .note.GNU-stack, "", @progbits
