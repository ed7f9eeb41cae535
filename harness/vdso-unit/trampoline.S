/* SPDX-License-Identifier: GPL-2.0 */
/*
 * void unit_chacha_on_stack(void *stack_top, u8 *dst, const u32 *key,
 *			     u32 *counter, size_t nblocks, void *xmm_out)
 *
 * Calls the block function with %rsp at stack_top (a guarded region the
 * caller filled with a pattern) and every xmm register zeroed, then stores
 * xmm0-xmm15 as the function left them to xmm_out (256 bytes).
 */
	.text
	.globl	unit_chacha_on_stack
	.type	unit_chacha_on_stack, @function
unit_chacha_on_stack:
	push	%rbx
	push	%r12
	mov	%rsp, %rbx
	mov	%r9, %r12
	mov	%rdi, %rsp
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %rcx
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
	call	real_chacha20_blocks_nostack
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
	mov	%rbx, %rsp
	pop	%r12
	pop	%rbx
	ret
	.size	unit_chacha_on_stack, . - unit_chacha_on_stack

	.section .note.GNU-stack, "", @progbits
