/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <asm/cpufeatures.h>: the bits the .S file names. */
#ifndef _UNIT_SHIM_ASM_CPUFEATURES_H
#define _UNIT_SHIM_ASM_CPUFEATURES_H

#define X86_FEATURE_AVX2	(9 * 32 + 5)
#define X86_FEATURE_AVX512VL	(9 * 32 + 31)

#endif
