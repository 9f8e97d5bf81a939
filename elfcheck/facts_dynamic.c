/*
 * facts_dynamic.c — the PT_DYNAMIC side of the facts pass: dynamic tags
 * (flags, DT_NEEDED, DT_SONAME, DT_RPATH/DT_RUNPATH, DT_PLTGOT and the MIPS
 * GOT tags), their strings, and the dynamic symbols — from .dynsym when
 * section headers exist, otherwise from DT_SYMTAB with the count taken from
 * DT_MIPS_SYMTABNO, DT_HASH or DT_GNU_HASH (so files without section
 * headers are still judged).  Everything is found through program headers.
 */
#include <stdlib.h>
#include <string.h>

#include "facts_int.h"

#ifndef DT_MIPS_PLTGOT
#define DT_MIPS_PLTGOT 0x70000032
#endif

struct dyn_tags {
	uint64_t strtab, strsz, symtab, hash, gnu_hash;
	bool has_strtab, has_strsz, has_symtab, has_hash, has_gnu_hash;
	uint64_t soname, rpath, runpath;
	bool has_soname, has_rpath, has_runpath;
	uint64_t rela, relasz, rel, relsz, jmprel, pltrelsz, pltrel;
	uint64_t *needed;         /* string offsets, owned */
	size_t nneeded;
};

static void take_mips_tag(struct iotb_elf_facts *f, const GElf_Dyn *d)
{
	switch (d->d_tag) {
	case DT_MIPS_LOCAL_GOTNO: f->mips_local_gotno = d->d_un.d_val; break;
	case DT_MIPS_GOTSYM: f->mips_gotsym = d->d_un.d_val; break;
	case DT_MIPS_SYMTABNO: f->mips_symtabno = d->d_un.d_val; break;
	case DT_MIPS_PLTGOT:
		f->has_mips_pltgot = true;
		f->mips_pltgot = d->d_un.d_ptr;
		return;
	default: return;
	}
	f->has_mips_got = true;
}

static void take_tag(struct iotb_elf_facts *f, struct dyn_tags *t, const GElf_Dyn *d)
{
	uint64_t v = d->d_un.d_val;

	switch (d->d_tag) {
	case DT_NEEDED: t->needed[t->nneeded++] = v; break;
	case DT_SONAME: t->soname = v; t->has_soname = true; break;
	case DT_RPATH: t->rpath = v; t->has_rpath = true; break;
	case DT_RUNPATH: t->runpath = v; t->has_runpath = true; break;
	case DT_STRTAB: t->strtab = v; t->has_strtab = true; break;
	case DT_STRSZ: t->strsz = v; t->has_strsz = true; break;
	case DT_SYMTAB: t->symtab = v; t->has_symtab = true; break;
	case DT_HASH: t->hash = v; t->has_hash = true; break;
	case DT_GNU_HASH: t->gnu_hash = v; t->has_gnu_hash = true; break;
	case DT_RELA: t->rela = v; break;
	case DT_RELASZ: t->relasz = v; break;
	case DT_REL: t->rel = v; break;
	case DT_RELSZ: t->relsz = v; break;
	case DT_JMPREL: t->jmprel = v; break;
	case DT_PLTRELSZ: t->pltrelsz = v; break;
	case DT_PLTREL: t->pltrel = v; break;
	case DT_FLAGS: f->dt_flags = v; break;
	case DT_FLAGS_1: f->dt_flags_1 = v; break;
	case DT_BIND_NOW: f->has_bind_now_tag = true; break;
	case DT_TEXTREL: f->has_textrel_tag = true; break;
	case DT_PLTGOT: f->pltgot = v; f->has_pltgot = true; break;
	default:
		if (f->machine == EM_MIPS)
			take_mips_tag(f, d);
	}
}

static const GElf_Phdr *dynamic_phdr(const struct iotb_elf_facts *f)
{
	for (size_t i = 0; i < f->nphdrs; i++)
		if (f->phdrs[i].p_type == PT_DYNAMIC)
			return &f->phdrs[i];
	return NULL;
}

static int read_tags(struct elf_reader *r, const GElf_Phdr *p, struct dyn_tags *t)
{
	size_t dynsize = gelf_fsize(r->elf, ELF_T_DYN, 1, EV_CURRENT);
	size_t n = p->p_filesz / dynsize, i;
	Elf_Data *d;

	if (n == 0)
		return elf_bad(r, "PT_DYNAMIC holds no dynamic entry (%llu bytes)",
			       (unsigned long long)p->p_filesz);
	d = elf_getdata_rawchunk(r->elf, (int64_t)p->p_offset, n * dynsize, ELF_T_DYN);
	if (!d)
		return elf_bad(r, "cannot read PT_DYNAMIC: %s", elf_errmsg(-1));
	t->needed = iotb_xcalloc(n, sizeof(*t->needed));
	for (i = 0; i < n; i++) {
		GElf_Dyn dyn;

		if (!gelf_getdyn(d, (int)i, &dyn))
			return elf_bad(r, "cannot read dynamic entry %zu: %s", i, elf_errmsg(-1));
		if (dyn.d_tag == DT_NULL)
			return 0;
		take_tag(r->f, t, &dyn);
	}
	return 0;
}

/* The string at offset off of the dynamic string table, or NULL (bad). */
static const char *dyn_string(struct elf_reader *r, const unsigned char *strtab,
                              uint64_t strsz, uint64_t off, const char *tag)
{
	if (!strtab) {
		elf_bad(r, "%s is set but DT_STRTAB/DT_STRSZ are missing", tag);
		return NULL;
	}
	if (off >= strsz || !elf_is_terminated(strtab + off, strsz - off)) {
		elf_bad(r, "%s string offset 0x%llx is past the end of the dynamic string "
			"table (%llu bytes)", tag, (unsigned long long)off,
			(unsigned long long)strsz);
		return NULL;
	}
	return (const char *)strtab + off;
}

static const unsigned char *dyn_strtab(struct elf_reader *r, const struct dyn_tags *t)
{
	uint64_t off;

	if (!t->has_strtab || !t->has_strsz)
		return NULL;
	if (elf_vaddr_to_offset(r, t->strtab, t->strsz, &off) < 0) {
		elf_bad(r, "DT_STRTAB 0x%llx (DT_STRSZ 0x%llx) is not inside the file image "
			"of a loadable segment", (unsigned long long)t->strtab,
			(unsigned long long)t->strsz);
		return NULL;
	}
	return r->data + off;
}

static int take_strings(struct elf_reader *r, const struct dyn_tags *t,
                        const unsigned char *strtab)
{
	struct iotb_elf_facts *f = r->f;
	size_t i;

	if (t->has_soname && !(f->soname = dyn_string(r, strtab, t->strsz, t->soname, "DT_SONAME")))
		return -1;
	if (t->has_rpath && !(f->rpath = dyn_string(r, strtab, t->strsz, t->rpath, "DT_RPATH")))
		return -1;
	if (t->has_runpath &&
	    !(f->runpath = dyn_string(r, strtab, t->strsz, t->runpath, "DT_RUNPATH")))
		return -1;
	f->needed = iotb_xcalloc(t->nneeded ? t->nneeded : 1, sizeof(*f->needed));
	for (i = 0; i < t->nneeded; i++) {
		f->needed[i] = dyn_string(r, strtab, t->strsz, t->needed[i], "DT_NEEDED");
		if (!f->needed[i])
			return -1;
		f->nneeded = i + 1;
	}
	return 0;
}

/* Symbol count from DT_HASH: its nchain word. */
static int count_from_hash(struct elf_reader *r, uint64_t addr, uint64_t *count)
{
	uint64_t off;

	if (elf_vaddr_to_offset(r, addr, 8, &off) < 0)
		return elf_bad(r, "DT_HASH 0x%llx is not inside the file image of a loadable "
			       "segment", (unsigned long long)addr);
	*count = elf_read32(r, r->data + off + 4);
	return 0;
}

/* Symbol count from DT_GNU_HASH: one past the highest chain end. */
static int count_from_gnu_hash(struct elf_reader *r, uint64_t addr, uint64_t *count)
{
	uint64_t off, nbuckets, symoffset, bloom, buckets, idx = 0, i, first;
	unsigned word = r->f->elfclass == ELFCLASS64 ? 8 : 4;

	if (elf_vaddr_to_offset(r, addr, 16, &off) < 0)
		goto bad;
	nbuckets = elf_read32(r, r->data + off);
	symoffset = elf_read32(r, r->data + off + 4);
	bloom = elf_read32(r, r->data + off + 8);
	buckets = addr + 16 + bloom * word;
	if (elf_vaddr_to_offset(r, buckets, nbuckets * 4, &off) < 0)
		goto bad;
	for (i = 0; i < nbuckets; i++)
		if (elf_read32(r, r->data + off + 4 * i) > idx)
			idx = elf_read32(r, r->data + off + 4 * i);
	if (idx < symoffset) {
		*count = symoffset;
		return 0;
	}
	for (first = idx;; idx++) {
		uint64_t c = buckets + nbuckets * 4 + (idx - symoffset) * 4;

		if (idx - first > r->size / 4 || elf_vaddr_to_offset(r, c, 4, &off) < 0)
			goto bad;
		if (elf_read32(r, r->data + off) & 1)
			break;
	}
	*count = idx + 1;
	return 0;
bad:
	return elf_bad(r, "DT_GNU_HASH table at 0x%llx is not inside the file image of a "
		       "loadable segment", (unsigned long long)addr);
}

/* One past the highest symbol index a relocation table uses (0 when the
 * table is absent or not inside the file). */
static uint64_t max_reloc_sym(struct elf_reader *r, uint64_t addr, uint64_t size, bool rela)
{
	Elf_Type type = rela ? ELF_T_RELA : ELF_T_REL;
	size_t entsize = gelf_fsize(r->elf, type, 1, EV_CURRENT), i, n;
	uint64_t off, max = 0;
	Elf_Data *d;

	if (!addr || !size || elf_vaddr_to_offset(r, addr, size, &off) < 0)
		return 0;
	n = size / entsize;
	d = elf_getdata_rawchunk(r->elf, (int64_t)off, n * entsize, type);
	for (i = 0; d && i < n && i < INT32_MAX; i++) {
		GElf_Rela ra;
		GElf_Rel rl;
		uint64_t sym = 0;

		/* gelf_getrel[a] widen 32-bit r_info to the 64-bit layout */
		if (rela && gelf_getrela(d, (int)i, &ra))
			sym = GELF_R_SYM(ra.r_info);
		else if (!rela && gelf_getrel(d, (int)i, &rl))
			sym = GELF_R_SYM(rl.r_info);
		if (sym + 1 > max)
			max = sym + 1;
	}
	return max;
}

/* Imports are always named by relocations, so the relocation tables give
 * a lower bound of the dynamic symbol count that DT_GNU_HASH cannot give
 * (it does not cover unhashed undefined symbols). */
static uint64_t count_from_relocs(struct elf_reader *r, const struct dyn_tags *t)
{
	uint64_t a = max_reloc_sym(r, t->rela, t->relasz, true);
	uint64_t b = max_reloc_sym(r, t->rel, t->relsz, false);
	uint64_t c = max_reloc_sym(r, t->jmprel, t->pltrelsz, t->pltrel == DT_RELA);

	return a > b ? (a > c ? a : c) : (b > c ? b : c);
}

static int read_dynsym_from_tags(struct elf_reader *r, const struct dyn_tags *t,
                                 const unsigned char *strtab)
{
	size_t symsize = gelf_fsize(r->elf, ELF_T_SYM, 1, EV_CURRENT);
	uint64_t count = 0, off;
	int rc;

	if (!t->has_symtab || !strtab)
		return 0;
	if (r->f->machine == EM_MIPS && r->f->has_mips_got && r->f->mips_symtabno)
		count = r->f->mips_symtabno, rc = 0;
	else if (t->has_hash)
		rc = count_from_hash(r, t->hash, &count);
	else if (t->has_gnu_hash)
		rc = count_from_gnu_hash(r, t->gnu_hash, &count);
	else
		return 0;
	if (rc < 0)
		return -1;
	/* MIPS64 packs r_info differently; MIPS has DT_MIPS_SYMTABNO anyway */
	if (r->f->machine != EM_MIPS && count_from_relocs(r, t) > count)
		count = count_from_relocs(r, t);
	if (count > r->size / symsize ||
	    elf_vaddr_to_offset(r, t->symtab, count * symsize, &off) < 0)
		return elf_bad(r, "dynamic symbol table at 0x%llx (%llu entries) is not inside "
			       "the file image of a loadable segment",
			       (unsigned long long)t->symtab, (unsigned long long)count);
	r->f->has_dynsym = true;
	return elf_add_symbols(r, off, count, strtab, t->strsz, true, "DT_SYMTAB");
}

static void take_reltabs(struct iotb_elf_facts *f, const struct dyn_tags *t)
{
	if (t->jmprel && t->pltrelsz)
		f->reltabs[f->nreltabs++] = (struct iotb_elf_reltab){ t->jmprel, t->pltrelsz,
								      t->pltrel == DT_RELA };
	if (t->rela && t->relasz)
		f->reltabs[f->nreltabs++] = (struct iotb_elf_reltab){ t->rela, t->relasz, true };
	if (t->rel && t->relsz)
		f->reltabs[f->nreltabs++] = (struct iotb_elf_reltab){ t->rel, t->relsz, false };
}

int elf_read_dynamic(struct elf_reader *r)
{
	const GElf_Phdr *p = dynamic_phdr(r->f);
	struct dyn_tags t;
	const unsigned char *strtab;
	int rc = -1;

	memset(&t, 0, sizeof(t));
	if (!p) {
		rc = 0;
		if (r->dynsym_shndx) {
			r->f->has_dynsym = true;
			rc = elf_read_symbol_section(r, r->dynsym_shndx, true);
		}
		return rc;
	}
	if (read_tags(r, p, &t) < 0)
		goto out;
	take_reltabs(r->f, &t);
	strtab = dyn_strtab(r, &t);
	if (r->f->malformed || take_strings(r, &t, strtab) < 0)
		goto out;
	if (r->dynsym_shndx) {
		r->f->has_dynsym = true;
		rc = elf_read_symbol_section(r, r->dynsym_shndx, true);
	} else {
		rc = read_dynsym_from_tags(r, &t, strtab);
	}
out:
	free(t.needed);
	return rc;
}
