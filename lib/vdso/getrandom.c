// SPDX-License-Identifier: GPL-2.0
/*
 * getrandom() in the vDSO, for every architecture that selects
 * CONFIG_VDSO_GETRANDOM.
 *
 * The random bytes come from ChaCha20 run in user mode, with the fast key
 * erasure construction of the kernel's own crng, on a state that the C
 * library gives each thread. A state is keyed with 32 bytes from the
 * getrandom() system call and keyed again each time the kernel's crng
 * reseeds, which random.c tells by moving the generation counter of the
 * vDSO data page. Its output is therefore as good as the system call's.
 *
 * The states live in MAP_DROPPABLE memory, so any of them can read back as
 * zeroes from one instruction to the next: the kernel drops the page under
 * memory pressure, or fork() wipes it in the child. A signal handler may
 * also call in with the state its handler interrupted. The code below is
 * written so that none of this ever lets a call return bytes that another
 * call returns too, or bytes read from a page that is gone.
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

/* No call makes more than MAX_RW_COUNT bytes, as with the system call. */
#define VGR_LEN_CAP		(INT_MAX & PAGE_MASK)

#define VGR_STREAM_SIZE		sizeof_field(struct vgetrandom_state, batch)

/*
 * Requests up to this long are served inline when the state has enough
 * unused keystream. An architecture's __arch_memcpy_and_zero_src() is a
 * function call, which would cost the inline path a stack frame, so with
 * one the requests it takes are left to the out-of-line path.
 */
#ifdef __arch_memcpy_and_zero_src
#define VGR_INLINE_MAX		(VGETRANDOM_ARCH_COPY_MIN - 1)
#else
#define VGR_INLINE_MAX		VGR_STREAM_SIZE
#endif

/*
 * Move @n bytes of keystream from @from (in a state) to @to, clearing each
 * one in the state as it goes, so that bytes given out do not linger in
 * memory. The accesses to @from are READ_ONCE()/WRITE_ONCE(): plain ones
 * would let the compiler drop the clearing as dead stores, or turn the
 * loops into memcpy() and memset() calls, which the vDSO cannot make.
 */
static __always_inline void vgr_move_out(u8 *to, u8 *from, size_t n)
{
#ifdef __arch_memcpy_and_zero_src
	if (n >= VGETRANDOM_ARCH_COPY_MIN) {
		__arch_memcpy_and_zero_src(to, from, n);
		return;
	}
#endif
	if (!IS_ENABLED(CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS)) {
		for (; n; n--, to++, from++) {
			*to = READ_ONCE(*from);
			WRITE_ONCE(*from, 0);
		}
		return;
	}

	for (; n >= sizeof(long); n -= sizeof(long)) {
		*(unsigned long *)to = READ_ONCE(*(unsigned long *)from);
		WRITE_ONCE(*(unsigned long *)from, 0);
		to += sizeof(long);
		from += sizeof(long);
	}
	/* At most one move of each smaller size: 4 bytes take exactly one. */
	if (sizeof(long) > sizeof(u32) && (n & sizeof(u32))) {
		*(u32 *)to = READ_ONCE(*(u32 *)from);
		WRITE_ONCE(*(u32 *)from, 0);
		to += sizeof(u32);
		from += sizeof(u32);
	}
	if (n & sizeof(u16)) {
		*(u16 *)to = READ_ONCE(*(u16 *)from);
		WRITE_ONCE(*(u16 *)from, 0);
		to += sizeof(u16);
		from += sizeof(u16);
	}
	if (n & sizeof(u8)) {
		*to = READ_ONCE(*from);
		WRITE_ONCE(*from, 0);
	}
}

/*
 * Whether the output made since @st was claimed can be handed out: @st is
 * still claimed, and keyed at the kernel's present generation.
 *
 * The claim is the proof that nothing else touched the state meanwhile. A
 * drop or a fork wipe clears it with the rest of the page, and a call from
 * a signal handler that found it clear (because of such a wipe) and used
 * the state leaves it clear when it returns. The generation cannot tell
 * any of that: a handler that rekeyed the wiped state stored the present
 * generation in it. Read after the keystream, which the smp_rmb() orders
 * (it pairs with the release store of the generation in random.c).
 */
static __always_inline bool vgr_output_valid(const struct vdso_rng_data *rng,
					     struct vgetrandom_state *st)
{
	/* The keystream before the claim and generations: see above. */
	smp_rmb();
	return likely(READ_ONCE(st->in_use) &&
		      READ_ONCE(st->generation) == READ_ONCE(rng->generation));
}

/* End a call that still holds its claim on @st. */
static __always_inline void vgr_unclaim(struct vgetrandom_state *st)
{
	barrier();
	WRITE_ONCE(st->in_use, false);
}

/*
 * End a call that found its claim on @st gone. Something wiped or dropped
 * the page during the call, and a signal handler may have used the state
 * after that. The keystream this call read may come from a page that is
 * gone, and the stores it made since (clearing bytes it moved out, moving
 * the read position, refilling) may have landed on keystream and a key
 * that the handler left. None of that may be used again: a zero
 * generation makes the next call fetch a new key and throw away all the
 * keystream, whatever it finds. The claim is not given back, as it is not
 * this call's any more, and the caller makes the system call.
 */
static __always_inline void vgr_abandon(struct vgetrandom_state *st)
{
	barrier();
	WRITE_ONCE(st->generation, 0);
}

/*
 * Whether @st has no key, all its words zero. A call that lost its page
 * just before storing the current generation on rekeying stores it on a
 * page of zeroes, and a signal handler may claim the state before the
 * key is fetched: that state must be rekeyed, not used with the zero
 * key. A fetched key is all zeroes once in 2^256.
 */
static __always_inline bool vgr_keyless(const struct vgetrandom_state *st)
{
	u32 bits = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(st->key); i++)
		bits |= READ_ONCE(st->key[i]);
	return !bits;
}

/*
 * Give out the whole of @want bytes into @out from the claimed state @st,
 * which is keyed at the present generation, topping it up with new
 * keystream. Returns false if the claim was found gone on the way; the
 * output is then not to be used.
 */
static __always_inline bool vgr_produce(struct vgetrandom_state *st,
					u8 *out, size_t want)
{
	size_t unused, blocks, spare;
	u32 ctr[2] = { 0, 0 };
	u32 left;

	/* First what the state still holds, ... */
	left = READ_ONCE(st->left);
	if (left && left <= VGR_STREAM_SIZE) {
		unused = min_t(size_t, left, want);
		vgr_move_out(out, st->batch + VGR_STREAM_SIZE - left, unused);
		WRITE_ONCE(st->left, left - unused);
		out += unused;
		want -= unused;
	}
	if (!want)
		return true;

	/*
	 * ... then one run of blocks with the key of the state, starting at
	 * block zero: the whole blocks still wanted, straight into @out, then
	 * a refill of the state, whose last 32 bytes become its next key. The
	 * key is replaced before any byte made with it is given out, which is
	 * the "fast key erasure". The blocks beyond a multiple of the refill
	 * are left to the refill when it has room for them and the tail:
	 * multi-block implementations make short runs at a high cost.
	 */
	blocks = want / VGETRANDOM_CHACHA_BLOCK_SIZE;
	spare = blocks % VGETRANDOM_REFILL_BLOCKS;
	if (want - (blocks - spare) * VGETRANDOM_CHACHA_BLOCK_SIZE <=
	    VGR_STREAM_SIZE)
		blocks -= spare;

	/* A dropped page has a zero key: check before each use of it. */
	if (!READ_ONCE(st->in_use))
		return false;
	if (blocks) {
		__arch_chacha20_blocks_nostack(out, st->key, ctr, blocks);
		out += blocks * VGETRANDOM_CHACHA_BLOCK_SIZE;
		want -= blocks * VGETRANDOM_CHACHA_BLOCK_SIZE;
		if (!READ_ONCE(st->in_use))
			return false;
	}
	__arch_chacha20_blocks_nostack(st->batch_key, st->key, ctr,
				       VGETRANDOM_REFILL_BLOCKS);

	/* What is still wanted fits in the new keystream. */
	WRITE_ONCE(st->left, VGR_STREAM_SIZE - want);
	vgr_move_out(out, st->batch, want);
	return true;
}

/**
 * vgr_slow_path - a call that the inline path could not serve
 * @rng:	The kernel's &struct vdso_rng_data.
 * @out:	Where the random bytes go.
 * @n:		How many are asked for; not zero.
 * @flags:	The caller's GRND_* flags, for the system call.
 * @st:		The caller's state, claimed by the caller.
 * @stale:	Whether output was already made once and found unusable.
 *
 * Rekeys @st if the kernel's generation moved, makes the output, and
 * checks that it can be given out (see vgr_output_valid()). Output made
 * under a generation that moved meanwhile is made again, once; a second
 * time, or if the new key cannot be fetched, the system call makes it.
 * Out of line, so that the inline path needs no stack frame.
 *
 * Return: the number of bytes written to @out, or what the system call
 * returned.
 */
static noinline ssize_t vgr_slow_path(const struct vdso_rng_data *rng,
				      u8 *out, size_t n, unsigned int flags,
				      struct vgetrandom_state *st, bool stale)
{
	size_t want = min_t(size_t, n, VGR_LEN_CAP);
	unsigned long gen;

	/* The inline path may have found the claim gone. */
	if (unlikely(!READ_ONCE(st->in_use)))
		goto lost;

	for (;;) {
		gen = READ_ONCE(rng->generation);
		if (unlikely(!gen))
			goto unclaim_and_call;

		if (READ_ONCE(st->generation) != gen || vgr_keyless(st)) {
			/*
			 * The key about to be fetched must be at least as
			 * new as @gen: pairs with the release store of the
			 * generation in random.c.
			 */
			smp_rmb();

			/*
			 * Record the generation before the key, never after:
			 * if the crng reseeds while the key is fetched, the
			 * state then names an older generation than the
			 * kernel's, and the check after the output rekeys it.
			 */
			WRITE_ONCE(st->generation, gen);
			barrier();
			if (getrandom_syscall(st->key, sizeof(st->key), 0) !=
			    sizeof(st->key)) {
				WRITE_ONCE(st->generation, 0);
				goto unclaim_and_call;
			}
			/* The keystream left was made with the old key. */
			WRITE_ONCE(st->left, 0);
		}

		if (unlikely(!vgr_produce(st, out, want)))
			goto lost;

		if (likely(vgr_output_valid(rng, st))) {
			vgr_unclaim(st);
			return want;
		}
		if (!READ_ONCE(st->in_use))
			goto lost;
		/* The crng reseeded during the call. */
		if (stale)
			goto unclaim_and_call;
		stale = true;
	}

lost:
	vgr_abandon(st);
	return getrandom_syscall(out, n, flags);

unclaim_and_call:
	vgr_unclaim(st);
	return getrandom_syscall(out, n, flags);
}

/*
 * The query call: the size of a state and how to map memory for states.
 */
static __always_inline ssize_t
vgr_answer_query(struct vgetrandom_opaque_params *p)
{
	size_t i;

	p->size_of_opaque_state = sizeof(struct vgetrandom_state);
	p->mmap_prot = PROT_READ | PROT_WRITE;
	p->mmap_flags = MAP_DROPPABLE | MAP_ANONYMOUS;
	for (i = 0; i < ARRAY_SIZE(p->reserved); i++)
		WRITE_ONCE(p->reserved[i], 0);
	return 0;
}

/**
 * __cvdso_getrandom_data - the vDSO getrandom(), on given RNG data
 * @rng:		The &struct vdso_rng_data published by the kernel.
 * @buffer:		Where to write the random bytes.
 * @len:		How many random bytes to write.
 * @flags:		The GRND_* flags of getrandom(2).
 * @opaque_state:	The calling thread's state, or the &struct
 *			vgetrandom_opaque_params that a query call fills in.
 * @opaque_len:		The size of a state, or ~0UL in a query call.
 *
 * Does what getrandom(@buffer, @len, @flags) does, and makes that system
 * call itself whenever it cannot: before the crng is ready, for flags or
 * an @opaque_len it does not handle, or for a state already in use by a
 * call that a signal handler interrupted. Unlike the system call, it
 * faults on a @buffer it cannot write to rather than returning -EFAULT,
 * and does not stop early for a pending signal.
 *
 * The query call, (NULL, 0, 0, &params, ~0UL), fills in params with the
 * size of a state and the mmap(2) protection and flags for states, and
 * returns zero.
 *
 * Return: the number of random bytes written, -EFAULT for a state that
 * crosses a page boundary, or what the system call returned.
 */
static __always_inline ssize_t
__cvdso_getrandom_data(const struct vdso_rng_data *rng, void *buffer,
		       size_t len, unsigned int flags, void *opaque_state,
		       size_t opaque_len)
{
	struct vgetrandom_state *st = opaque_state;
	unsigned long gen;
	bool stale = false;
	u32 left;

	/* Not one of our states: the query call, or the system call. */
	if (unlikely(opaque_len != sizeof(*st) || !st)) {
		if (opaque_len == ~0UL && !buffer && !len && !flags && st)
			return vgr_answer_query(opaque_state);
		goto syscall;
	}

	/*
	 * Before the crng is ready, getrandom() may block, fail, or (with
	 * GRND_INSECURE) give output that only the kernel may give.
	 */
	if (unlikely(!READ_ONCE(rng->is_ready)))
		goto syscall;

	/*
	 * Flags other than GRND_NONBLOCK, GRND_RANDOM and GRND_INSECURE, and
	 * the combination of the last two, are the system call's to reject.
	 * With the flags' values, those are all the numbers above
	 * GRND_INSECURE | GRND_NONBLOCK.
	 */
	BUILD_BUG_ON(GRND_NONBLOCK != 1 || GRND_RANDOM != 2 ||
		     GRND_INSECURE != 4);
	if (unlikely(flags > (GRND_INSECURE | GRND_NONBLOCK)))
		goto syscall;

	/*
	 * Either page of a state that crosses a boundary could be dropped
	 * or wiped alone, which nothing here could notice. The C library
	 * must not place states like that.
	 */
	if (unlikely(((unsigned long)st & ~PAGE_MASK) + sizeof(*st) > PAGE_SIZE))
		return -EFAULT;

	if (unlikely(!len))
		return 0;

	/*
	 * Claim the state. If it is claimed already, this call comes from a
	 * signal handler that interrupted a call using it: leave the state
	 * alone. The handler runs on this thread, so it sees the flag as
	 * soon as it is stored, and a compiler barrier orders it enough.
	 */
	if (unlikely(READ_ONCE(st->in_use)))
		goto syscall;
	WRITE_ONCE(st->in_use, true);
	barrier();

	/*
	 * Most calls are short, on a state keyed at the present generation
	 * that has enough keystream left: serve those here, and check after
	 * the move as the slow path does.
	 */
	gen = READ_ONCE(rng->generation);
	left = READ_ONCE(st->left);
	if (likely(gen && READ_ONCE(st->generation) == gen &&
		   len <= VGR_INLINE_MAX && len <= left &&
		   left <= VGR_STREAM_SIZE)) {
		WRITE_ONCE(st->left, left - len);
		vgr_move_out(buffer, st->batch + VGR_STREAM_SIZE - left, len);
		if (likely(vgr_output_valid(rng, st))) {
			vgr_unclaim(st);
			return len;
		}
		stale = true;
	}

	return vgr_slow_path(rng, buffer, len, flags, st, stale);

syscall:
	return getrandom_syscall(buffer, len, flags);
}

/**
 * __cvdso_getrandom - the vDSO getrandom()
 * @buffer:		Where to write the random bytes.
 * @len:		How many random bytes to write.
 * @flags:		The GRND_* flags of getrandom(2).
 * @opaque_state:	The calling thread's state, or the &struct
 *			vgetrandom_opaque_params that a query call fills in.
 * @opaque_len:		The size of a state, or ~0UL in a query call.
 *
 * __cvdso_getrandom_data() on the RNG data that the architecture finds
 * with __arch_get_vdso_rng_data().
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
