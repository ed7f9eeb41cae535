/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/linkage.h>, for assembling the .S file. */
#ifndef _UNIT_SHIM_LINUX_LINKAGE_H
#define _UNIT_SHIM_LINUX_LINKAGE_H

#ifdef __aarch64__
/*
 * As arm64's <asm/linkage.h>: every function starts with a BTI landing pad
 * ("bti c", spelt as its hint number), and <asm/assembler.h> comes along.
 */
#include <asm/assembler.h>
#define UNIT_FUNC_LANDING_PAD	hint 34
#else
#define UNIT_FUNC_LANDING_PAD
#endif

#define SYM_FUNC_START(name)	\
	.globl name;		\
	.type name, @function;	\
	.p2align 4;		\
	name:			\
	UNIT_FUNC_LANDING_PAD

#define SYM_FUNC_END(name)	\
	.size name, . - name

#define SYM_INNER_LABEL(name, linkage)	\
	.globl name;			\
	.type name, @function;		\
	name:

#endif
