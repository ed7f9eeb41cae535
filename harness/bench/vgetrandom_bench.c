// SPDX-License-Identifier: GPL-2.0
/*
 * Native benchmark of the x86-64 vDSO image a kernel build produced
 * (O/arch/x86/entry/vdso/vdso64.so), beside the running kernel's own vDSO
 * getrandom() and the getrandom() system call, in one run.
 *
 * The image is mapped the way the kernel maps it into a process: the code
 * at some address, the vvar pages just below it. The vvar page is
 * synthetic: zeroed, with the RNG data saying "ready, generation 1", so
 * nothing here depends on the host kernel but the system call that the
 * image's vgetrandom() uses to fetch its keys. The image's alternatives
 * (.altinstructions) are applied for the host CPU first, as the kernel
 * applies them at boot, so the code measured is the code a guest on this
 * CPU would run.
 *
 *	vgetrandom_bench [options] PATH/vdso64.so
 *
 * vvar offsets come from the symbols of vdso64.so.dbg beside the image,
 * when it is there, else from the 6.1 layout. Prints a table of medians;
 * asserts nothing about speed. Exits non-zero only if the image cannot be
 * used (or its block function disagrees with a C ChaCha20).
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define PAGE		4096UL
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE	0x08
#endif

typedef ssize_t (*vgetrandom_fn)(void *buf, size_t len, unsigned int flags,
				 void *state, size_t state_len);
typedef void (*blocks_fn)(uint8_t *dst, const uint32_t *key,
			  uint32_t *counter, size_t nblocks);

struct vgetrandom_opaque_params {
	uint32_t size_of_opaque_state;
	uint32_t mmap_prot;
	uint32_t mmap_flags;
	uint32_t reserved[13];
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#include <stdarg.h>
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("vgetrandom_bench: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	exit(2);
}

/* ---------------------------------------------------------------------
 * ELF: symbols of a file's .symtab/.dynsym, and of a mapped image's
 * dynamic symbol table.
 */

static void *read_file(const char *path, size_t *size)
{
	struct stat st;
	void *p;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || st.st_size < (off_t)sizeof(Elf64_Ehdr))
		die("%s: cannot stat or too small\n", path);
	p = malloc(st.st_size);
	if (!p || read(fd, p, st.st_size) != st.st_size)
		die("%s: cannot read\n", path);
	close(fd);
	*size = st.st_size;
	return p;
}

static const Elf64_Ehdr *check_elf(const void *data, size_t size,
				   const char *what)
{
	const Elf64_Ehdr *eh = data;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64)
		die("%s: not an x86-64 ELF file\n", what);
	if (eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr) > size)
		die("%s: section headers out of range\n", what);
	return eh;
}

static const Elf64_Shdr *find_section(const void *data, const char *name)
{
	const Elf64_Ehdr *eh = data;
	const Elf64_Shdr *sh = (const void *)((const char *)data + eh->e_shoff);
	const char *names = (const char *)data + sh[eh->e_shstrndx].sh_offset;
	unsigned int i;

	for (i = 0; i < eh->e_shnum; i++)
		if (!strcmp(names + sh[i].sh_name, name))
			return &sh[i];
	return NULL;
}

/* Looks @name up in the file's symbol table of @type (SHT_SYMTAB/DYNSYM). */
static bool file_symbol(const void *data, unsigned int type, const char *name,
			uint64_t *value)
{
	const Elf64_Ehdr *eh = data;
	const Elf64_Shdr *sh = (const void *)((const char *)data + eh->e_shoff);
	unsigned int i;
	size_t j;

	for (i = 0; i < eh->e_shnum; i++) {
		const Elf64_Sym *sym;
		const char *str;

		if (sh[i].sh_type != type)
			continue;
		sym = (const void *)((const char *)data + sh[i].sh_offset);
		str = (const char *)data + sh[sh[i].sh_link].sh_offset;
		for (j = 0; j < sh[i].sh_size / sizeof(*sym); j++) {
			if (!strcmp(str + sym[j].st_name, name)) {
				*value = sym[j].st_value;
				return true;
			}
		}
	}
	return false;
}

/*
 * Looks @name up in the dynamic symbols of a vDSO mapped at @base, through
 * its PT_DYNAMIC segment and DT_HASH (which x86 vDSOs have), the way a
 * dynamic loader would. The image is prelinked at 0: addresses are offsets.
 */
static void *image_symbol(const void *base, const char *name)
{
	const Elf64_Ehdr *eh = base;
	const Elf64_Phdr *ph = (const void *)((const char *)base + eh->e_phoff);
	const Elf64_Dyn *dyn = NULL;
	const Elf64_Sym *symtab = NULL;
	const uint32_t *hash = NULL;
	const char *strtab = NULL;
	uint32_t i;

	for (i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const void *)((const char *)base + ph[i].p_offset);
	if (!dyn)
		return NULL;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		const void *p = (const char *)base + dyn->d_un.d_ptr;

		if (dyn->d_tag == DT_SYMTAB)
			symtab = p;
		else if (dyn->d_tag == DT_STRTAB)
			strtab = p;
		else if (dyn->d_tag == DT_HASH)
			hash = p;
	}
	if (!symtab || !strtab || !hash)
		return NULL;
	/* hash[1] is nchain, the number of symbols */
	for (i = 1; i < hash[1]; i++) {
		if (ELF64_ST_TYPE(symtab[i].st_info) == STT_FUNC &&
		    symtab[i].st_shndx != SHN_UNDEF &&
		    !strcmp(strtab + symtab[i].st_name, name))
			return (char *)base + symtab[i].st_value;
	}
	return NULL;
}

/* ---------------------------------------------------------------------
 * Host CPU features, numbered as in the kernel's asm/cpufeatures.h
 * (word * 32 + bit), for applying the image's alternatives.
 */

#define FEATURE(word, bit)	((word) * 32 + (bit))
#define X86_FEATURE_ALWAYS	FEATURE(3, 21)
#define X86_FEATURE_LFENCE_RDTSC FEATURE(3, 18)
#define X86_FEATURE_AVX2	FEATURE(9, 5)
#define X86_FEATURE_AVX512F	FEATURE(9, 16)
#define X86_FEATURE_AVX512VL	FEATURE(9, 31)
#define ALTINSTR_FLAG_INV	(1 << 15)

static const struct {
	unsigned int feature;
	const char *name;
} feature_names[] = {
	{ X86_FEATURE_AVX2, "avx2" },
	{ X86_FEATURE_AVX512F, "avx512f" },
	{ X86_FEATURE_AVX512VL, "avx512vl" },
	{ FEATURE(1, 27), "rdtscp" },
	{ FEATURE(16, 22), "rdpid" },
	{ X86_FEATURE_LFENCE_RDTSC, "lfence_rdtsc" },
	{ X86_FEATURE_ALWAYS, "always" },
};

static const char *feature_name(unsigned int f)
{
	static char buf[16];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(feature_names); i++)
		if (feature_names[i].feature == f)
			return feature_names[i].name;
	snprintf(buf, sizeof(buf), "%u*32+%u", f / 32, f % 32);
	return buf;
}

static unsigned int disabled_features[8], ndisabled;

static uint64_t xcr0(void)
{
	uint32_t eax, edx;

	asm volatile("xgetbv" : "=a" (eax), "=d" (edx) : "c" (0));
	return eax | (uint64_t)edx << 32;
}

/*
 * 1 if the host has @f, 0 if not, -1 for a synthetic feature this program
 * cannot tell. Like the kernel, it counts AVX and AVX-512 features only if
 * the OS enabled their register state (XCR0).
 */
static int host_has(unsigned int f)
{
	unsigned int a, b, c, d, word = f / 32, bit = f % 32;
	uint32_t reg;
	unsigned int i;

	for (i = 0; i < ndisabled; i++)
		if (disabled_features[i] == f)
			return 0;
	if (f == X86_FEATURE_ALWAYS)
		return 1;
	/* Set by the kernel on every CPU where LFENCE orders RDTSC. */
	if (f == X86_FEATURE_LFENCE_RDTSC)
		return 1;

	switch (word) {
	case 0:
	case 4:
		__cpuid(1, a, b, c, d);
		reg = word ? c : d;
		break;
	case 1:
	case 6:
		__cpuid(0x80000001, a, b, c, d);
		reg = word == 1 ? d : c;
		break;
	case 9:
	case 16:
	case 18:
		if (__get_cpuid_max(0, NULL) < 7)
			return 0;
		__cpuid_count(7, 0, a, b, c, d);
		reg = word == 9 ? b : word == 16 ? c : d;
		break;
	default:
		return -1;
	}
	if (!(reg >> bit & 1))
		return 0;

	if (word == 9 && (bit == 5 || bit >= 16)) {
		/* AVX2 needs the OS to save ymm; AVX-512 also k and zmm. */
		uint64_t need = 0x6;

		__cpuid(1, a, b, c, d);
		if (!(c & bit_OSXSAVE))
			return 0;
		if (bit >= 16 && bit != 19 && bit != 20 && bit != 23 &&
		    bit != 24 && bit != 29)
			need |= 0xe0;
		if ((xcr0() & need) != need)
			return 0;
	}
	return 1;
}

/* ---------------------------------------------------------------------
 * Our image: mapped with a synthetic vvar page, alternatives applied.
 */

struct alt_instr {
	int32_t instr_offset;
	int32_t repl_offset;
	uint16_t cpuid;
	uint8_t instrlen;
	uint8_t replacementlen;
} __attribute__((packed));

struct image {
	uint8_t *text;			/* where the image is mapped */
	size_t size;
	vgetrandom_fn getrandom;
	char patched[256];		/* which alternatives were taken */
	char unknown[256];		/* features that could not be told */
	struct {
		const char *name;
		blocks_fn fn;
		unsigned int feature;	/* 0: always usable */
	} impl[4];
	unsigned int nimpl;
};

static void append(char *dst, size_t size, const char *word)
{
	size_t n = strlen(dst);

	if (strstr(dst, word))
		return;
	snprintf(dst + n, size - n, "%s%s", n ? " " : "", word);
}

/*
 * Patches the image's alternatives the way the 6.1 kernel's
 * apply_alternatives() does: in table order, replacement copied over the
 * original and padded with NOPs, a relative CALL or JMP at the start of a
 * replacement retargeted.
 */
static void apply_alternatives(struct image *im, const void *file)
{
	const Elf64_Shdr *sec = find_section(file, ".altinstructions");
	struct alt_instr *a, *end;

	if (!sec)
		return;
	/* The loaded image is the file itself: sh_addr == sh_offset. */
	a = (void *)(im->text + sec->sh_addr);
	end = (void *)(im->text + sec->sh_addr + sec->sh_size);
	for (; a < end; a++) {
		unsigned int f = a->cpuid & ~ALTINSTR_FLAG_INV;
		uint8_t *instr = (uint8_t *)&a->instr_offset + a->instr_offset;
		uint8_t *repl = (uint8_t *)&a->repl_offset + a->repl_offset;
		uint8_t buf[256];
		int has = host_has(f);
		int32_t disp;

		if (has < 0) {
			append(im->unknown, sizeof(im->unknown), feature_name(f));
			continue;
		}
		if (!has == !(a->cpuid & ALTINSTR_FLAG_INV))
			continue;
		if (a->replacementlen > a->instrlen)
			die("alternative longer than its original\n");
		memcpy(buf, repl, a->replacementlen);
		if (a->replacementlen == 5 &&
		    (buf[0] == 0xe8 || buf[0] == 0xe9)) {
			memcpy(&disp, buf + 1, 4);
			disp += repl - instr;
			memcpy(buf + 1, &disp, 4);
		} else if (a->replacementlen && buf[0] == 0xeb) {
			die("short JMP in an alternative replacement\n");
		}
		memset(buf + a->replacementlen, 0x90,
		       a->instrlen - a->replacementlen);
		memcpy(instr, buf, a->instrlen);
		append(im->patched, sizeof(im->patched),
		       a->cpuid & ALTINSTR_FLAG_INV ? "(inverted)" :
		       feature_name(f));
	}
}

static void load_image(struct image *im, const char *path)
{
	static const char prefix[] = "__arch_chacha20_blocks_nostack";
	static const char *const impl_names[] = { "", "_sse2", "_avx2",
						  "_avx512vl" };
	static const unsigned int impl_features[] = {
		0, 0, X86_FEATURE_AVX2, X86_FEATURE_AVX512VL,
	};
	uint64_t vvar_start = -4 * PAGE, vvar_page = -4 * PAGE;
	uint64_t rng = -4 * PAGE + 640, v;
	size_t fsize, dsize = 0, vvar_size;
	char dbg_path[4096];
	uint8_t *map, *file, *dbg;
	unsigned int i;

	file = read_file(path, &fsize);
	if (!file)
		die("%s: %s\n", path, strerror(errno));
	check_elf(file, fsize, path);
	snprintf(dbg_path, sizeof(dbg_path), "%s.dbg", path);
	dbg = read_file(dbg_path, &dsize);
	if (dbg) {
		check_elf(dbg, dsize, dbg_path);
		if (!file_symbol(dbg, SHT_SYMTAB, "vvar_start", &vvar_start) ||
		    !file_symbol(dbg, SHT_SYMTAB, "vvar_page", &vvar_page) ||
		    !file_symbol(dbg, SHT_SYMTAB, "vvar__vdso_rng_data", &rng))
			die("%s: no vvar symbols\n", dbg_path);
	} else {
		fprintf(stderr, "note: no %s: assuming the 6.1 vvar layout\n",
			dbg_path);
	}

	im->size = (fsize + PAGE - 1) & ~(PAGE - 1);
	vvar_size = -vvar_start;
	if (vvar_size % PAGE || vvar_size > 64 * PAGE ||
	    (int64_t)vvar_page < (int64_t)vvar_start || (int64_t)rng >= 0)
		die("unexpected vvar layout\n");
	map = mmap(NULL, vvar_size + im->size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		die("mmap: %s\n", strerror(errno));
	im->text = map + vvar_size;
	memcpy(im->text, file, fsize);

	/*
	 * The synthetic vvar page: all zero (clock mode "none", so not a time
	 * namespace), and struct vdso_rng_data { unsigned long generation;
	 * u8 is_ready; } saying "ready, generation 1".
	 */
	v = 1;
	memcpy(im->text + rng, &v, sizeof(v));
	im->text[rng + sizeof(v)] = 1;

	apply_alternatives(im, file);

	im->getrandom = (vgetrandom_fn)image_symbol(im->text, "__vdso_getrandom");
	if (!im->getrandom)
		die("%s: no __vdso_getrandom\n", path);

	/*
	 * The block functions, from the debug symbols (they are not
	 * exported): the entry the generic code calls, as patched, and each
	 * implementation, when the image has several.
	 */
	for (i = 0; dbg && i < ARRAY_SIZE(impl_names); i++) {
		char name[64];

		snprintf(name, sizeof(name), "%s%s", prefix, impl_names[i]);
		if (!file_symbol(dbg, SHT_SYMTAB, name, &v))
			continue;
		im->impl[im->nimpl].name = i ? impl_names[i] + 1 : "entry";
		im->impl[im->nimpl].fn = (blocks_fn)(im->text + v);
		im->impl[im->nimpl].feature = impl_features[i];
		im->nimpl++;
	}

	if (mprotect(map, vvar_size, PROT_READ) ||
	    mprotect(im->text, im->size, PROT_READ | PROT_EXEC))
		die("mprotect: %s\n", strerror(errno));
	free(file);
	free(dbg);
}

/* ---------------------------------------------------------------------
 * A C ChaCha20 (64-bit counter, zero nonce), to check that the patched
 * image computes the right thing before measuring it.
 */

static uint32_t rol32(uint32_t v, int n)
{
	return v << n | v >> (32 - n);
}

static void ref_blocks(uint8_t *out, const uint32_t key[8], uint64_t ctr,
		       size_t n)
{
	static const uint32_t sigma[4] = {
		0x61707865, 0x3320646e, 0x79622d32, 0x6b206574
	};
	uint32_t s[16], x[16];
	int i;

	for (; n; n--, ctr++, out += 64) {
		memcpy(s, sigma, 16);
		memcpy(s + 4, key, 32);
		s[12] = ctr;
		s[13] = ctr >> 32;
		s[14] = 0;
		s[15] = 0;
		memcpy(x, s, sizeof(x));
		for (i = 0; i < 10; i++) {
#define QR(a, b, c, d) do {					\
	x[a] += x[b]; x[d] = rol32(x[d] ^ x[a], 16);		\
	x[c] += x[d]; x[b] = rol32(x[b] ^ x[c], 12);		\
	x[a] += x[b]; x[d] = rol32(x[d] ^ x[a], 8);		\
	x[c] += x[d]; x[b] = rol32(x[b] ^ x[c], 7);		\
} while (0)
			QR(0, 4, 8, 12);
			QR(1, 5, 9, 13);
			QR(2, 6, 10, 14);
			QR(3, 7, 11, 15);
			QR(0, 5, 10, 15);
			QR(1, 6, 11, 12);
			QR(2, 7, 8, 13);
			QR(3, 4, 9, 14);
#undef QR
		}
		for (i = 0; i < 16; i++) {
			uint32_t w = x[i] + s[i];

			memcpy(out + 4 * i, &w, 4);	/* x86: little-endian */
		}
	}
}

static bool check_blocks(blocks_fn fn)
{
	static uint8_t got[64 * 40], want[64 * 40];
	static const uint64_t starts[] = { 0, 0xfffffff0ULL, -5ULL };
	uint32_t key[8], ctr[2];
	unsigned int i, k;
	size_t n;

	for (k = 0; k < ARRAY_SIZE(starts); k++) {
		for (n = 0; n <= 40; n++) {
			for (i = 0; i < 8; i++)
				key[i] = 0x9e3779b9 * (i + 1) + n + k;
			ctr[0] = starts[k];
			ctr[1] = starts[k] >> 32;
			memset(got, 0, sizeof(got));
			fn(got, key, ctr, n);
			ref_blocks(want, key, starts[k], n);
			if (memcmp(got, want, n * 64) ||
			    ((uint64_t)ctr[1] << 32 | ctr[0]) != starts[k] + n)
				return false;
		}
	}
	return true;
}

/* ---------------------------------------------------------------------
 * Measurement.
 */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

enum { OURS, HOST, SYSCALL, NSUBJECTS };

static const char *const subject_names[NSUBJECTS] = {
	"ours (image)", "host vDSO", "syscall",
};

struct subject {
	vgetrandom_fn fn;		/* NULL: the system call */
	void *state;
	size_t state_len;
	bool present;
};

static struct subject subjects[NSUBJECTS];
static uint8_t *buf;

static ssize_t call(struct subject *s, size_t len)
{
	if (s->fn)
		return s->fn(buf, len, 0, s->state, s->state_len);
	return syscall(SYS_getrandom, buf, len, 0);
}

/* Seconds per call, over about @budget seconds of calls. */
static double time_calls(struct subject *s, size_t len, double budget)
{
	unsigned long n = 1, i;
	double t, el;

	/* Calibrate: double the count until a run takes a tenth of the budget. */
	for (;;) {
		t = now();
		for (i = 0; i < n; i++)
			call(s, len);
		el = now() - t;
		if (el >= budget / 10 || n >= (1UL << 30))
			break;
		n *= 2;
	}
	n = (unsigned long)(n * (budget / (el > 0 ? el : 1e-9))) + 1;
	t = now();
	for (i = 0; i < n; i++)
		call(s, len);
	return (now() - t) / n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void *new_state(vgetrandom_fn fn, size_t *len)
{
	struct vgetrandom_opaque_params p;
	void *s;

	memset(&p, 0xff, sizeof(p));
	if (fn(NULL, 0, 0, &p, ~0UL) || !p.size_of_opaque_state ||
	    p.size_of_opaque_state > PAGE)
		die("the query call failed\n");
	*len = p.size_of_opaque_state;
	s = mmap(NULL, PAGE, p.mmap_prot, p.mmap_flags, -1, 0);
	if (s == MAP_FAILED)	/* a host without MAP_DROPPABLE */
		s = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED)
		die("mmap: %s\n", strerror(errno));
	return s;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: vgetrandom_bench [-r REPS] [-t MS] [-x FEATURE]... [-c CPU] PATH/vdso64.so\n"
		"  -r REPS     repetitions per figure (median reported), default 9\n"
		"  -t MS       time per measurement, default 20 ms\n"
		"  -x FEATURE  apply alternatives as if the CPU lacked FEATURE\n"
		"              (avx2, avx512f, avx512vl, or a number word*32+bit)\n"
		"  -c CPU      pin to CPU\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const size_t small[] = { 4, 16, 64, 256 };
	static const size_t large[] = { 4096, 65536, 1 << 20 };
	unsigned int reps = 9, r, i, k, nsizes;
	double budget = 0.020, t0 = now();
	size_t sizes[ARRAY_SIZE(small) + ARRAY_SIZE(large)];
	double res[ARRAY_SIZE(sizes)][NSUBJECTS][64];
	double blk[4][64];
	struct image im = { 0 };
	struct utsname un;
	void *host_vdso;
	int opt, cpu = -1;
	bool ok = true;

	while ((opt = getopt(argc, argv, "r:t:x:c:")) != -1) {
		switch (opt) {
		case 'r':
			reps = strtoul(optarg, NULL, 0);
			if (!reps || reps > 64)
				usage();
			break;
		case 't':
			budget = strtod(optarg, NULL) / 1000;
			if (!(budget > 0))
				usage();
			break;
		case 'x':
			if (ndisabled == ARRAY_SIZE(disabled_features))
				usage();
			for (k = 0; k < ARRAY_SIZE(feature_names); k++)
				if (!strcmp(optarg, feature_names[k].name))
					break;
			disabled_features[ndisabled++] =
				k < ARRAY_SIZE(feature_names) ?
				feature_names[k].feature :
				strtoul(optarg, NULL, 0);
			/* Like the kernel's cpuid dependencies. */
			if (k < ARRAY_SIZE(feature_names) &&
			    feature_names[k].feature == X86_FEATURE_AVX512F &&
			    ndisabled < ARRAY_SIZE(disabled_features))
				disabled_features[ndisabled++] = X86_FEATURE_AVX512VL;
			if (k < ARRAY_SIZE(feature_names) &&
			    feature_names[k].feature == X86_FEATURE_AVX2 &&
			    ndisabled + 1 < ARRAY_SIZE(disabled_features)) {
				disabled_features[ndisabled++] = X86_FEATURE_AVX512F;
				disabled_features[ndisabled++] = X86_FEATURE_AVX512VL;
			}
			break;
		case 'c':
			cpu = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();

	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			die("sched_setaffinity: %s\n", strerror(errno));
	}

	load_image(&im, argv[optind]);
	buf = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (buf == MAP_FAILED)
		die("mmap: %s\n", strerror(errno));

	subjects[OURS].fn = im.getrandom;
	subjects[OURS].state = new_state(im.getrandom, &subjects[OURS].state_len);
	subjects[OURS].present = true;

	host_vdso = (void *)getauxval(AT_SYSINFO_EHDR);
	if (host_vdso)
		subjects[HOST].fn = (vgetrandom_fn)image_symbol(host_vdso,
								"__vdso_getrandom");
	if (subjects[HOST].fn) {
		subjects[HOST].state = new_state(subjects[HOST].fn,
						 &subjects[HOST].state_len);
		subjects[HOST].present = true;
	}
	subjects[SYSCALL].present = true;

	uname(&un);
	printf("vDSO getrandom() benchmark: %s\n", argv[optind]);
	printf("  ours: state %zu bytes; alternatives applied: %s%s%s\n",
	       subjects[OURS].state_len, im.patched[0] ? im.patched : "none",
	       im.unknown[0] ? "; left unpatched (unknown here): " : "",
	       im.unknown);
	if (subjects[HOST].present)
		printf("  host: Linux %s vDSO, state %zu bytes\n", un.release,
		       subjects[HOST].state_len);
	else
		printf("  host: Linux %s has no vDSO getrandom()\n", un.release);
	printf("  %u repetitions of %.0f ms per figure, medians; CPU: %s\n",
	       reps, budget * 1000,
	       host_has(X86_FEATURE_AVX512VL) == 1 ? "avx512vl avx2 sse2" :
	       host_has(X86_FEATURE_AVX2) == 1 ? "avx2 sse2" : "sse2");

	/* Correctness first: the patched entry and each implementation. */
	for (i = 0; i < im.nimpl; i++) {
		if (im.impl[i].feature && host_has(im.impl[i].feature) != 1)
			continue;
		if (!check_blocks(im.impl[i].fn)) {
			printf("  FAIL: %s block function disagrees with C ChaCha20\n",
			       im.impl[i].name);
			ok = false;
		}
	}
	for (k = 0; k < NSUBJECTS; k++) {
		if (subjects[k].present && call(&subjects[k], 4096) != 4096) {
			printf("  FAIL: %s did not return 4096 bytes\n",
			       subject_names[k]);
			ok = false;
		}
	}
	if (!ok)
		return 1;

	nsizes = 0;
	for (i = 0; i < ARRAY_SIZE(small); i++)
		sizes[nsizes++] = small[i];
	for (i = 0; i < ARRAY_SIZE(large); i++)
		sizes[nsizes++] = large[i];

	/*
	 * Repetitions outermost, subjects innermost: all of them see the
	 * same conditions (frequency, other load) within a repetition.
	 */
	for (r = 0; r < reps; r++) {
		for (i = 0; i < nsizes; i++)
			for (k = 0; k < NSUBJECTS; k++)
				if (subjects[k].present)
					res[i][k][r] = time_calls(&subjects[k],
								  sizes[i],
								  budget);
		for (k = 0; k < im.nimpl; k++) {
			uint32_t key[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, ctr[2] = { 0 };
			unsigned long n = 0;
			double t;

			if (im.impl[k].feature && host_has(im.impl[k].feature) != 1)
				continue;
			t = now();
			do {
				im.impl[k].fn(buf, key, ctr, 64);
				n++;
			} while (now() - t < budget);
			blk[k][r] = (now() - t) / n;
		}
	}

	printf("\n%-8s %14s %14s %14s %12s %12s\n", "size", subject_names[OURS],
	       subject_names[HOST], subject_names[SYSCALL], "ours/host",
	       "ours/syscall");
	for (i = 0; i < nsizes; i++) {
		double m[NSUBJECTS];
		char label[24];

		for (k = 0; k < NSUBJECTS; k++)
			m[k] = subjects[k].present ? median(res[i][k], reps) : 0;
		if (sizes[i] < 1024)
			snprintf(label, sizeof(label), "%zu B", sizes[i]);
		else if (sizes[i] < 1 << 20)
			snprintf(label, sizeof(label), "%zu KiB", sizes[i] >> 10);
		else
			snprintf(label, sizeof(label), "%zu MiB", sizes[i] >> 20);
		printf("%-8s", label);
		for (k = 0; k < NSUBJECTS; k++) {
			if (!subjects[k].present)
				printf(" %14s", "-");
			else if (sizes[i] < 1024)
				printf(" %11.1f ns", m[k] * 1e9);
			else
				printf(" %9.2f GB/s", sizes[i] / m[k] / 1e9);
		}
		/* Speed ratios: > 1 means ours is faster. */
		if (subjects[HOST].present)
			printf(" %11.2fx", m[HOST] / m[OURS]);
		else
			printf(" %12s", "-");
		printf(" %11.2fx\n", m[SYSCALL] / m[OURS]);
	}
	printf("(small sizes: ns per call, lower is better; 4 KiB and up: GB/s;\n"
	       " ratios are speed, ours relative to the other, > 1 is faster)\n");

	if (im.nimpl) {
		printf("\nblock function alone, 64 blocks (4 KiB) per call:");
		for (k = 0; k < im.nimpl; k++) {
			if (im.impl[k].feature && host_has(im.impl[k].feature) != 1)
				printf("  %s: n/a", im.impl[k].name);
			else
				printf("  %s %.2f GB/s", im.impl[k].name,
				       4096 / median(blk[k], reps) / 1e9);
		}
		printf("\n");
	}
	printf("total time %.1f s\n", now() - t0);
	return 0;
}
