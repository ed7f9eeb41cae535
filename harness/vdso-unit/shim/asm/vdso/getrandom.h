/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mocked architecture hooks for lib/vdso/getrandom.c: the test controls
 * the "system call" and the data page.
 */
#ifndef _UNIT_SHIM_ASM_VDSO_GETRANDOM_H
#define _UNIT_SHIM_ASM_VDSO_GETRANDOM_H

#include <vdso/datapage.h>

extern struct vdso_rng_data unit_rng_data;
ssize_t unit_getrandom_syscall(void *buffer, size_t len, unsigned int flags);

static __always_inline ssize_t getrandom_syscall(void *buffer, size_t len,
						 unsigned int flags)
{
	return unit_getrandom_syscall(buffer, len, flags);
}

static __always_inline const struct vdso_rng_data *__arch_get_vdso_rng_data(void)
{
	return &unit_rng_data;
}

/*
 * The x86-64 variant of the generic code also gets the vector copy, which
 * the test wraps to check how it is called.
 */
#ifdef UNIT_ARCH_COPY
void __arch_memcpy_and_zero_src(void *dst, void *src, size_t len);
#define __arch_memcpy_and_zero_src __arch_memcpy_and_zero_src
#endif

#endif
