/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-thread state of the vDSO getrandom(), and the hooks an architecture
 * provides for the generic implementation in lib/vdso/getrandom.c.
 */

#ifndef _VDSO_GETRANDOM_H
#define _VDSO_GETRANDOM_H

#include <linux/types.h>

#define VGETRANDOM_CHACHA_KEY_SIZE	32
#define VGETRANDOM_CHACHA_BLOCK_SIZE	64

/* Blocks produced by one refill: the batch, then the next key. */
#define VGETRANDOM_REFILL_BLOCKS	16

/* The shortest copy for which __arch_memcpy_and_zero_src() is called */
#define VGETRANDOM_ARCH_COPY_MIN	64

/**
 * struct vgetrandom_state - per-thread state of the vDSO getrandom()
 * @batch_key:	@batch and @key as one array, so that a single call to the
 *		block function refills the batch and replaces the key.
 * @batch:	Keystream not handed out yet. Each byte is zeroed as it is
 *		served, so nothing already returned stays behind.
 * @key:	ChaCha20 key, 8 little-endian words, used for the next output.
 * @generation:	Value of &vdso_rng_data.generation when @key was fetched
 *		from the kernel. Zero, as in fresh, wiped or dropped memory,
 *		never matches, which forces a rekey.
 * @left:	How many bytes at the end of @batch are not served yet: the
 *		next byte served is @batch[sizeof(@batch) - @left]. Zero, as
 *		in fresh, wiped or dropped memory, means none, so that a page
 *		of zeroes never serves its zeroes, even once a call that lost
 *		the page has stored the current generation there.
 * @in_use:	Set while a call is using the state, so that a signal handler
 *		calling vgetrandom() on the same state falls back to the
 *		system call instead of corrupting it or repeating output.
 *
 * Userspace treats this as an opaque blob: it learns its size from the
 * query call, allocates it in memory mapped with the parameters reported by
 * that call, and never looks inside. The layout may change at any time.
 */
struct vgetrandom_state {
	union {
		struct {
			u8	batch[VGETRANDOM_CHACHA_BLOCK_SIZE *
				      VGETRANDOM_REFILL_BLOCKS -
				      VGETRANDOM_CHACHA_KEY_SIZE];
			u32	key[VGETRANDOM_CHACHA_KEY_SIZE / sizeof(u32)];
		};
		u8		batch_key[VGETRANDOM_CHACHA_BLOCK_SIZE *
					  VGETRANDOM_REFILL_BLOCKS];
	};
	unsigned long	generation;
	u32		left;
	bool		in_use;
};

/**
 * __arch_chacha20_blocks_nostack - generate ChaCha20 keystream blocks
 * @dst_bytes:	Destination of exactly @nblocks * 64 bytes of keystream.
 * @key:	256-bit key, as 8 little-endian 32-bit words.
 * @counter:	64-bit block counter, low word first; advanced by @nblocks,
 *		with carry into the high word.
 * @nblocks:	Number of 64-byte blocks to generate; may be zero.
 *
 * ChaCha20 with 20 rounds and a zero 64-bit nonce (state words 14 and 15).
 * Implemented by each architecture, typically in assembly, with strict
 * rules: it writes no memory other than @dst_bytes and @counter, does not
 * touch the stack at all (no spilled key material can be left there), and
 * clears every vector register it used before returning. @key is read
 * before anything is written, so @dst_bytes may overlap it.
 */
void __arch_chacha20_blocks_nostack(u8 *dst_bytes, const u32 *key,
				    u32 *counter, size_t nblocks);

/**
 * DOC: Architecture hooks for the vDSO getrandom()
 *
 * Besides __arch_chacha20_blocks_nostack(), an architecture selecting
 * CONFIG_VDSO_GETRANDOM provides these in <asm/vdso/getrandom.h>, as
 * static inline functions with exactly these prototypes:
 *
 * ``ssize_t getrandom_syscall(void *buffer, size_t len, unsigned int flags)``
 *	Invokes the getrandom() system call with the arguments unchanged and
 *	returns what it returned. The generic code uses it for every fallback
 *	and to fetch new keys, so it must need no libc: typically a few lines
 *	of inline assembly.
 *
 * ``const struct vdso_rng_data *__arch_get_vdso_rng_data(void)``
 *	Returns the &struct vdso_rng_data the kernel publishes in the vDSO
 *	data page. It must find the kernel's data also for a task in a time
 *	namespace, whose data page mappings differ from other tasks'.
 *
 * It may also provide, declared there and defined as a macro of the same
 * name:
 *
 * ``void __arch_memcpy_and_zero_src(void *dst, void *src, size_t len)``
 *	Copies @len bytes, at least %VGETRANDOM_ARCH_COPY_MIN, from the
 *	batch at @src to @dst and zeroes them at @src, as the generic code's
 *	own loop does. The generic code then hands it every copy that long,
 *	and serves requests that long out of line. It is for copying in
 *	vector registers, which C code in the vDSO cannot use.
 */

#endif /* _VDSO_GETRANDOM_H */
