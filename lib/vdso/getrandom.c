// SPDX-License-Identifier: GPL-2.0
/*
 * Generic userspace implementation of getrandom().
 *
 * This is the kernel's own fast key erasure ChaCha20 RNG, run in userspace
 * on a per-thread state. Each state is keyed from the getrandom() system
 * call and is rekeyed whenever the kernel's RNG reseeds, which the kernel
 * announces by changing a generation counter in the vDSO data page. So the
 * output is exactly as good as the system call's, without its cost.
 */

#include <linux/kernel.h>
#include <vdso/datapage.h>
#include <vdso/getrandom.h>
#include <vdso/limits.h>
#include <asm/barrier.h>
#include <asm/page.h>
#include <asm/vdso/getrandom.h>
#include <uapi/linux/mman.h>
#include <uapi/linux/random.h>

/* The system call caps each request at MAX_RW_COUNT bytes; so do we. */
#define VGETRANDOM_MAX_LEN	(INT_MAX & PAGE_MASK)

#define VGETRANDOM_BATCH_SIZE	sizeof_field(struct vgetrandom_state, batch)

/*
 * The longest request that the inline common case serves. With an
 * architecture's __arch_memcpy_and_zero_src(), which is a call, longer
 * ones are served out of line: a call in the common case would cost every
 * request a stack frame.
 */
#ifdef __arch_memcpy_and_zero_src
#define VGETRANDOM_INLINE_LEN_MAX	(VGETRANDOM_ARCH_COPY_MIN - 1)
#else
#define VGETRANDOM_INLINE_LEN_MAX	VGETRANDOM_BATCH_SIZE
#endif

/*
 * Copy @len bytes from @src to @dst, zeroing each byte of @src once it is
 * copied, so that keystream is never served twice and does not stay behind
 * in the state after being handed out. Every access to @src goes through
 * READ_ONCE() and WRITE_ONCE(): that keeps the compiler from dropping the
 * zeroing as dead stores and from turning the loops into calls to memcpy()
 * or memset(), which do not exist in the vDSO.
 */
static __always_inline void memcpy_and_zero_src(void *dst, void *src,
						size_t len)
{
	u8 *d = dst;
	u8 *s = src;

#ifdef __arch_memcpy_and_zero_src
	if (len >= VGETRANDOM_ARCH_COPY_MIN) {
		__arch_memcpy_and_zero_src(dst, src, len);
		return;
	}
#endif
	if (IS_ENABLED(CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS)) {
		while (len >= sizeof(unsigned long)) {
			*(unsigned long *)d = READ_ONCE(*(unsigned long *)s);
			WRITE_ONCE(*(unsigned long *)s, 0);
			d += sizeof(unsigned long);
			s += sizeof(unsigned long);
			len -= sizeof(unsigned long);
		}
		/*
		 * The rest in at most three moves, without a loop: the most
		 * common small request, an int, is a single one.
		 */
		if (sizeof(unsigned long) > sizeof(u32) && (len & sizeof(u32))) {
			*(u32 *)d = READ_ONCE(*(u32 *)s);
			WRITE_ONCE(*(u32 *)s, 0);
			d += sizeof(u32);
			s += sizeof(u32);
		}
		if (len & sizeof(u16)) {
			*(u16 *)d = READ_ONCE(*(u16 *)s);
			WRITE_ONCE(*(u16 *)s, 0);
			d += sizeof(u16);
			s += sizeof(u16);
		}
		if (len & sizeof(u8)) {
			*d = READ_ONCE(*s);
			WRITE_ONCE(*s, 0);
		}
		return;
	}
	while (len) {
		*d = READ_ONCE(*s);
		WRITE_ONCE(*s, 0);
		d++;
		s++;
		len--;
	}
}

/**
 * vgetrandom_generate - make output with a state, rekeying it if needed
 * @rng_info:		The kernel's &struct vdso_rng_data.
 * @orig_buffer:	Destination buffer to fill with random bytes.
 * @orig_len:		Size of @orig_buffer in bytes, not zero.
 * @flags:		GRND_* flags, for the system call fallback.
 * @state:		The caller's state, marked in use by the caller.
 * @have_retried:	Whether output was already made and found stale once.
 *
 * The part of __cvdso_getrandom_data() that the common case, a request
 * served whole from the batch, does not need. Kept out of line so that the
 * common case needs no stack frame. Clears @state->in_use before
 * returning.
 *
 * Return: the number of random bytes written to @orig_buffer, or what the
 * system call returned when falling back to it.
 */
static noinline ssize_t
vgetrandom_generate(const struct vdso_rng_data *rng_info, void *orig_buffer,
		    size_t orig_len, unsigned int flags,
		    struct vgetrandom_state *state, bool have_retried)
{
	unsigned long current_generation;
	void *buffer = orig_buffer;
	size_t len, nblocks, whole, batch_len;
	u32 counter[2];
	ssize_t ret;
	u32 pos;

	len = orig_len;
	if (unlikely(len > VGETRANDOM_MAX_LEN))
		len = VGETRANDOM_MAX_LEN;
	ret = len;

retry_generation:
	current_generation = READ_ONCE(rng_info->generation);
	if (unlikely(!current_generation))
		goto fallback_release;

	if (unlikely(READ_ONCE(state->generation) != current_generation)) {
		/*
		 * Pairs with the release store of the generation in the
		 * kernel: the key fetched below comes from a crng at least
		 * as new as current_generation.
		 */
		smp_rmb();

		/*
		 * Store the generation before fetching the key, so that a
		 * state never claims a generation newer than its key: if the
		 * kernel reseeds during the fetch, the check after the output
		 * sees the newer generation and the state is rekeyed again.
		 */
		WRITE_ONCE(state->generation, current_generation);
		barrier();

		if (unlikely(getrandom_syscall(state->key, sizeof(state->key),
					       0) != sizeof(state->key))) {
			WRITE_ONCE(state->generation, 0);
			goto fallback_release;
		}

		/* The batch holds keystream of the old key: discard it. */
		WRITE_ONCE(state->pos, VGETRANDOM_BATCH_SIZE);
	}

	/* Serve what is left in the batch first. */
	pos = READ_ONCE(state->pos);
	if (pos < VGETRANDOM_BATCH_SIZE) {
		batch_len = VGETRANDOM_BATCH_SIZE - pos;
		if (batch_len > len)
			batch_len = len;
		memcpy_and_zero_src(buffer, state->batch + pos, batch_len);
		WRITE_ONCE(state->pos, pos + batch_len);
		buffer += batch_len;
		len -= batch_len;
	}

	if (len) {
		/*
		 * Every key is used for one run of blocks only, starting at
		 * block zero: the whole blocks the request still needs go
		 * straight to the caller's buffer, then the blocks after them
		 * refill the batch and replace the key. That overwrites the
		 * key before any output made with it is returned, which is
		 * what makes this "fast key erasure".
		 *
		 * Whole blocks beyond a multiple of the refill are left to
		 * the batch when it can serve them with the rest of the
		 * request: then no run of blocks is made that is shorter
		 * than a refill, which multi-block implementations of the
		 * block function make at a much higher cost per block.
		 */
		counter[0] = 0;
		counter[1] = 0;

		nblocks = len / VGETRANDOM_CHACHA_BLOCK_SIZE;
		whole = nblocks - nblocks % VGETRANDOM_REFILL_BLOCKS;
		if (len - whole * VGETRANDOM_CHACHA_BLOCK_SIZE <=
		    VGETRANDOM_BATCH_SIZE)
			nblocks = whole;
		if (nblocks) {
			__arch_chacha20_blocks_nostack(buffer, state->key,
						       counter, nblocks);
			buffer += nblocks * VGETRANDOM_CHACHA_BLOCK_SIZE;
			len -= nblocks * VGETRANDOM_CHACHA_BLOCK_SIZE;
		}

		__arch_chacha20_blocks_nostack(state->batch_key, state->key,
					       counter,
					       VGETRANDOM_REFILL_BLOCKS);

		/* What is still missing fits in the batch. */
		memcpy_and_zero_src(buffer, state->batch, len);
		WRITE_ONCE(state->pos, len);
	}

	/*
	 * If the kernel's RNG reseeded while the output was being made, or
	 * the state was wiped (by a fork from a signal handler) or dropped
	 * under memory pressure, which zeroes its generation, the output may
	 * be stale or shared with another process. Make it again, once, then
	 * give up and let the system call do it.
	 */
	smp_rmb();
	if (unlikely(READ_ONCE(state->generation) !=
		     READ_ONCE(rng_info->generation))) {
		if (have_retried)
			goto fallback_release;
		have_retried = true;
		buffer = orig_buffer;
		len = ret;
		goto retry_generation;
	}

	barrier();
	WRITE_ONCE(state->in_use, false);
	return ret;

fallback_release:
	barrier();
	WRITE_ONCE(state->in_use, false);
	return getrandom_syscall(orig_buffer, orig_len, flags);
}

/**
 * __cvdso_getrandom_data - generic vDSO getrandom() on given RNG data
 * @rng_info:		The kernel's &struct vdso_rng_data.
 * @buffer:		Destination buffer to fill with random bytes.
 * @len:		Size of @buffer in bytes.
 * @flags:		Zero or more GRND_* flags.
 * @opaque_state:	Pointer to an opaque state area, or to a &struct
 *			vgetrandom_opaque_params for the query call.
 * @opaque_len:		Size of the state area; ~0UL for the query call.
 *
 * Behaves exactly like getrandom(@buffer, @len, @flags), which it calls
 * whenever it cannot do better: the RNG is not ready yet, @flags or
 * @opaque_len are not what this code handles, or @opaque_state is in use
 * by an outer call that a signal handler interrupted. It differs only in
 * that an unwritable @buffer makes it fault rather than fail with -EFAULT,
 * and that a pending signal does not cut a large request short.
 *
 * Calling it as (NULL, 0, 0, &params, ~0UL) fills in @params with the size
 * of a state and the mmap(2) arguments for allocating states, and returns
 * zero.
 *
 * Return: the number of random bytes written to @buffer, or a negative
 * errno: -EFAULT if @opaque_state crosses a page boundary, or whatever the
 * system call returns when falling back to it.
 */
static __always_inline ssize_t
__cvdso_getrandom_data(const struct vdso_rng_data *rng_info, void *buffer,
		       size_t len, unsigned int flags, void *opaque_state,
		       size_t opaque_len)
{
	struct vgetrandom_state *state = opaque_state;
	unsigned long current_generation;
	bool have_retried = false;
	u32 pos;

	/*
	 * A state of another size is not ours; neither is a missing one. The
	 * query call is the one exception.
	 */
	if (unlikely(opaque_len != sizeof(*state) || !state)) {
		if (opaque_len == ~0UL && !buffer && !len && !flags &&
		    opaque_state) {
			struct vgetrandom_opaque_params *params = opaque_state;
			size_t i;

			params->size_of_opaque_state = sizeof(*state);
			params->mmap_prot = PROT_READ | PROT_WRITE;
			params->mmap_flags = MAP_DROPPABLE | MAP_ANONYMOUS;
			for (i = 0; i < ARRAY_SIZE(params->reserved); i++)
				WRITE_ONCE(params->reserved[i], 0);
			return 0;
		}
		goto fallback_syscall;
	}

	/*
	 * Until the RNG is ready, the system call may block or fail, or (with
	 * GRND_INSECURE) return output this code must not imitate.
	 */
	if (unlikely(!READ_ONCE(rng_info->is_ready)))
		goto fallback_syscall;

	/*
	 * Unknown flags, and the meaningless GRND_INSECURE | GRND_RANDOM,
	 * are for the system call to reject with -EINVAL. With the flags'
	 * values, those are exactly the numbers above GRND_INSECURE |
	 * GRND_NONBLOCK.
	 */
	BUILD_BUG_ON(GRND_NONBLOCK != 1 || GRND_RANDOM != 2 ||
		     GRND_INSECURE != 4);
	if (unlikely(flags > (GRND_INSECURE | GRND_NONBLOCK)))
		goto fallback_syscall;

	/*
	 * Part of a state crossing a page boundary could be dropped or wiped
	 * without the other part, which the generation check cannot notice.
	 * Callers must never allocate states like that.
	 */
	if (unlikely(((unsigned long)state & ~PAGE_MASK) + sizeof(*state) >
		     PAGE_SIZE))
		return -EFAULT;

	if (unlikely(!len))
		return 0;

	/*
	 * A signal handler may interrupt a call and make another one on the
	 * same state. Let the inner call use the system call, and leave the
	 * state to the outer call. The flag is seen by such a handler as
	 * soon as it is written, because the handler runs on this very
	 * thread, so a compiler barrier is all the ordering needed.
	 */
	if (unlikely(READ_ONCE(state->in_use)))
		goto fallback_syscall;
	WRITE_ONCE(state->in_use, true);
	barrier();

	/*
	 * The common case: a short request, on a state keyed at the current
	 * generation with enough of its batch left for it. Checked again
	 * after the copy, as vgetrandom_generate() does, which makes it all
	 * again if the generation moved meanwhile.
	 */
	current_generation = READ_ONCE(rng_info->generation);
	pos = READ_ONCE(state->pos);
	if (likely(current_generation &&
		   READ_ONCE(state->generation) == current_generation &&
		   len <= VGETRANDOM_INLINE_LEN_MAX &&
		   pos <= VGETRANDOM_BATCH_SIZE &&
		   len <= VGETRANDOM_BATCH_SIZE - pos)) {
		WRITE_ONCE(state->pos, pos + len);
		memcpy_and_zero_src(buffer, state->batch + pos, len);

		/* Read the generations only after the batch, as below. */
		smp_rmb();
		if (likely(READ_ONCE(state->generation) ==
			   READ_ONCE(rng_info->generation))) {
			barrier();
			WRITE_ONCE(state->in_use, false);
			return len;
		}
		have_retried = true;
	}

	return vgetrandom_generate(rng_info, buffer, len, flags, state,
				   have_retried);

fallback_syscall:
	return getrandom_syscall(buffer, len, flags);
}

/**
 * __cvdso_getrandom - generic vDSO getrandom()
 * @buffer:		Destination buffer to fill with random bytes.
 * @len:		Size of @buffer in bytes.
 * @flags:		Zero or more GRND_* flags.
 * @opaque_state:	Pointer to an opaque state area, or to a &struct
 *			vgetrandom_opaque_params for the query call.
 * @opaque_len:		Size of the state area; ~0UL for the query call.
 *
 * See __cvdso_getrandom_data(), which this calls on the RNG data the
 * architecture locates with __arch_get_vdso_rng_data().
 *
 * Return: the number of random bytes written, or a negative errno.
 */
static __always_inline ssize_t
__cvdso_getrandom(void *buffer, size_t len, unsigned int flags,
		  void *opaque_state, size_t opaque_len)
{
	return __cvdso_getrandom_data(__arch_get_vdso_rng_data(), buffer, len,
				      flags, opaque_state, opaque_len);
}
