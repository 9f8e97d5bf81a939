/*
 * test_elf_malformed.c — the malformed-ELF generator: from a good x86-64
 * PIE built at test time it produces every mutation class of issue 4
 * (truncated, offsets past the end, absurd counts, overlapping tables, bad
 * string indexes, zero-size sections, duplicate PT_GNU_STACK, …) and asserts
 * for each the exact scan.malformed-input message, no crash, and no
 * hardening verdict or elf.* finding.  ctest runs it under ASan/UBSan in the
 * sanitizer build; IOTB_ELF_CORPUS=DIR also writes the mutants there (seed
 * corpus for tests/fuzz).
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_helpers.h"
#include "iotb_util.h"
#include "test_helpers.h"

static unsigned char *base;
static size_t base_len;
static char *dir;

static void load_base(void)
{
	char *bin;

	if (base)
		return;
	dir = th_tmpdir("elf-malformed");
	bin = elf_build(dir, "gcc", "prog.c", elf_prog_src, "good",
			"-O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE -pie "
			"-Wl,-z,relro,-z,now");
	CU_ASSERT_PTR_NOT_NULL_FATAL(bin);
	base = elf_slurp(bin, &base_len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(base);
	free(bin);
}

static Elf64_Ehdr *ehdr(unsigned char *d) { return (Elf64_Ehdr *)d; }

static Elf64_Phdr *phdr(unsigned char *d, size_t i)
{
	return (Elf64_Phdr *)(d + ehdr(d)->e_phoff + i * sizeof(Elf64_Phdr));
}

static Elf64_Shdr *shdr(unsigned char *d, size_t i)
{
	return (Elf64_Shdr *)(d + ehdr(d)->e_shoff + i * sizeof(Elf64_Shdr));
}

static size_t section_index(unsigned char *d, const char *name)
{
	const char *names = (const char *)d + shdr(d, ehdr(d)->e_shstrndx)->sh_offset;

	for (size_t i = 1; i < ehdr(d)->e_shnum; i++)
		if (strcmp(names + shdr(d, i)->sh_name, name) == 0)
			return i;
	CU_FAIL_FATAL("section not found");
	return 0;
}

static size_t segment_index(unsigned char *d, uint32_t type)
{
	for (size_t i = 0; i < ehdr(d)->e_phnum; i++)
		if (phdr(d, i)->p_type == type)
			return i;
	CU_FAIL_FATAL("segment not found");
	return 0;
}

static Elf64_Dyn *dyn_entry(unsigned char *d, int64_t tag)
{
	Elf64_Phdr *p = phdr(d, segment_index(d, PT_DYNAMIC));
	Elf64_Dyn *dyn = (Elf64_Dyn *)(d + p->p_offset);

	for (; dyn->d_tag != DT_NULL; dyn++)
		if (dyn->d_tag == tag)
			return dyn;
	CU_FAIL_FATAL("dynamic tag not found");
	return NULL;
}

/* Run elfcheck over data[0..len) and assert the one malformed finding. */
static void expect_malformed(const char *name, unsigned char *data, size_t len,
                             const char *want)
{
	char *path = iotb_path_join(dir, name);
	const struct iotb_finding *f;
	struct elf_run r;
	char *corpus = getenv("IOTB_ELF_CORPUS") ?
		iotb_path_join(getenv("IOTB_ELF_CORPUS"), name) : NULL;

	elf_spew(path, data, len);
	if (corpus)
		elf_spew(corpus, data, len);
	elf_run_file(path, &r);
	CU_ASSERT_EQUAL(r.rc, 0);
	CU_ASSERT_EQUAL(elf_count(&r, "scan.malformed-input"), 1);
	CU_ASSERT_EQUAL(elf_count_area(&r), 0);
	f = elf_finding(&r, "scan.malformed-input");
	if (f && strcmp(f->message, want) != 0)
		printf("\n  %s: got '%s'\n  want '%s'\n", name, f->message, want);
	CU_ASSERT(f && strcmp(f->message, want) == 0);
	CU_ASSERT_PTR_NULL(json_object_get(r.facts, "canary"));
	CU_ASSERT_PTR_NULL(json_object_get(r.facts, "relro"));
	elf_run_release(&r);
	free(path);
	free(corpus);
}

static unsigned char *copy(void)
{
	unsigned char *d;

	load_base();
	d = iotb_xmalloc(base_len);
	memcpy(d, base, base_len);
	return d;
}

static void test_truncated(void)
{
	unsigned char *d = copy();
	size_t half = base_len / 2, i;
	char *want;

	expect_malformed("trunc-ident", d, 10, "malformed ELF: truncated ELF identification: "
			 "the file has 10 bytes, the identification needs 16");
	expect_malformed("trunc-header", d, 40, "malformed ELF: truncated ELF header: the "
			 "file has 40 bytes, the ELF64 header needs 64");
	expect_malformed("empty", d, 0, "malformed ELF: the file is empty");
	for (i = 0; i < ehdr(d)->e_phnum; i++) {
		Elf64_Phdr *p = phdr(d, i);

		if (p->p_type != PT_NULL && p->p_filesz && p->p_offset + p->p_filesz > half)
			break;
	}
	want = iotb_xasprintf("malformed ELF: segment %zu (PT_LOAD) data at offset 0x%llx, "
			      "0x%llx bytes, extends past the end of the file (%zu bytes)", i,
			      (unsigned long long)phdr(d, i)->p_offset,
			      (unsigned long long)phdr(d, i)->p_filesz, half);
	expect_malformed("trunc-half", d, half, want);
	free(want);
	free(d);
}

static void test_phoff_out_of_range(void)
{
	unsigned char *d = copy();
	char *want;

	ehdr(d)->e_phoff = base_len + 16;
	want = iotb_xasprintf("malformed ELF: program header table (%u entries at offset "
			      "0x%zx) extends past the end of the file (%zu bytes)",
			      ehdr(d)->e_phnum, base_len + 16, base_len);
	expect_malformed("phoff", d, base_len, want);
	free(want);
	free(d);
}

static void test_absurd_counts(void)
{
	unsigned char *d = copy();
	char *want;

	ehdr(d)->e_phnum = 0xfffe;
	want = iotb_xasprintf("malformed ELF: program header table (65534 entries at offset "
			      "0x40) extends past the end of the file (%zu bytes)", base_len);
	expect_malformed("phnum", d, base_len, want);
	free(want);
	memcpy(d, base, base_len);
	ehdr(d)->e_shnum = 0xfffe;
	want = iotb_xasprintf("malformed ELF: section header table (65534 entries at offset "
			      "0x%llx) extends past the end of the file (%zu bytes)",
			      (unsigned long long)ehdr(d)->e_shoff, base_len);
	expect_malformed("shnum", d, base_len, want);
	free(want);
	memcpy(d, base, base_len);
	ehdr(d)->e_phentsize = 7;
	expect_malformed("phentsize", d, base_len, "malformed ELF: e_phentsize 7 is not "
			 "the size of a program header (56)");
	free(d);
}

static void test_overlapping_tables(void)
{
	unsigned char *d = copy();
	char *want;

	ehdr(d)->e_shoff = ehdr(d)->e_phoff;
	want = iotb_xasprintf("malformed ELF: program header table [0x40, 0x%llx) overlaps "
			      "the section header table [0x40, 0x%llx)",
			      0x40ULL + ehdr(d)->e_phnum * 56ULL,
			      0x40ULL + ehdr(d)->e_shnum * 64ULL);
	expect_malformed("overlap", d, base_len, want);
	free(want);
	free(d);
}

static void test_bad_string_indexes(void)
{
	unsigned char *d = copy();
	Elf64_Dyn *needed;
	char *want;
	size_t dynstr;

	ehdr(d)->e_shstrndx = ehdr(d)->e_shnum + 3;
	want = iotb_xasprintf("malformed ELF: e_shstrndx %u is out of range (%u sections)",
			      ehdr(d)->e_shnum + 3, ehdr(d)->e_shnum);
	expect_malformed("shstrndx", d, base_len, want);
	free(want);
	memcpy(d, base, base_len);
	shdr(d, 1)->sh_name = 0x7fffffff;
	want = iotb_xasprintf("malformed ELF: section 1 name offset 2147483647 is past the "
			      "end of the section-name string table (%llu bytes)",
			      (unsigned long long)shdr(d, ehdr(d)->e_shstrndx)->sh_size);
	expect_malformed("sh-name", d, base_len, want);
	free(want);
	memcpy(d, base, base_len);
	needed = dyn_entry(d, DT_NEEDED);
	needed->d_un.d_val = 0x7fffffff;
	dynstr = section_index(d, ".dynstr");
	want = iotb_xasprintf("malformed ELF: DT_NEEDED string offset 0x7fffffff is past the "
			      "end of the dynamic string table (%llu bytes)",
			      (unsigned long long)shdr(d, dynstr)->sh_size);
	expect_malformed("dt-needed", d, base_len, want);
	free(want);
	free(d);
}

static void test_zero_size_sections(void)
{
	unsigned char *d = copy();
	size_t dynsym = section_index(d, ".dynsym"), dynstr = section_index(d, ".dynstr");
	char *want;

	shdr(d, dynstr)->sh_size = 0;
	want = iotb_xasprintf("malformed ELF: string table section %zu is empty but section "
			      "%zu ('.dynsym') has %llu symbols naming into it", dynstr, dynsym,
			      (unsigned long long)(shdr(d, dynsym)->sh_size / 24));
	expect_malformed("zero-dynstr", d, base_len, want);
	free(want);
	memcpy(d, base, base_len);
	shdr(d, dynsym)->sh_entsize = 0;
	want = iotb_xasprintf("malformed ELF: section %zu ('.dynsym') has entry size 0, "
			      "expected 24", dynsym);
	expect_malformed("zero-entsize", d, base_len, want);
	free(want);
	memcpy(d, base, base_len);
	shdr(d, ehdr(d)->e_shstrndx)->sh_size = 0;
	want = iotb_xasprintf("malformed ELF: section-name string table (section %u) is empty",
			      ehdr(d)->e_shstrndx);
	expect_malformed("zero-shstrtab", d, base_len, want);
	free(want);
	free(d);
}

static void test_duplicate_gnu_stack(void)
{
	unsigned char *d = copy();
	size_t stack = segment_index(d, PT_GNU_STACK), note = segment_index(d, PT_NOTE);
	char *want;

	phdr(d, note)->p_type = PT_GNU_STACK;
	want = iotb_xasprintf("malformed ELF: duplicate PT_GNU_STACK (program headers %zu "
			      "and %zu)", note < stack ? note : stack, note < stack ? stack : note);
	expect_malformed("dup-gnu-stack", d, base_len, want);
	free(want);
	free(d);
}

static void test_bad_ident_and_interp(void)
{
	unsigned char *d = copy();
	Elf64_Phdr *interp;
	char *want;

	d[EI_CLASS] = 7;
	expect_malformed("bad-class", d, base_len, "malformed ELF: invalid ELF class 7 "
			 "(e_ident[EI_CLASS])");
	memcpy(d, base, base_len);
	d[EI_DATA] = 9;
	expect_malformed("bad-data", d, base_len, "malformed ELF: invalid ELF data encoding 9 "
			 "(e_ident[EI_DATA])");
	memcpy(d, base, base_len);
	interp = phdr(d, segment_index(d, PT_INTERP));
	d[interp->p_offset + interp->p_filesz - 1] = 'x';
	want = iotb_xasprintf("malformed ELF: PT_INTERP (program header %zu) is not a "
			      "NUL-terminated string", segment_index(d, PT_INTERP));
	expect_malformed("interp", d, base_len, want);
	free(want);
	free(d);
}

static void test_section_and_dynamic_offsets(void)
{
	unsigned char *d = copy();
	size_t text = section_index(d, ".text");
	Elf64_Dyn *strtab;
	char *want;

	shdr(d, text)->sh_offset = base_len;
	want = iotb_xasprintf("malformed ELF: section %zu ('.text') data at offset 0x%zx, "
			      "0x%llx bytes, extends past the end of the file (%zu bytes)", text,
			      base_len, (unsigned long long)shdr(d, text)->sh_size, base_len);
	expect_malformed("text-offset", d, base_len, want);
	free(want);
	memcpy(d, base, base_len);
	strtab = dyn_entry(d, DT_STRTAB);
	strtab->d_un.d_ptr = 0xdead0000;
	want = iotb_xasprintf("malformed ELF: DT_STRTAB 0xdead0000 (DT_STRSZ 0x%llx) is not "
			      "inside the file image of a loadable segment",
			      (unsigned long long)dyn_entry(d, DT_STRSZ)->d_un.d_val);
	expect_malformed("dt-strtab", d, base_len, want);
	free(want);
	free(d);
}

/* Without section headers the dynamic symbols come from DT_GNU_HASH:
 * a hash table pointing outside the file is malformed too. */
static void test_gnu_hash_out_of_range(void)
{
	unsigned char *d = copy();
	Elf64_Dyn *hash;

	ehdr(d)->e_shoff = 0;
	ehdr(d)->e_shnum = 0;
	ehdr(d)->e_shstrndx = 0;
	hash = dyn_entry(d, DT_GNU_HASH);
	hash->d_un.d_ptr = 0x7fff0000;
	expect_malformed("gnu-hash", d, base_len, "malformed ELF: DT_GNU_HASH table at "
			 "0x7fff0000 is not inside the file image of a loadable segment");
	free(d);
}

static void test_suite_cleanup(void)
{
	free(base);
	base = NULL;
	free(dir);
	dir = NULL;
}

static const struct th_test tests[] = {
	{ "truncated files", test_truncated },
	{ "e_phoff out of range", test_phoff_out_of_range },
	{ "absurd section/segment counts and entry sizes", test_absurd_counts },
	{ "overlapping header tables", test_overlapping_tables },
	{ "bad string indexes", test_bad_string_indexes },
	{ "zero-size sections", test_zero_size_sections },
	{ "duplicate PT_GNU_STACK", test_duplicate_gnu_stack },
	{ "bad identification, unterminated PT_INTERP", test_bad_ident_and_interp },
	{ "section and dynamic offsets outside the file", test_section_and_dynamic_offsets },
	{ "DT_GNU_HASH outside the file (no section headers)", test_gnu_hash_out_of_range },
	{ "cleanup", test_suite_cleanup },
	{ NULL, NULL },
};

void register_suite_elf_malformed(void)
{
	if (!elf_have_tool("gcc")) {
		th_skip_suite("no gcc on PATH");
		return;
	}
	th_add_suite("elf_malformed", tests);
}
