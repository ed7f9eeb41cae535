/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 hooks for the generic vDSO getrandom() in lib/vdso/getrandom.c.
 */
#ifndef __ASM_VDSO_GETRANDOM_H
#define __ASM_VDSO_GETRANDOM_H

#ifndef __ASSEMBLY__

#include <asm/alternative.h>
#include <asm/unistd.h>
#include <vdso/datapage.h>

/**
 * getrandom_syscall - invoke the getrandom() system call
 * @_buffer:	Destination buffer.
 * @_len:	Number of bytes requested.
 * @_flags:	GRND_* flags, passed through unchanged.
 *
 * The arm64 convention: number in x8, arguments in x0-x2, result in x0.
 * The kernel gives every other general purpose register back unchanged,
 * so only x0 and memory are clobbered.
 *
 * Return: what the system call returned: the number of bytes written, or
 * a negative errno.
 */
static __always_inline ssize_t getrandom_syscall(void *_buffer, size_t _len,
						 unsigned int _flags)
{
	register void *buffer asm ("x0") = _buffer;
	register size_t len asm ("x1") = _len;
	register unsigned int flags asm ("x2") = _flags;
	register long ret asm ("x0");
	register long nr asm ("x8") = __NR_getrandom;

	asm volatile ("svc #0"
		      : "=r" (ret)
		      : "r" (buffer), "r" (len), "r" (flags), "r" (nr)
		      : "memory");

	return ret;
}

ssize_t __kernel_getrandom(void *buffer, size_t len, unsigned int flags,
			   void *opaque_state, size_t opaque_len);

/* The RNG data in the data page, and at the time namespace page slot */
extern struct vdso_rng_data _timens_rng_data
	__attribute__((visibility("hidden")));

/**
 * __arch_get_vdso_rng_data - locate the RNG data in the vDSO data page
 *
 * Description: A task in a time namespace has its namespace's page mapped
 * where the data page normally is, and the real data page one page
 * further (see vvar_fault()). The namespace's page holds only clock
 * offsets, so the RNG data is looked for at that second slot when the
 * clock mode of the first says it is a namespace's.
 *
 * The block function needs FP/SIMD. On the rare system whose CPUs lack it
 * (the ARM64_HAS_NO_FPSIMD capability, which the vDSO's alternatives
 * know), the RNG data returned is a constant one that is never ready, so
 * that every call takes the system call instead of running NEON code.
 *
 * Return: a pointer to the kernel's &struct vdso_rng_data.
 */
static __always_inline const struct vdso_rng_data *__arch_get_vdso_rng_data(void)
{
	static const struct vdso_rng_data never_ready = { .is_ready = false };
	unsigned long no_fpsimd;

	asm (ALTERNATIVE("mov	%0, #0", "mov	%0, #1", ARM64_HAS_NO_FPSIMD)
	     : "=r" (no_fpsimd));
	if (no_fpsimd)
		return &never_ready;

	if (IS_ENABLED(CONFIG_TIME_NS) &&
	    READ_ONCE(_vdso_data->clock_mode) == VDSO_CLOCKMODE_TIMENS)
		return &_timens_rng_data;

	return &_vdso_rng_data;
}

#endif /* !__ASSEMBLY__ */

#endif /* __ASM_VDSO_GETRANDOM_H */
