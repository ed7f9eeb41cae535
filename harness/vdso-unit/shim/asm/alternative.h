/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <asm/alternative.h>, for assembling the .S files:
 * nothing patches this program's code, so an ALTERNATIVE or ALTERNATIVE_2
 * site is just its original instructions. The test calls each
 * implementation the alternatives choose between by its own symbol.
 */
#ifndef _UNIT_SHIM_ASM_ALTERNATIVE_H
#define _UNIT_SHIM_ASM_ALTERNATIVE_H

#ifdef __ASSEMBLY__
.macro ALTERNATIVE oldinstr, newinstr, feature
	\oldinstr
.endm

.macro ALTERNATIVE_2 oldinstr, newinstr1, feature1, newinstr2, feature2
	\oldinstr
.endm
#endif

#endif
