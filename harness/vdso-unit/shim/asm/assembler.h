/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for arm64's <asm/assembler.h>: the test program is not
 * built for BTI, so the vDSO's BTI property note is left out.
 */
#ifndef _UNIT_SHIM_ASM_ASSEMBLER_H
#define _UNIT_SHIM_ASM_ASSEMBLER_H

.macro emit_aarch64_feature_1_and
.endm

#endif
