/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the vDSO image the kernel maps into every process: its
 * extent and its dynamic symbols, found through the section headers (the
 * whole image is mapped). Shared by harness/stress and harness/glibc-client.
 * Everything is static: a program includes this once.
 */
#ifndef HARNESS_VDSO_LOOKUP_H
#define HARNESS_VDSO_LOOKUP_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/auxv.h>

#ifndef __maybe_unused
#define __maybe_unused	__attribute__((unused))
#endif

struct vdso_image {
	const char *base;		/* where it is mapped */
	size_t len;			/* up to the end of its last PT_LOAD */
	long bias;			/* load address minus link address */
	const Elf64_Sym *sym;		/* .dynsym, or NULL */
	size_t nsym;
	const char *str;		/* its string table */
	const Elf64_Versym *versym;	/* .gnu.version, or NULL */
	const char *verdef;		/* .gnu.version_d, or NULL */
};

/*
 * Fills @img from the vDSO of this process; returns 0, or -1 if there is
 * none or it is not a 64-bit ELF image with section headers. Sections it
 * lacks are left NULL.
 */
static __maybe_unused int vdso_image_read(struct vdso_image *img)
{
	const char *base = (const char *)getauxval(AT_SYSINFO_EHDR);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)base;
	const Elf64_Phdr *ph;
	const Elf64_Shdr *sh;
	bool seen_load = false;
	size_t i, end;

	memset(img, 0, sizeof(*img));
	if (!base || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || !eh->e_shoff)
		return -1;
	img->base = base;

	ph = (const Elf64_Phdr *)(base + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (!seen_load) {
			img->bias = (long)base - (long)ph[i].p_vaddr;
			seen_load = true;
		}
		end = ph[i].p_vaddr + ph[i].p_memsz + img->bias - (long)base;
		if (end > img->len)
			img->len = end;
	}

	sh = (const Elf64_Shdr *)(base + eh->e_shoff);
	for (i = 0; i < eh->e_shnum; i++) {
		switch (sh[i].sh_type) {
		case SHT_DYNSYM:
			img->sym = (const Elf64_Sym *)(base + sh[i].sh_offset);
			img->nsym = sh[i].sh_size / sizeof(*img->sym);
			img->str = base + sh[sh[i].sh_link].sh_offset;
			break;
		case SHT_GNU_versym:
			img->versym = (const Elf64_Versym *)(base +
							     sh[i].sh_offset);
			break;
		case SHT_GNU_verdef:
			img->verdef = base + sh[i].sh_offset;
			break;
		}
	}
	return 0;
}

/*
 * The name of the version of dynamic symbol @i, or NULL if the image has
 * no version sections or does not define the version the symbol names.
 */
static __maybe_unused const char *vdso_sym_version(const struct vdso_image *img,
						   size_t i)
{
	const char *p = img->verdef;
	const Elf64_Verdef *d;
	const Elf64_Verdaux *a;

	if (!img->versym || !p)
		return NULL;
	for (;;) {
		d = (const Elf64_Verdef *)p;
		if (d->vd_ndx == (img->versym[i] & 0x7fff))
			break;
		if (!d->vd_next)
			return NULL;
		p += d->vd_next;
	}
	a = (const Elf64_Verdaux *)(p + d->vd_aux);
	return img->str + a->vda_name;
}

/*
 * The first defined function NAME@VERSION among the dynamic symbols of
 * @img (any version of NAME if @version is NULL or the image has no
 * version sections): its index, or 0 if there is none. If @bad_version is
 * given, a function NAME whose version the image does not define ends the
 * search: *@bad_version is set and 0 returned; otherwise it is passed over.
 */
static __maybe_unused size_t vdso_image_find(const struct vdso_image *img,
					     const char *name,
					     const char *version,
					     bool *bad_version)
{
	bool versioned = version && img->versym && img->verdef;
	const char *v;
	size_t i;

	if (!img->sym || !img->str)
		return 0;
	for (i = 1; i < img->nsym; i++) {
		if (img->sym[i].st_shndx == SHN_UNDEF ||
		    ELF64_ST_TYPE(img->sym[i].st_info) != STT_FUNC ||
		    strcmp(img->str + img->sym[i].st_name, name))
			continue;
		if (!versioned)
			return i;
		v = vdso_sym_version(img, i);
		if (!v && bad_version) {
			*bad_version = true;
			return 0;
		}
		if (v && !strcmp(v, version))
			return i;
	}
	return 0;
}

#endif /* HARNESS_VDSO_LOOKUP_H */
