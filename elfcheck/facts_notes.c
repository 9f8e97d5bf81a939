/*
 * facts_notes.c — the notes of the facts pass: the GNU build-id and the
 * GNU property note (x86 IBT/SHSTK, AArch64 BTI/PAC feature bits), read from
 * PT_NOTE segments, or from SHT_NOTE sections when there are no program
 * headers (ET_REL objects).  Descriptors are read in the file's byte order
 * (libelf translates only the note headers).
 */
#include <stdio.h>
#include <string.h>

#include "facts_int.h"

#ifndef GNU_PROPERTY_X86_FEATURE_1_AND
#define GNU_PROPERTY_X86_FEATURE_1_AND 0xc0000002
#endif
#ifndef GNU_PROPERTY_AARCH64_FEATURE_1_AND
#define GNU_PROPERTY_AARCH64_FEATURE_1_AND 0xc0000000
#endif

static void take_build_id(struct iotb_elf_facts *f, const unsigned char *desc, size_t n)
{
	size_t i;

	if (n > (sizeof(f->build_id) - 1) / 2)
		n = (sizeof(f->build_id) - 1) / 2;
	for (i = 0; i < n; i++)
		snprintf(f->build_id + 2 * i, 3, "%02x", desc[i]);
}

/* The property array of NT_GNU_PROPERTY_TYPE_0: type, size, data padded
 * to 8 bytes (ELFCLASS64) or 4 (ELFCLASS32). */
static void take_properties(struct elf_reader *r, const unsigned char *desc, size_t n)
{
	size_t align = r->f->elfclass == ELFCLASS64 ? 8 : 4, pos = 0;

	while (n - pos >= 8) {
		uint32_t type = elf_read32(r, desc + pos);
		uint32_t size = elf_read32(r, desc + pos + 4);

		pos += 8;
		if (size > n - pos)
			return;
		if (size >= 4 && type == GNU_PROPERTY_X86_FEATURE_1_AND) {
			r->f->has_x86_feature = true;
			r->f->x86_feature = elf_read32(r, desc + pos);
		} else if (size >= 4 && type == GNU_PROPERTY_AARCH64_FEATURE_1_AND) {
			r->f->has_aarch64_feature = true;
			r->f->aarch64_feature = elf_read32(r, desc + pos);
		}
		pos += (size + align - 1) / align * align;
		if (pos > n)
			return;
	}
}

static void read_note_block(struct elf_reader *r, uint64_t off, uint64_t size,
                            uint64_t align)
{
	Elf_Data *d;
	size_t pos = 0, name_off, desc_off, next;
	GElf_Nhdr nh;

	if (size == 0 || !elf_fits(r->size, off, size))
		return;
	d = elf_getdata_rawchunk(r->elf, (int64_t)off, size,
				 align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR);
	if (!d)
		return;
	while (pos < d->d_size && (next = gelf_getnote(d, pos, &nh, &name_off, &desc_off)) > 0) {
		const unsigned char *base = d->d_buf;
		bool gnu = nh.n_namesz == 4 && memcmp(base + name_off, "GNU", 4) == 0;

		if (gnu && nh.n_type == NT_GNU_BUILD_ID)
			take_build_id(r->f, base + desc_off, nh.n_descsz);
		else if (gnu && nh.n_type == NT_GNU_PROPERTY_TYPE_0)
			take_properties(r, base + desc_off, nh.n_descsz);
		pos = next;
	}
}

static void read_note_sections(struct elf_reader *r)
{
	size_t i;

	for (i = 1; i < r->f->nshdrs; i++) {
		Elf_Scn *scn = elf_getscn(r->elf, i);
		GElf_Shdr sh;

		if (scn && gelf_getshdr(scn, &sh) && sh.sh_type == SHT_NOTE)
			read_note_block(r, sh.sh_offset, sh.sh_size, sh.sh_addralign);
	}
}

int elf_read_notes(struct elf_reader *r)
{
	const struct iotb_elf_facts *f = r->f;
	size_t i;
	bool any = false;

	for (i = 0; i < f->nphdrs; i++) {
		const GElf_Phdr *p = &f->phdrs[i];

		if (p->p_type != PT_NOTE)
			continue;
		any = true;
		read_note_block(r, p->p_offset, p->p_filesz, p->p_align);
	}
	if (!any && f->has_shdrs)
		read_note_sections(r);
	return 0;
}
