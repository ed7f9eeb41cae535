/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/linkage.h>, for assembling the .S file. */
#ifndef _UNIT_SHIM_LINUX_LINKAGE_H
#define _UNIT_SHIM_LINUX_LINKAGE_H

#define SYM_FUNC_START(name)	\
	.globl name;		\
	.type name, @function;	\
	.p2align 4;		\
	name:

#define SYM_FUNC_END(name)	\
	.size name, . - name

#define SYM_INNER_LABEL(name, linkage)	\
	.globl name;			\
	.type name, @function;		\
	name:

#endif
