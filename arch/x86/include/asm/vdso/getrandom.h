/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 hooks for the generic vDSO getrandom() in lib/vdso/getrandom.c.
 */
#ifndef __ASM_VDSO_GETRANDOM_H
#define __ASM_VDSO_GETRANDOM_H

#ifndef __ASSEMBLY__

#include <asm/unistd.h>
#include <vdso/datapage.h>

/**
 * getrandom_syscall - invoke the getrandom() system call
 * @buffer:	Destination buffer.
 * @len:	Number of bytes requested.
 * @flags:	GRND_* flags, passed through unchanged.
 *
 * Return: what the system call returned: the number of bytes written, or
 * a negative errno.
 */
static __always_inline ssize_t getrandom_syscall(void *buffer, size_t len,
						 unsigned int flags)
{
	long ret;

	asm volatile ("syscall"
		      : "=a" (ret)
		      : "0" (__NR_getrandom), "D" (buffer), "S" (len), "d" (flags)
		      : "rcx", "r11", "memory");

	return ret;
}

ssize_t __vdso_getrandom(void *buffer, size_t len, unsigned int flags,
			 void *opaque_state, size_t opaque_len);

/* The RNG data at the vvar page slot, and at the time namespace page slot */
extern struct vdso_rng_data vvar__vdso_rng_data
	__attribute__((visibility("hidden")));
extern struct vdso_rng_data timens__vdso_rng_data
	__attribute__((visibility("hidden")));

/**
 * __arch_get_vdso_rng_data - locate the RNG data in the vvar page
 *
 * Description: A task in a time namespace has its namespace's page mapped
 * where the vvar page normally is, and the real vvar page mapped at the time
 * namespace page slot (see vvar_fault()). The namespace's page holds nothing
 * but the clock offsets, so look for the RNG data at the other slot in that
 * case; the clock mode of the page at the vvar slot tells which case it is.
 *
 * Return: a pointer to the kernel's &struct vdso_rng_data.
 */
static __always_inline const struct vdso_rng_data *__arch_get_vdso_rng_data(void)
{
	if (IS_ENABLED(CONFIG_TIME_NS) &&
	    READ_ONCE(__arch_get_vdso_data()->clock_mode) == VDSO_CLOCKMODE_TIMENS)
		return &timens__vdso_rng_data;

	return &vvar__vdso_rng_data;
}

/**
 * __arch_memcpy_and_zero_src - copy served keystream out of the batch
 * @dst:	Destination, not overlapping @src.
 * @src:	Source, zeroed once copied.
 * @len:	Number of bytes, at least %VGETRANDOM_ARCH_COPY_MIN.
 *
 * What the generic code's loop does, in vector registers, which a
 * function in C cannot use in the vDSO: about three times as fast for a
 * batch's worth. In vgetrandom-copy.S.
 */
void __arch_memcpy_and_zero_src(void *dst, void *src, size_t len);
#define __arch_memcpy_and_zero_src __arch_memcpy_and_zero_src

#endif /* !__ASSEMBLY__ */

#endif /* __ASM_VDSO_GETRANDOM_H */
