/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for the parts of <linux/kernel.h>, <linux/compiler.h>
 * and <linux/build_bug.h> that lib/vdso/getrandom.c uses.
 */
#ifndef _UNIT_SHIM_LINUX_KERNEL_H
#define _UNIT_SHIM_LINUX_KERNEL_H

#include <linux/types.h>

#undef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#define __packed		__attribute__((__packed__))
#define noinline		__attribute__((__noinline__))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define barrier()		__asm__ __volatile__("" : : : "memory")
/*
 * Every READ_ONCE() of the code under test first tells the test what it is
 * about to read, so that a test can drop the state or re-enter in the
 * middle of a copy, between two loads.
 */
extern void (*unit_before_read)(const void *p, size_t size);

static inline const void *unit_read_hook(const void *p, size_t size)
{
	if (unit_before_read)
		unit_before_read(p, size);
	return p;
}

#define READ_ONCE(x)							\
	(*(const volatile __typeof__(x) *)unit_read_hook(&(x), sizeof(x)))
#define WRITE_ONCE(x, val)	(*(volatile __typeof__(x) *)&(x) = (val))
/* IS_ENABLED() as <linux/kconfig.h> does it, for options set with -D */
#define __ARG_PLACEHOLDER_1	0,
#define __take_second_arg(__ignored, val, ...) val
#define __is_defined(x)		___is_defined(x)
#define ___is_defined(val)	____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0)
#define IS_ENABLED(option)	__is_defined(option)

#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), #cond)
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define sizeof_field(t, m)	sizeof(((t *)0)->m)
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))

#endif
