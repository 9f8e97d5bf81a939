/*
 * elfcheck.h — the binary side of iotbaseline: one pass over an ELF file
 * fills a facts struct (header, segments, dynamic tags, notes, symbols,
 * sections), predicates over those facts give per-property verdicts, and
 * the engine (iotb_engine_elfcheck) turns verdicts into JSON facts and
 * findings of the rules in rules/elf.yaml (CONVENTIONS.md, elfclassify).
 *
 * Robustness: every offset and size is checked against the file size before
 * libelf is asked to read it; the first problem found is recorded in
 * facts->malformed and no verdict is ever computed from such a file.
 */
#ifndef IOTB_ELFCHECK_H
#define IOTB_ELFCHECK_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalogue.h"

/* One symbol of .dynsym (dynamic == true) or .symtab; name is borrowed
 * from the file image (valid while the image lives). */
struct iotb_elf_sym {
	const char *name;
	uint64_t value;
	uint64_t size;
	unsigned char type;       /* STT_* */
	unsigned char bind;       /* STB_* */
	uint16_t shndx;           /* SHN_UNDEF for imports */
	bool dynamic;
};

/* An address range [start, end) of a GOT-like area the loader writes. */
struct iotb_elf_range {
	const char *what;         /* ".got", ".got.plt", "DT_PLTGOT", … (static) */
	uint64_t start, end;
};

#define IOTB_ELF_MAX_GOTS 4

/* A file range of the image that holds code or data: a section with file
 * contents (SHT_PROGBITS and the like), or a PT_LOAD segment when the file
 * has no section headers.  The range is checked against the file size. */
struct iotb_elf_region {
	const char *name;         /* section name (borrowed), NULL for a segment */
	size_t index;             /* section index, or program header index */
	uint64_t offset, size;    /* file range */
	uint64_t addr;            /* sh_addr / p_vaddr (0 in ET_REL) */
	uint64_t flags;           /* SHF_* of a section, 0 for a segment */
	bool exec;                /* SHF_EXECINSTR / PF_X */
	bool is_segment;
	uint32_t type, link, info;   /* sh_type, sh_link, sh_info (sections) */
	uint64_t entsize;
};

/* Where a symbol table lies, so entries can be read by index (relocations
 * name symbols by index). */
struct iotb_elf_symtab {
	uint64_t off, count;      /* file offset of entry 0, number of entries */
	const unsigned char *strtab;   /* borrowed, strsz bytes */
	uint64_t strsz;
};

/* A dynamic relocation table (DT_JMPREL, DT_RELA, DT_REL) by address. */
struct iotb_elf_reltab {
	uint64_t addr, size;
	bool rela;
};

struct iotb_elf_facts {
	/* Header (e_ident, e_type, e_machine). */
	int elfclass;             /* ELFCLASS32 / ELFCLASS64 */
	int data;                 /* ELFDATA2LSB / ELFDATA2MSB */
	unsigned osabi;
	unsigned type;            /* ET_* */
	unsigned machine;         /* EM_* */
	uint32_t eflags;
	uint64_t entry;
	uint64_t size;            /* file size in bytes */
	const unsigned char *image;   /* the file image (borrowed, size bytes) */

	/* Program headers. */
	GElf_Phdr *phdrs;         /* owned, nphdrs entries */
	size_t nphdrs;
	bool has_interp, has_dynamic, has_gnu_stack, has_relro;
	const char *interp;       /* borrowed from the image, NUL-checked */
	uint32_t gnu_stack_flags; /* PF_* of PT_GNU_STACK */
	uint64_t relro_start, relro_end;

	/* Dynamic section (PT_DYNAMIC). */
	bool has_bind_now_tag;    /* DT_BIND_NOW */
	bool has_textrel_tag;     /* DT_TEXTREL */
	uint64_t dt_flags, dt_flags_1;
	const char *soname, *rpath, *runpath;   /* borrowed or NULL */
	const char **needed;      /* owned array of borrowed strings */
	size_t nneeded;
	bool has_pltgot;
	uint64_t pltgot;
	bool has_mips_got;        /* DT_MIPS_LOCAL_GOTNO/GOTSYM/SYMTABNO */
	uint64_t mips_local_gotno, mips_gotsym, mips_symtabno;
	bool has_mips_pltgot;
	uint64_t mips_pltgot;

	/* Section headers (absent after sstrip: has_shdrs false). */
	bool has_shdrs;
	size_t nshdrs;
	bool has_symtab;          /* SHT_SYMTAB present (not stripped) */
	bool has_debug;           /* .debug_* present */
	bool is_kernel_module;    /* .modinfo or .gnu.linkonce.this_module */
	struct iotb_elf_range gots[IOTB_ELF_MAX_GOTS];   /* .got, .got.plt */
	size_t ngots;
	/* .note.GNU-stack of an object file: absent, or its SHF_EXECINSTR. */
	bool has_note_gnu_stack, note_gnu_stack_exec;

	/* Sections with file contents (or PT_LOAD segments without section
	 * headers), in file order of their headers. */
	struct iotb_elf_region *regions;   /* owned */
	size_t nregions;

	/* Notes. */
	char build_id[129];       /* hex, "" when absent */
	bool has_x86_feature;     /* GNU_PROPERTY_X86_FEATURE_1_AND seen */
	uint32_t x86_feature;
	bool has_aarch64_feature; /* GNU_PROPERTY_AARCH64_FEATURE_1_AND seen */
	uint32_t aarch64_feature;

	/* Dynamic relocation tables (PT_DYNAMIC). */
	struct iotb_elf_reltab reltabs[3];
	size_t nreltabs;

	/* Symbols (.symtab first, then the dynamic ones). */
	struct iotb_elf_symtab symtab_table, dynsym_table;   /* count 0: none */
	bool has_dynsym;          /* a dynamic symbol table was found and read */
	struct iotb_elf_sym *syms;   /* owned */
	size_t nsyms;

	/* Kernel module signature trailer ("~Module signature appended~\n"). */
	bool has_module_signature;

	/* First problem found, or NULL (owned). */
	char *malformed;
};

/*
 * Read the facts of the ELF image data[0..size) into f (zeroed first).
 * data must be writable private memory (libelf may convert in place; an
 * mmap with PROT_READ|PROT_WRITE, MAP_PRIVATE is fine) and must outlive f.
 * Returns 0 when facts were read — check f->malformed before using them —
 * or -1 with iotb_fail() when libelf cannot handle the image at all.
 */
int iotb_elf_facts_read(void *data, size_t size, struct iotb_elf_facts *f);
void iotb_elf_facts_release(struct iotb_elf_facts *f);

/* Verdicts of a property, in DESIGN.md's words. */
enum iotb_verdict {
	IOTB_V_PRESENT,
	IOTB_V_ABSENT,
	IOTB_V_PARTIAL,
	IOTB_V_UNKNOWN,
	IOTB_V_NOT_APPLICABLE,
};
/* "present", "absent", "partial", "unknown", "not-applicable". */
const char *iotb_verdict_name(enum iotb_verdict v);

/* A verdict with its human reason (owned) and an optional detail word
 * (static: PIE class, RELRO level). */
struct iotb_elf_verdict {
	enum iotb_verdict v;
	const char *detail;
	char *reason;
};
void iotb_elf_verdict_release(struct iotb_elf_verdict *vd);

/* Is f a static executable (ET_EXEC/ET_DYN without PT_INTERP and without
 * DT_NEEDED)? */
bool iotb_elf_is_static(const struct iotb_elf_facts *f);
/* Is f an executable or shared object (has program headers to load)? */
bool iotb_elf_is_loadable(const struct iotb_elf_facts *f);
/* A symbol named name (dynamic or not; defined or not), or NULL. */
const struct iotb_elf_sym *iotb_elf_find_sym(const struct iotb_elf_facts *f,
                                             const char *name);
/* Is s an import: undefined, from the dynamic table (or from .symtab when
 * there is no dynamic table, as in ET_REL)? */
bool iotb_elf_sym_is_import(const struct iotb_elf_facts *f, const struct iotb_elf_sym *s);
/* Is name imported (an undefined symbol; .dynsym, or .symtab of ET_REL)? */
bool iotb_elf_imports(const struct iotb_elf_facts *f, const char *name);

/*
 * The predicates (elfcheck/predicates.c).  Lists come from the rule's YAML
 * parameters (param may be NULL: treated as an empty list).
 */
void iotb_elf_nx(const struct iotb_elf_facts *f, struct iotb_elf_verdict *vd);
void iotb_elf_pie(const struct iotb_elf_facts *f, struct iotb_elf_verdict *vd);
void iotb_elf_relro(const struct iotb_elf_facts *f, struct iotb_elf_verdict *vd);
void iotb_elf_bind_now(const struct iotb_elf_facts *f, struct iotb_elf_verdict *vd);
void iotb_elf_canary(const struct iotb_elf_facts *f, const struct iotb_param *symbols,
                     struct iotb_elf_verdict *vd);
/* FORTIFY: *fortified = distinct listed functions imported as __NAME_chk,
 * *plain = distinct listed functions imported under their plain name. */
void iotb_elf_fortify(const struct iotb_elf_facts *f, const struct iotb_param *functions,
                      struct iotb_elf_verdict *vd, unsigned *fortified, unsigned *plain);
void iotb_elf_cfi(const struct iotb_elf_facts *f, struct iotb_elf_verdict *vd);
void iotb_elf_module_sig(const struct iotb_elf_facts *f, struct iotb_elf_verdict *vd);
/* Severity name the arch table gives a missing PT_GNU_STACK in f (for an
 * executable or a shared object), or NULL for the rule's own. */
const char *iotb_elf_nostack_severity(const struct iotb_elf_facts *f);
/* Indexes of PT_LOAD segments both writable and executable; returns count
 * (at most max written). */
size_t iotb_elf_wx_segments(const struct iotb_elf_facts *f, size_t *idx, size_t max);
/* Does the image need text relocations (DT_TEXTREL or DF_TEXTREL)? */
bool iotb_elf_has_textrel(const struct iotb_elf_facts *f);

/* Problems of one RPATH/RUNPATH entry: NULL when fine, else a static
 * phrase ("empty entry (the current directory)", "relative path", …). */
const char *iotb_elf_search_path_problem(const char *entry);

/*
 * Keys and certificates in a byte buffer (elfcheck/secrets_keys.c).  A block
 * counts only when its body parses: PEM bodies are strict base64 decoded
 * with OpenSSL's DER decoders (d2i_PrivateKey for PKCS#1/SEC1/DSA,
 * d2i_PKCS8_PRIV_KEY_INFO + EVP_PKCS82PKEY, d2i_X509_SIG with a known PBE
 * scheme for encrypted PKCS#8, d2i_X509), OpenSSH bodies as
 * "openssh-key-v1" (OpenSSH PROTOCOL.key: one key, matching check words
 * when unencrypted); raw DER keys are found by their first ASN.1 fields.
 */
enum iotb_key_form {
	IOTB_KEY_PKCS1,              /* RSA PRIVATE KEY */
	IOTB_KEY_SEC1,               /* EC PRIVATE KEY */
	IOTB_KEY_DSA,                /* DSA PRIVATE KEY */
	IOTB_KEY_PKCS8,              /* PRIVATE KEY */
	IOTB_KEY_PKCS8_ENCRYPTED,    /* ENCRYPTED PRIVATE KEY */
	IOTB_KEY_OPENSSH,            /* OPENSSH PRIVATE KEY */
	IOTB_KEY_CERTIFICATE,        /* CERTIFICATE (not a secret) */
};

struct iotb_key_hit {
	enum iotb_key_form form;
	bool pem;                    /* PEM/OpenSSH armour; false: raw DER */
	bool encrypted;              /* encrypted PKCS#8 or OpenSSH with a cipher */
	size_t offset, length;       /* the whole block in the buffer */
	size_t body_offset, body_length;   /* base64 body or DER bytes */
	char alg[48];                /* "RSA 2048-bit", "ssh-ed25519", … */
};
typedef void (*iotb_key_cb)(const struct iotb_key_hit *hit, void *arg);
/* Call cb for every key or certificate in buf[0..n) (PEM blocks first,
 * then raw DER); returns how many were found. */
size_t iotb_find_keys(const unsigned char *buf, size_t n, iotb_key_cb cb, void *arg);
/* "PKCS#1", "SEC1", "DSA", "PKCS#8", "encrypted PKCS#8", "OpenSSH",
 * "X.509 certificate". */
const char *iotb_key_form_name(enum iotb_key_form form);

/*
 * Hard-coded credentials in the printable strings of a byte buffer
 * (elfcheck/secrets_text.c): NAME=VALUE / NAME:VALUE assignments whose
 * lowercased NAME matches names, user:password@ in URLs, and tokens matching
 * a tokens regex.  Lists come from rules/elf.yaml (may be NULL).
 */
struct iotb_cred_params {
	const struct iotb_param *names;         /* assignment names */
	const struct iotb_param *placeholders;  /* values that are not secrets */
	const struct iotb_param *tokens;        /* regexes with a note */
	size_t min_value_length;
};
struct iotb_cred_hit {
	const char *kind;            /* "assignment", "url", "token" (static) */
	size_t offset;               /* the name (token) in the buffer */
	size_t value_offset, value_length;   /* the secret itself */
	char name[64];               /* lowercased NAME, or what the token is */
	const char *note;            /* the token pattern's note, or NULL */
};
typedef void (*iotb_cred_cb)(const struct iotb_cred_hit *hit, void *arg);
/* Call cb for every credential in buf[0..n); returns the count. */
size_t iotb_find_credentials(const unsigned char *buf, size_t n,
                             const struct iotb_cred_params *p, iotb_cred_cb cb, void *arg);

/*
 * Instruction decoding (elfcheck/disasm.c, LLVM-C disassembler of LLVM 19).
 */
struct iotb_insn {
	uint64_t pc;
	unsigned size;               /* bytes; 0 when undecodable */
	char mnem[24];               /* "mov", "ldr.w", "b.ne" */
	char ops[112];               /* operands as printed (x86: Intel syntax) */
	bool has_target, has_pcref;  /* from LLVM's symbolizer callback */
	uint64_t target;             /* branch/call target */
	uint64_t pcref;              /* PC-relative load or address operand */
};
struct iotb_disasm;
/* A decoder for f's machine: triple for the default state, thumb_triple
 * (ARM only, else NULL) for Thumb.  NULL with iotb_fail() when LLVM has no
 * such disassembler. */
struct iotb_disasm *iotb_disasm_new(const struct iotb_elf_facts *f, const char *triple,
                                    const char *thumb_triple);
void iotb_disasm_free(struct iotb_disasm *d);
/* Decode the instruction at virtual address pc (inside the file image of
 * an executable PT_LOAD); false when it is not there or not decodable. */
bool iotb_disasm_at(struct iotb_disasm *d, uint64_t pc, bool thumb, struct iotb_insn *out);
/* A 4- or 8-byte word of the file image at virtual address addr (file byte
 * order); false when addr is not inside a PT_LOAD's file image. */
bool iotb_elf_read_addr(const struct iotb_elf_facts *f, uint64_t addr, unsigned size,
                        uint64_t *value);
/* The file image bytes of [addr, addr+len) inside one PT_LOAD, or NULL. */
const unsigned char *iotb_elf_image_at(const struct iotb_elf_facts *f, uint64_t addr,
                                       uint64_t len);
/* Is addr inside the file image of an executable PT_LOAD? */
bool iotb_elf_is_exec_addr(const struct iotb_elf_facts *f, uint64_t addr);

/*
 * The stack-canary idiom in machine code (elfcheck/canary.c; per-arch
 * idioms in elfcheck/canary_arch.c, see docs/elfcheck.md).
 */
struct iotb_canary_params {
	uint64_t min_frame;          /* bytes of locals a function must reserve to count
	                              * as one stack protection would cover */
	unsigned max_insns;          /* per function */
	unsigned max_functions;      /* for the every-function scope */
};
struct iotb_canary_code {
	bool decided;                /* functions were found and examined */
	char why[200];               /* when not decided: the reason */
	const char *scope;           /* what was examined (static text) */
	uint64_t main_addr;
	const char *main_found_by;   /* static text, NULL without main */
	char isa[256];               /* instruction set and how it was chosen */
	char guard[200];             /* how the guard was recognised */
	unsigned examined;           /* functions examined */
	unsigned with_frame;         /* … reserving >= min_frame bytes of locals */
	unsigned with_idiom;         /* … with the canary idiom */
	bool main_idiom;
	uint64_t main_locals;
	uint64_t min_frame;
};
/* Examine main and its direct callees in the application's code (static
 * executables), or every .symtab function (all_functions). */
void iotb_elf_canary_code(const struct iotb_elf_facts *f, const struct iotb_canary_params *p,
                          bool all_functions, struct iotb_canary_code *out);

/*
 * Call sites of imports (elfcheck/callsites.c): direct calls through the
 * PLT/GOT in executables and shared objects with section headers (x86-64,
 * i386, AArch64, ARM/Thumb), call relocations in object files.
 */
struct iotb_call_site {
	const char *import;                     /* borrowed */
	const struct iotb_elf_region *region;   /* the section holding the call */
	uint64_t offset;                        /* of the call inside region */
};
typedef bool (*iotb_import_filter)(const char *name, void *arg);
typedef void (*iotb_site_cb)(const struct iotb_call_site *site, void *arg);
/* Report each call to an import want() accepts.  Returns NULL when call
 * sites were searched (*how names the method), else why they could not be
 * (static text or iotb_last_error()). */
const char *iotb_elf_call_sites(const struct iotb_elf_facts *f, iotb_import_filter want,
                                iotb_site_cb cb, void *arg, const char **how);
/* The defined function symbol covering offset off of region g, or NULL. */
const char *iotb_elf_enclosing_function(const struct iotb_elf_facts *f,
                                        const struct iotb_elf_region *g, uint64_t off);

/*
 * Per-architecture facts (elfcheck/arch.c).  Each entry states what a
 * missing PT_GNU_STACK means there, with the kernel/glibc source of that
 * rule, and notes on RELRO coverage.
 */
struct iotb_elf_arch {
	unsigned machine;           /* EM_* */
	int elfclass;               /* 0 = any */
	const char *name;           /* "x86-64", "ARM", "MIPS32", … */
	bool cfi_x86, cfi_aarch64;  /* which GNU property applies */
	/* Missing PT_GNU_STACK on an executable: severity name (NULL = the
	 * rule's) and what the kernel makes of it. */
	const char *nostack_exec_severity;
	const char *nostack_exec_effect;
	/* Missing PT_GNU_STACK on a shared library loaded by glibc. */
	const char *nostack_lib_severity;
	const char *nostack_lib_effect;
	const char *source;          /* where the rule comes from */
	const char *relro_note;      /* RELRO coverage note, or NULL */
	/* Does GNU ld (binutils 2.40) give a program an executable stack when
	 * an input object has no .note.GNU-stack?  "yes", "no", "always" (even
	 * with the note, unless -z noexecstack: MIPS), NULL unknown. */
	const char *ld_execstack_without_note;
};
/* The table entry for machine/elfclass, or a generic entry (never NULL). */
const struct iotb_elf_arch *iotb_elf_arch_lookup(unsigned machine, int elfclass);
/* Machine name for facts ("x86-64", "EM_1234" for unknown; static or
 * written into buf of n bytes). */
const char *iotb_elf_machine_name(unsigned machine, int elfclass, char *buf, size_t n);

#endif
