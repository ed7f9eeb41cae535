/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <vdso/datapage.h>: only struct vdso_rng_data,
 * extracted by the Makefile from the kernel tree under test.
 */
#ifndef _UNIT_SHIM_VDSO_DATAPAGE_H
#define _UNIT_SHIM_VDSO_DATAPAGE_H

#include <errno.h>		/* the kernel's datapage.h has errno-base.h */
#include <linux/types.h>
#include "vdso_rng_data.h"

#endif
