// SPDX-License-Identifier: GPL-2.0
/*
 * Compiles the kernel's generic lib/vdso/getrandom.c, unchanged, as
 * userspace code against the shims in shim/, and exports it under a name
 * chosen by the Makefile (one object per variant of the copy loop).
 */
#include KSRC_GETRANDOM_C

ssize_t UNIT_ENTRY(void *buffer, size_t len, unsigned int flags,
		   void *opaque_state, size_t opaque_len);

ssize_t UNIT_ENTRY(void *buffer, size_t len, unsigned int flags,
		   void *opaque_state, size_t opaque_len)
{
	return __cvdso_getrandom(buffer, len, flags, opaque_state, opaque_len);
}
