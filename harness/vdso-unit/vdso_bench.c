// SPDX-License-Identifier: GPL-2.0
/*
 * Native benchmark of the vDSO getrandom() code of a kernel tree, built as
 * for the unit test but with the real getrandom() system call behind the
 * hook, beside the system call itself. Prints figures; asserts nothing.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <asm/vdso/getrandom.h>
#include <vdso/getrandom.h>

ssize_t unit_vgetrandom_words(void *, size_t, unsigned int, void *, size_t);
void real_chacha20_blocks_nostack(u8 *dst, const u32 *key, u32 *counter,
				  size_t nblocks);

struct vdso_rng_data unit_rng_data = { .generation = 1, .is_ready = 1 };

ssize_t unit_getrandom_syscall(void *buffer, size_t len, unsigned int flags)
{
	return syscall(SYS_getrandom, buffer, len, flags);
}

void __arch_chacha20_blocks_nostack(u8 *dst, const u32 *key, u32 *counter,
				    size_t nblocks)
{
	real_chacha20_blocks_nostack(dst, key, counter, nblocks);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(void)
{
	static const size_t small[] = { 4, 16, 64, 256 };
	static const size_t large[] = { 4096, 65536, 1 << 20 };
	struct vgetrandom_state *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	u8 *buf = malloc(1 << 20);
	unsigned int i, j, n;
	double t, v, sc;

	for (i = 0; i < 4; i++) {
		n = 2000000 / (1 + i);
		unit_vgetrandom_words(buf, small[i], 0, s, sizeof(*s));
		t = now();
		for (j = 0; j < n; j++)
			unit_vgetrandom_words(buf, small[i], 0, s, sizeof(*s));
		v = (now() - t) / n * 1e9;
		n /= 20;
		t = now();
		for (j = 0; j < n; j++)
			syscall(SYS_getrandom, buf, small[i], 0);
		sc = (now() - t) / n * 1e9;
		printf("%7zu B: vDSO code %8.1f ns/call   syscall %8.1f ns/call\n",
		       small[i], v, sc);
	}
	for (i = 0; i < 3; i++) {
		n = (256 << 20) / large[i];
		t = now();
		for (j = 0; j < n; j++)
			unit_vgetrandom_words(buf, large[i], 0, s, sizeof(*s));
		v = (double)n * large[i] / (now() - t) / 1e9;
		n /= 4;
		t = now();
		for (j = 0; j < n; j++)
			syscall(SYS_getrandom, buf, large[i], 0);
		sc = (double)n * large[i] / (now() - t) / 1e9;
		printf("%7zu B: vDSO code %8.2f GB/s      syscall %8.2f GB/s\n",
		       large[i], v, sc);
	}
	{
		u32 key[8] = { 1 }, ctr[2] = { 0, 0 };

		n = 1 << 16;
		t = now();
		for (j = 0; j < n; j++)
			real_chacha20_blocks_nostack(buf, key, ctr, 64);
		printf("block function alone: %.2f GB/s\n",
		       (double)n * 4096 / (now() - t) / 1e9);
	}
	return 0;
}
