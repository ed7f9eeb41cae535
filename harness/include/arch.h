/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the architectures the harness's programs are
 * built for (harness/stress, harness/glibc-client): the names the vDSO
 * gives its functions and their symbol version, the seccomp architecture
 * and the interrupted program counter of a signal's context. The macros
 * expand where they are used, which includes what they need
 * (<linux/audit.h>, <ucontext.h>).
 */
#ifndef HARNESS_ARCH_H
#define HARNESS_ARCH_H

#if defined(__x86_64__)
#define VDSO_VERSION		"LINUX_2.6"
#define VDSO_CLOCK_GETTIME	"__vdso_clock_gettime"
#define VDSO_GETRANDOM		"__vdso_getrandom"
#define SECCOMP_AUDIT_ARCH	AUDIT_ARCH_X86_64
#define UCONTEXT_PC(uc)		((uc)->uc_mcontext.gregs[REG_RIP])
#elif defined(__aarch64__)
#define VDSO_VERSION		"LINUX_2.6.39"
#define VDSO_CLOCK_GETTIME	"__kernel_clock_gettime"
#define VDSO_GETRANDOM		"__kernel_getrandom"
#define SECCOMP_AUDIT_ARCH	AUDIT_ARCH_AARCH64
#define UCONTEXT_PC(uc)		((uc)->uc_mcontext.pc)
#else
#error "harness/include/arch.h: an architecture the harness does not know"
#endif

#endif /* HARNESS_ARCH_H */
