/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copying served keystream out of the batch of the vDSO getrandom(), in
 * vector registers: in SSE2, which every x86-64 CPU has, and in AVX2,
 * which the vDSO's alternatives select at boot on CPUs that have it.
 *
 * As in vgetrandom-chacha.S, the functions never move %rsp: their call
 * frame information is just their bounds.
 */

#include <linux/linkage.h>
#include <asm/alternative.h>
#include <asm/cpufeatures.h>

.text

/* An unaligned move of a whole xmm or ymm register (\v), or to or from one */
.macro MOVU v, src, dst
.ifc \v, ymm
	vmovdqu		\src, \dst
.else
	movdqu		\src, \dst
.endif
.endm

/* Zero all of xmm or ymm register \r (\v says which) */
.macro CLEAR v, r
.ifc \v, ymm
	vpxor		%xmm\r, %xmm\r, %xmm\r
.else
	pxor		%xmm\r, %xmm\r
.endif
.endm

/*
 * Copy %rdx bytes, at least \width, from %rsi to %rdi, and zero them at
 * %rsi, \width bytes at a time through the \v (xmm or ymm) registers 0-2.
 *
 * The last \width bytes are read before anything is zeroed and are
 * written last: the loop's final chunk may overlap them, and that way no
 * length needs a shorter tail. %rax and %rcx are scratch.
 */
.macro COPY_AND_ZERO v, width
	lea		-\width(%rsi, %rdx), %rax
	lea		-\width(%rdi, %rdx), %rcx
	MOVU		\v, (%rax), %\v\()1
	CLEAR		\v, 2
.Lcopy_\@:
	MOVU		\v, (%rsi), %\v\()0
	MOVU		\v, %\v\()0, (%rdi)
	MOVU		\v, %\v\()2, (%rsi)
	add		$\width, %rsi
	add		$\width, %rdi
	cmp		%rax, %rsi
	jb		.Lcopy_\@
	MOVU		\v, %\v\()1, (%rcx)
	MOVU		\v, %\v\()2, (%rax)
	CLEAR		\v, 0
	CLEAR		\v, 1
.endm

/*
 * void __arch_memcpy_and_zero_src(void *dst, void *src, size_t len)
 *
 * Copies len bytes from src to dst and zeroes them at src. len is at
 * least VGETRANDOM_ARCH_COPY_MIN (64); dst and src do not overlap. No
 * stack is used, and the vector registers used are cleared before
 * returning.
 *
 * The entry point is patched at boot to jump to the AVX2 implementation
 * on CPUs that have AVX2; otherwise it runs the SSE2 one that follows.
 * Wider stores would gain little more: a batch's worth takes about 20 ns
 * in AVX2 on AMD Zen 4, where the loop in C takes 75 ns.
 */
SYM_FUNC_START(__arch_memcpy_and_zero_src)
	.cfi_startproc
	ALTERNATIVE "", "jmp __arch_memcpy_and_zero_src_avx2", X86_FEATURE_AVX2
SYM_INNER_LABEL(__arch_memcpy_and_zero_src_sse2, SYM_L_GLOBAL)
	COPY_AND_ZERO	xmm, 16
	ret
	.cfi_endproc
SYM_FUNC_END(__arch_memcpy_and_zero_src)

SYM_FUNC_START(__arch_memcpy_and_zero_src_avx2)
	.cfi_startproc
	COPY_AND_ZERO	ymm, 32
	vzeroupper
	ret
	.cfi_endproc
SYM_FUNC_END(__arch_memcpy_and_zero_src_avx2)
