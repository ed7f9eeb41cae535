// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fast user context implementation of getrandom()
 */
#include <linux/time.h>
#include <linux/types.h>

#include "../../../../lib/vdso/getrandom.c"

ssize_t __vdso_getrandom(void *buffer, size_t len, unsigned int flags,
			 void *opaque_state, size_t opaque_len)
{
	return __cvdso_getrandom(buffer, len, flags, opaque_state, opaque_len);
}

ssize_t getrandom(void *buffer, size_t len, unsigned int flags,
		  void *opaque_state, size_t opaque_len)
	__weak __alias(__vdso_getrandom);
