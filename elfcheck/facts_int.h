/*
 * facts_int.h — private helpers shared by the facts pass (facts*.c): the
 * reader state, bounds checks and the "malformed" recorder.
 */
#ifndef IOTB_FACTS_INT_H
#define IOTB_FACTS_INT_H

#include "elfcheck.h"
#include "iotb_util.h"

struct elf_reader {
	Elf *elf;
	unsigned char *data;
	size_t size;
	struct iotb_elf_facts *f;
	size_t asyms;                 /* allocated entries of f->syms */
	size_t dynsym_shndx;          /* SHT_DYNSYM section index, 0 = none */
	size_t symtab_shndx;          /* SHT_SYMTAB section index, 0 = none */
};

/* Record the first problem in f->malformed; returns -1. */
int elf_bad(struct elf_reader *r, const char *fmt, ...) IOTB_PRINTF(2, 3);

/* Does [off, off+len) lie inside [0, size)?  Overflow-safe. */
static inline bool elf_fits(uint64_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

/* Is a NUL inside str[0..max)?  (the string is then safe to use) */
bool elf_is_terminated(const unsigned char *str, uint64_t max);
/* A word of the file's byte order at p. */
uint32_t elf_read32(const struct elf_reader *r, const unsigned char *p);
uint64_t elf_read64(const struct elf_reader *r, const unsigned char *p);
/* File offset of virtual address addr holding len bytes (inside one
 * PT_LOAD's file image); 0 with *off set, or -1 when not mapped. */
int elf_vaddr_to_offset(const struct elf_reader *r, uint64_t addr, uint64_t len,
                        uint64_t *off);
/* Append symbols: count entries at file offset off (checked by caller)
 * whose names lie in strtab[0..strsz).  what names the table in messages. */
int elf_add_symbols(struct elf_reader *r, uint64_t off, uint64_t count,
                    const unsigned char *strtab, uint64_t strsz, bool dynamic,
                    const char *what);

/* Reads the symbol table in section idx (SHT_SYMTAB or SHT_DYNSYM). */
int elf_read_symbol_section(struct elf_reader *r, size_t idx, bool dynamic);

int elf_read_sections(struct elf_reader *r);
int elf_read_dynamic(struct elf_reader *r);
int elf_read_notes(struct elf_reader *r);

#endif
