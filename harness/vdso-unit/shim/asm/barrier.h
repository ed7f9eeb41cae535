/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNIT_SHIM_ASM_BARRIER_H
#define _UNIT_SHIM_ASM_BARRIER_H

#ifdef __aarch64__
/* As arm64's: later loads wait for earlier ones. */
#define smp_rmb()	__asm__ __volatile__("dmb ishld" : : : "memory")
#else
/* As on x86: loads are not reordered with other loads. */
#define smp_rmb()	__asm__ __volatile__("" : : : "memory")
#endif

#endif
