/*
 * facts_sections.c — the section header side of the facts pass: table
 * bounds and overlaps, section-name string indexes, section data bounds,
 * the symbol tables (.symtab here, .dynsym in facts_dynamic.c), the GOT
 * sections the loader writes, and kernel-module markers.
 * Files without section headers (sstrip, OpenWrt) skip all of this.
 */
#include <stdlib.h>
#include <string.h>

#include "facts_int.h"

/* Sections the dynamic linker writes while relocating (RELRO coverage).
 * ".plt" counts only when writable (PowerPC 32 secure-PLT, old BSS-PLT). */
static const char *const got_names[] = { ".got", ".got.plt", ".got2", ".plt", NULL };

struct shstr {
	const unsigned char *names;   /* section-name string table or NULL */
	uint64_t size;
};

static int check_shdr_table(struct elf_reader *r, const GElf_Ehdr *eh, size_t n)
{
	size_t entsize = gelf_fsize(r->elf, ELF_T_SHDR, 1, EV_CURRENT);
	uint64_t bytes = (uint64_t)n * eh->e_shentsize;
	uint64_t ph_end = eh->e_phoff + (uint64_t)r->f->nphdrs * eh->e_phentsize;

	if (eh->e_shentsize != entsize)
		return elf_bad(r, "e_shentsize %u is not the size of a section header (%zu)",
			       eh->e_shentsize, entsize);
	if (!elf_fits(r->size, eh->e_shoff, bytes))
		return elf_bad(r, "section header table (%zu entries at offset 0x%llx) "
			       "extends past the end of the file (%zu bytes)", n,
			       (unsigned long long)eh->e_shoff, r->size);
	if (eh->e_shoff < gelf_fsize(r->elf, ELF_T_EHDR, 1, EV_CURRENT))
		return elf_bad(r, "section header table at offset 0x%llx overlaps the ELF header",
			       (unsigned long long)eh->e_shoff);
	if (r->f->nphdrs && eh->e_shoff < ph_end && eh->e_phoff < eh->e_shoff + bytes)
		return elf_bad(r, "program header table [0x%llx, 0x%llx) overlaps the section "
			       "header table [0x%llx, 0x%llx)", (unsigned long long)eh->e_phoff,
			       (unsigned long long)ph_end, (unsigned long long)eh->e_shoff,
			       (unsigned long long)(eh->e_shoff + bytes));
	return 0;
}

static int section_header(struct elf_reader *r, size_t i, GElf_Shdr *sh)
{
	Elf_Scn *scn = elf_getscn(r->elf, i);

	if (!scn || !gelf_getshdr(scn, sh))
		return elf_bad(r, "cannot read section header %zu: %s", i, elf_errmsg(-1));
	return 0;
}

static bool has_data(const GElf_Shdr *sh)
{
	return sh->sh_type != SHT_NOBITS && sh->sh_type != SHT_NULL && sh->sh_size > 0;
}

static int read_shstr(struct elf_reader *r, size_t n, struct shstr *ss)
{
	size_t idx;
	GElf_Shdr sh;

	ss->names = NULL;
	ss->size = 0;
	if (elf_getshdrstrndx(r->elf, &idx) != 0)
		return elf_bad(r, "cannot read e_shstrndx: %s", elf_errmsg(-1));
	if (idx == SHN_UNDEF)
		return 0;
	if (idx >= n)
		return elf_bad(r, "e_shstrndx %zu is out of range (%zu sections)", idx, n);
	if (section_header(r, idx, &sh) < 0)
		return -1;
	if (sh.sh_type != SHT_STRTAB || sh.sh_size == 0)
		return elf_bad(r, "section-name string table (section %zu) is %s", idx,
			       sh.sh_size == 0 ? "empty" : "not a string table");
	if (!elf_fits(r->size, sh.sh_offset, sh.sh_size))
		return elf_bad(r, "section-name string table (section %zu) extends past the "
			       "end of the file (%zu bytes)", idx, r->size);
	ss->names = r->data + sh.sh_offset;
	ss->size = sh.sh_size;
	if (ss->names[ss->size - 1] != '\0')
		return elf_bad(r, "section-name string table (section %zu) is not "
			       "NUL-terminated", idx);
	return 0;
}

static const char *section_name(struct elf_reader *r, const struct shstr *ss,
                                size_t i, const GElf_Shdr *sh)
{
	if (!ss->names)
		return "";
	if (sh->sh_name >= ss->size) {
		elf_bad(r, "section %zu name offset %u is past the end of the section-name "
			"string table (%llu bytes)", i, (unsigned)sh->sh_name,
			(unsigned long long)ss->size);
		return NULL;
	}
	return (const char *)ss->names + sh->sh_name;
}

static bool is_got_name(const char *name, const GElf_Shdr *sh)
{
	size_t k;

	if (!(sh->sh_flags & SHF_ALLOC) || sh->sh_size == 0)
		return false;
	for (k = 0; got_names[k]; k++)
		if (strcmp(name, got_names[k]) == 0)
			break;
	if (!got_names[k])
		return false;
	if (strcmp(name, ".plt") == 0)
		return (sh->sh_flags & SHF_WRITE) && !(sh->sh_flags & SHF_EXECINSTR);
	return true;
}

static void add_region(struct iotb_elf_facts *f, size_t i, const char *name,
                       const GElf_Shdr *sh)
{
	struct iotb_elf_region *g = &f->regions[f->nregions++];

	g->name = name;
	g->index = i;
	g->offset = sh->sh_offset;
	g->size = sh->sh_size;
	g->addr = sh->sh_addr;
	g->flags = sh->sh_flags;
	g->exec = (sh->sh_flags & SHF_EXECINSTR) != 0;
	g->is_segment = false;
	g->type = sh->sh_type;
	g->link = sh->sh_link;
	g->info = sh->sh_info;
	g->entsize = sh->sh_entsize;
}

static void classify_section(struct elf_reader *r, size_t i, const char *name,
                             const GElf_Shdr *sh)
{
	struct iotb_elf_facts *f = r->f;

	if (strcmp(name, ".note.GNU-stack") == 0) {
		f->has_note_gnu_stack = true;
		f->note_gnu_stack_exec = (sh->sh_flags & SHF_EXECINSTR) != 0;
	}
	if (has_data(sh))
		add_region(f, i, name, sh);

	if (sh->sh_type == SHT_SYMTAB && !r->symtab_shndx)
		r->symtab_shndx = i;
	if (sh->sh_type == SHT_DYNSYM && !r->dynsym_shndx)
		r->dynsym_shndx = i;
	if (strncmp(name, ".debug_", 7) == 0)
		f->has_debug = true;
	if (strcmp(name, ".modinfo") == 0 || strcmp(name, ".gnu.linkonce.this_module") == 0)
		f->is_kernel_module = true;
	if (is_got_name(name, sh) && f->ngots < IOTB_ELF_MAX_GOTS) {
		f->gots[f->ngots].what = got_names[0];
		for (size_t k = 0; got_names[k]; k++)
			if (strcmp(name, got_names[k]) == 0)
				f->gots[f->ngots].what = got_names[k];
		f->gots[f->ngots].start = sh->sh_addr;
		f->gots[f->ngots].end = sh->sh_addr + sh->sh_size;
		f->ngots++;
	}
}

static int read_one_section(struct elf_reader *r, const struct shstr *ss, size_t i)
{
	const char *name;
	GElf_Shdr sh;

	if (section_header(r, i, &sh) < 0)
		return -1;
	name = section_name(r, ss, i, &sh);
	if (!name)
		return -1;
	if (has_data(&sh) && !elf_fits(r->size, sh.sh_offset, sh.sh_size))
		return elf_bad(r, "section %zu ('%s') data at offset 0x%llx, 0x%llx bytes, "
			       "extends past the end of the file (%zu bytes)", i, name,
			       (unsigned long long)sh.sh_offset,
			       (unsigned long long)sh.sh_size, r->size);
	classify_section(r, i, name, &sh);
	return 0;
}

int elf_read_symbol_section(struct elf_reader *r, size_t idx, bool dynamic)
{
	size_t symsize = gelf_fsize(r->elf, ELF_T_SYM, 1, EV_CURRENT);
	const char *what = dynamic ? "'.dynsym'" : "'.symtab'";
	GElf_Shdr sh, st;
	uint64_t count;

	if (section_header(r, idx, &sh) < 0)
		return -1;
	if (sh.sh_entsize != symsize)
		return elf_bad(r, "section %zu (%s) has entry size %llu, expected %zu", idx,
			       what, (unsigned long long)sh.sh_entsize, symsize);
	count = sh.sh_size / symsize;
	if (sh.sh_link == 0 || sh.sh_link >= r->f->nshdrs ||
	    section_header(r, sh.sh_link, &st) < 0 || st.sh_type != SHT_STRTAB)
		return elf_bad(r, "section %zu (%s) links to section %u, which is not a "
			       "string table", idx, what, (unsigned)sh.sh_link);
	if (st.sh_size == 0 && count > 1)
		return elf_bad(r, "string table section %u is empty but section %zu (%s) "
			       "has %llu symbols naming into it", (unsigned)sh.sh_link, idx,
			       what, (unsigned long long)count);
	if (!elf_fits(r->size, st.sh_offset, st.sh_size))
		return elf_bad(r, "string table section %u extends past the end of the file",
			       (unsigned)sh.sh_link);
	return elf_add_symbols(r, sh.sh_offset, count, r->data + st.sh_offset,
			       st.sh_size, dynamic, what);
}

int elf_read_sections(struct elf_reader *r)
{
	struct shstr ss;
	size_t n, i;
	GElf_Ehdr eh;

	gelf_getehdr(r->elf, &eh);
	if (eh.e_shoff == 0)
		return 0;
	if (!elf_fits(r->size, eh.e_shoff, gelf_fsize(r->elf, ELF_T_SHDR, 1, EV_CURRENT)))
		return elf_bad(r, "section header table at offset 0x%llx is past the end of "
			       "the file (%zu bytes)", (unsigned long long)eh.e_shoff, r->size);
	n = eh.e_shnum;    /* 0 with e_shoff set: extended numbering (section 0) */
	if (n == 0 && elf_getshdrnum(r->elf, &n) != 0)
		return elf_bad(r, "cannot read the section count: %s", elf_errmsg(-1));
	if (n == 0)
		return 0;
	if (check_shdr_table(r, &eh, n) < 0)
		return -1;
	r->f->has_shdrs = true;
	r->f->nshdrs = n;
	r->f->regions = iotb_xcalloc(n, sizeof(*r->f->regions));
	if (read_shstr(r, n, &ss) < 0)
		return -1;
	for (i = 1; i < n; i++)
		if (read_one_section(r, &ss, i) < 0)
			return -1;
	if (r->symtab_shndx) {
		r->f->has_symtab = true;
		return elf_read_symbol_section(r, r->symtab_shndx, false);
	}
	return 0;
}

int elf_add_symbols(struct elf_reader *r, uint64_t off, uint64_t count,
                    const unsigned char *strtab, uint64_t strsz, bool dynamic,
                    const char *what)
{
	size_t symsize = gelf_fsize(r->elf, ELF_T_SYM, 1, EV_CURRENT);
	struct iotb_elf_facts *f = r->f;
	Elf_Data *d;
	uint64_t i;

	if (count == 0)
		return 0;
	if (count > INT32_MAX / 2)
		return elf_bad(r, "symbol table %s has an absurd entry count %llu", what,
			       (unsigned long long)count);
	if (!elf_fits(r->size, off, count * symsize))
		return elf_bad(r, "symbol table %s (%llu entries at offset 0x%llx) extends "
			       "past the end of the file", what, (unsigned long long)count,
			       (unsigned long long)off);
	d = elf_getdata_rawchunk(r->elf, (int64_t)off, count * symsize, ELF_T_SYM);
	if (!d)
		return elf_bad(r, "cannot read symbol table %s: %s", what, elf_errmsg(-1));
	*(dynamic ? &f->dynsym_table : &f->symtab_table) =
		(struct iotb_elf_symtab){ off, count, strtab, strsz };
	if (f->nsyms + count > r->asyms) {
		r->asyms = f->nsyms + count;
		f->syms = iotb_xrealloc(f->syms, r->asyms * sizeof(*f->syms));
	}
	for (i = 1; i < count; i++) {
		struct iotb_elf_sym *s = &f->syms[f->nsyms];
		GElf_Sym sym;

		if (!gelf_getsym(d, (int)i, &sym))
			return elf_bad(r, "cannot read symbol %llu of %s: %s",
				       (unsigned long long)i, what, elf_errmsg(-1));
		if (sym.st_name == 0)
			continue;
		if (sym.st_name >= strsz || !elf_is_terminated(strtab + sym.st_name,
							      strsz - sym.st_name))
			return elf_bad(r, "symbol %llu of %s has name offset 0x%x past the "
				       "end of its string table (%llu bytes)",
				       (unsigned long long)i, what, (unsigned)sym.st_name,
				       (unsigned long long)strsz);
		s->name = (const char *)strtab + sym.st_name;
		s->value = sym.st_value;
		s->size = sym.st_size;
		s->type = GELF_ST_TYPE(sym.st_info);
		s->bind = GELF_ST_BIND(sym.st_info);
		s->shndx = sym.st_shndx;
		s->dynamic = dynamic;
		f->nsyms++;
	}
	return 0;
}
