/*
 * facts.c — the facts pass over one ELF image: identification and header,
 * program headers (with bounds, overlap and duplicate checks), then the
 * sections, the dynamic section, the notes and the module signature
 * trailer (facts_sections.c, facts_dynamic.c, facts_notes.c).
 * Nothing is read before its offset and size are checked against the file.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "facts_int.h"

#define MODULE_SIG_MAGIC "~Module signature appended~\n"

int elf_bad(struct elf_reader *r, const char *fmt, ...)
{
	struct iotb_strbuf sb;
	va_list ap;

	if (r->f->malformed)
		return -1;
	iotb_strbuf_init(&sb);
	va_start(ap, fmt);
	iotb_strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	r->f->malformed = iotb_strbuf_detach(&sb);
	return -1;
}

bool elf_is_terminated(const unsigned char *str, uint64_t max)
{
	return max > 0 && memchr(str, '\0', (size_t)max) != NULL;
}

uint32_t elf_read32(const struct elf_reader *r, const unsigned char *p)
{
	if (r->f->data == ELFDATA2MSB)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

uint64_t elf_read64(const struct elf_reader *r, const unsigned char *p)
{
	uint64_t a = elf_read32(r, p), b = elf_read32(r, p + 4);

	return r->f->data == ELFDATA2MSB ? a << 32 | b : b << 32 | a;
}

int elf_vaddr_to_offset(const struct elf_reader *r, uint64_t addr, uint64_t len,
                        uint64_t *off)
{
	const struct iotb_elf_facts *f = r->f;
	size_t i;

	for (i = 0; i < f->nphdrs; i++) {
		const GElf_Phdr *p = &f->phdrs[i];

		if (p->p_type != PT_LOAD || addr < p->p_vaddr)
			continue;
		if (!elf_fits(p->p_filesz, addr - p->p_vaddr, len))
			continue;
		*off = p->p_offset + (addr - p->p_vaddr);
		return elf_fits(r->size, *off, len) ? 0 : -1;
	}
	return -1;
}

/* e_ident checks that must pass before libelf sees the image. */
static int check_ident(struct elf_reader *r)
{
	const unsigned char *id = r->data;
	size_t need;

	if (r->size < EI_NIDENT)
		return elf_bad(r, "truncated ELF identification: the file has %zu bytes, "
			       "the identification needs %d", r->size, EI_NIDENT);
	if (memcmp(id, ELFMAG, SELFMAG) != 0)
		return elf_bad(r, "bad ELF magic");
	if (id[EI_CLASS] != ELFCLASS32 && id[EI_CLASS] != ELFCLASS64)
		return elf_bad(r, "invalid ELF class %u (e_ident[EI_CLASS])", id[EI_CLASS]);
	if (id[EI_DATA] != ELFDATA2LSB && id[EI_DATA] != ELFDATA2MSB)
		return elf_bad(r, "invalid ELF data encoding %u (e_ident[EI_DATA])",
			       id[EI_DATA]);
	need = id[EI_CLASS] == ELFCLASS32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
	if (r->size < need)
		return elf_bad(r, "truncated ELF header: the file has %zu bytes, the "
			       "ELF%d header needs %zu", r->size,
			       id[EI_CLASS] == ELFCLASS32 ? 32 : 64, need);
	r->f->elfclass = id[EI_CLASS];
	r->f->data = id[EI_DATA];
	r->f->osabi = id[EI_OSABI];
	return 0;
}

static int read_header(struct elf_reader *r)
{
	GElf_Ehdr eh;

	if (!gelf_getehdr(r->elf, &eh))
		return elf_bad(r, "cannot read the ELF header: %s", elf_errmsg(-1));
	r->f->type = eh.e_type;
	r->f->machine = eh.e_machine;
	r->f->eflags = eh.e_flags;
	r->f->entry = eh.e_entry;
	return 0;
}

static const char *ptype_name(uint32_t t)
{
	switch (t) {
	case PT_LOAD: return "PT_LOAD";
	case PT_DYNAMIC: return "PT_DYNAMIC";
	case PT_INTERP: return "PT_INTERP";
	case PT_NOTE: return "PT_NOTE";
	case PT_GNU_STACK: return "PT_GNU_STACK";
	case PT_GNU_RELRO: return "PT_GNU_RELRO";
	case PT_GNU_EH_FRAME: return "PT_GNU_EH_FRAME";
	case PT_GNU_PROPERTY: return "PT_GNU_PROPERTY";
	case PT_TLS: return "PT_TLS";
	case PT_PHDR: return "PT_PHDR";
	default: return "segment";
	}
}

static int check_phdr_table(struct elf_reader *r, const GElf_Ehdr *eh, size_t n)
{
	size_t entsize = gelf_fsize(r->elf, ELF_T_PHDR, 1, EV_CURRENT);
	uint64_t bytes = (uint64_t)n * eh->e_phentsize;

	if (eh->e_phentsize != entsize)
		return elf_bad(r, "e_phentsize %u is not the size of a program header (%zu)",
			       eh->e_phentsize, entsize);
	if (!elf_fits(r->size, eh->e_phoff, bytes))
		return elf_bad(r, "program header table (%zu entries at offset 0x%llx) "
			       "extends past the end of the file (%zu bytes)", n,
			       (unsigned long long)eh->e_phoff, r->size);
	if (eh->e_phoff < eh->e_ehsize || eh->e_phoff < gelf_fsize(r->elf, ELF_T_EHDR, 1, EV_CURRENT))
		return elf_bad(r, "program header table at offset 0x%llx overlaps the ELF header",
			       (unsigned long long)eh->e_phoff);
	return 0;
}

/* Records a singleton segment; a second one of the same type is malformed. */
static int note_unique(struct elf_reader *r, size_t *seen, size_t i, uint32_t type)
{
	if (*seen != (size_t)-1)
		return elf_bad(r, "duplicate %s (program headers %zu and %zu)",
			       ptype_name(type), *seen, i);
	*seen = i;
	return 0;
}

static int check_segment(struct elf_reader *r, size_t i, const GElf_Phdr *p)
{
	if (p->p_type == PT_NULL || p->p_filesz == 0)
		return 0;
	if (!elf_fits(r->size, p->p_offset, p->p_filesz))
		return elf_bad(r, "segment %zu (%s) data at offset 0x%llx, 0x%llx bytes, "
			       "extends past the end of the file (%zu bytes)", i,
			       ptype_name(p->p_type), (unsigned long long)p->p_offset,
			       (unsigned long long)p->p_filesz, r->size);
	if (p->p_type == PT_LOAD && p->p_filesz > p->p_memsz)
		return elf_bad(r, "segment %zu (PT_LOAD) has p_filesz 0x%llx larger than "
			       "p_memsz 0x%llx", i, (unsigned long long)p->p_filesz,
			       (unsigned long long)p->p_memsz);
	return 0;
}

static int take_segment(struct elf_reader *r, size_t i, const GElf_Phdr *p,
                        size_t seen[4])
{
	struct iotb_elf_facts *f = r->f;

	switch (p->p_type) {
	case PT_INTERP:
		if (note_unique(r, &seen[0], i, p->p_type) < 0)
			return -1;
		if (p->p_filesz == 0 || r->data[p->p_offset + p->p_filesz - 1] != '\0')
			return elf_bad(r, "PT_INTERP (program header %zu) is not a "
				       "NUL-terminated string", i);
		f->has_interp = true;
		f->interp = (const char *)r->data + p->p_offset;
		return 0;
	case PT_DYNAMIC:
		f->has_dynamic = true;
		return note_unique(r, &seen[1], i, p->p_type);
	case PT_GNU_STACK:
		f->has_gnu_stack = true;
		f->gnu_stack_flags = p->p_flags;
		return note_unique(r, &seen[2], i, p->p_type);
	case PT_GNU_RELRO:
		f->has_relro = true;
		f->relro_start = p->p_vaddr;
		f->relro_end = p->p_vaddr + p->p_memsz;
		if (f->relro_end < f->relro_start)
			return elf_bad(r, "PT_GNU_RELRO (program header %zu) wraps around "
				       "the address space", i);
		return note_unique(r, &seen[3], i, p->p_type);
	default:
		return 0;
	}
}

static int read_phdrs(struct elf_reader *r)
{
	struct iotb_elf_facts *f = r->f;
	size_t n, i, seen[4] = { (size_t)-1, (size_t)-1, (size_t)-1, (size_t)-1 };
	GElf_Ehdr eh;

	gelf_getehdr(r->elf, &eh);
	if (eh.e_phnum == PN_XNUM && eh.e_shoff == 0)
		return elf_bad(r, "e_phnum is PN_XNUM but there is no section 0 to hold the count");
	if (eh.e_phnum == PN_XNUM && !elf_fits(r->size, eh.e_shoff, eh.e_shentsize))
		return elf_bad(r, "e_phnum is PN_XNUM but section 0 at offset 0x%llx is "
			       "past the end of the file", (unsigned long long)eh.e_shoff);
	n = eh.e_phnum;
	if (n == PN_XNUM && elf_getphdrnum(r->elf, &n) != 0)
		return elf_bad(r, "cannot read the program header count: %s", elf_errmsg(-1));
	if (n == 0)
		return 0;
	if (check_phdr_table(r, &eh, n) < 0)
		return -1;
	f->phdrs = iotb_xcalloc(n, sizeof(*f->phdrs));
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(r->elf, (int)i, &f->phdrs[i]))
			return elf_bad(r, "cannot read program header %zu: %s", i,
				       elf_errmsg(-1));
		f->nphdrs = i + 1;
		if (check_segment(r, i, &f->phdrs[i]) < 0 ||
		    take_segment(r, i, &f->phdrs[i], seen) < 0)
			return -1;
	}
	return 0;
}

/* Without section headers the PT_LOAD file images are the regions. */
static void add_segment_regions(struct iotb_elf_facts *f)
{
	size_t i;

	if (f->has_shdrs || !f->nphdrs)
		return;
	f->regions = iotb_xcalloc(f->nphdrs, sizeof(*f->regions));
	for (i = 0; i < f->nphdrs; i++) {
		const GElf_Phdr *p = &f->phdrs[i];
		struct iotb_elf_region *g;

		if (p->p_type != PT_LOAD || p->p_filesz == 0)
			continue;
		g = &f->regions[f->nregions++];
		g->index = i;
		g->offset = p->p_offset;
		g->size = p->p_filesz;
		g->addr = p->p_vaddr;
		g->exec = (p->p_flags & PF_X) != 0;
		g->is_segment = true;
	}
}

static void read_module_signature(struct elf_reader *r)
{
	size_t n = sizeof(MODULE_SIG_MAGIC) - 1;

	r->f->has_module_signature = r->size >= n &&
		memcmp(r->data + r->size - n, MODULE_SIG_MAGIC, n) == 0;
}

int iotb_elf_facts_read(void *data, size_t size, struct iotb_elf_facts *f)
{
	struct elf_reader r = { NULL, data, size, f, 0, 0, 0 };

	memset(f, 0, sizeof(*f));
	f->size = size;
	f->image = data;
	if (check_ident(&r) < 0)
		return 0;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return iotb_fail("cannot initialise libelf: %s", elf_errmsg(-1));
	r.elf = elf_memory(data, size);
	if (!r.elf)
		return iotb_fail("libelf cannot open the image: %s", elf_errmsg(-1));
	if (elf_kind(r.elf) != ELF_K_ELF) {
		int kind = (int)elf_kind(r.elf);

		elf_end(r.elf);
		return iotb_fail("not an ELF object (libelf kind %d)", kind);
	}
	if (read_header(&r) == 0 && read_phdrs(&r) == 0 &&
	    elf_read_sections(&r) == 0 && elf_read_dynamic(&r) == 0)
		elf_read_notes(&r);
	if (!f->malformed)
		add_segment_regions(f);
	read_module_signature(&r);
	elf_end(r.elf);
	return 0;
}

void iotb_elf_facts_release(struct iotb_elf_facts *f)
{
	if (!f)
		return;
	free(f->phdrs);
	free(f->needed);
	free(f->syms);
	free(f->regions);
	free(f->malformed);
	memset(f, 0, sizeof(*f));
}
