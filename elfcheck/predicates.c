/*
 * predicates.c — per-property verdicts over the ELF facts (never over the
 * raw file): NX, PIE, RELRO, BIND_NOW, canary, FORTIFY, control-flow
 * protection notes, module signature, W+X segments, TEXTREL, search paths.
 * Each verdict carries its reason in words; see docs/elfcheck.md for the
 * order of the PIE classification and what RELRO coverage means.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "elfcheck.h"
#include "iotb_util.h"

static const char *const verdict_names[] = {
	"present", "absent", "partial", "unknown", "not-applicable",
};

const char *iotb_verdict_name(enum iotb_verdict v)
{
	return verdict_names[v];
}

void iotb_elf_verdict_release(struct iotb_elf_verdict *vd)
{
	if (!vd)
		return;
	free(vd->reason);
	vd->reason = NULL;
}

static void set(struct iotb_elf_verdict *vd, enum iotb_verdict v, const char *detail,
                const char *fmt, ...) IOTB_PRINTF(4, 5);

static void set(struct iotb_elf_verdict *vd, enum iotb_verdict v, const char *detail,
                const char *fmt, ...)
{
	struct iotb_strbuf sb;
	va_list ap;

	iotb_strbuf_init(&sb);
	va_start(ap, fmt);
	iotb_strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	free(vd->reason);
	vd->v = v;
	vd->detail = detail;
	vd->reason = iotb_strbuf_detach(&sb);
}

bool iotb_elf_is_loadable(const struct iotb_elf_facts *f)
{
	return (f->type == ET_EXEC || f->type == ET_DYN) && f->nphdrs > 0;
}

bool iotb_elf_is_static(const struct iotb_elf_facts *f)
{
	if (!iotb_elf_is_loadable(f) || f->has_interp)
		return false;
	return f->type == ET_EXEC || (f->dt_flags_1 & DF_1_PIE);
}

/* A shared object in the order of the PIE classification (docs). */
static bool is_shared_object(const struct iotb_elf_facts *f)
{
	if (f->type != ET_DYN || (f->dt_flags_1 & DF_1_PIE))
		return false;
	return f->soname || !f->has_interp;
}

const struct iotb_elf_sym *iotb_elf_find_sym(const struct iotb_elf_facts *f,
                                             const char *name)
{
	for (size_t i = 0; i < f->nsyms; i++)
		if (strcmp(f->syms[i].name, name) == 0)
			return &f->syms[i];
	return NULL;
}

/* Imports: undefined symbols of the dynamic table, or of .symtab for
 * objects without one (ET_REL).  Static executables import nothing. */
bool iotb_elf_sym_is_import(const struct iotb_elf_facts *f, const struct iotb_elf_sym *s)
{
	if (s->shndx != SHN_UNDEF || !s->name[0])
		return false;
	return f->has_dynsym ? s->dynamic : !s->dynamic;
}

bool iotb_elf_imports(const struct iotb_elf_facts *f, const char *name)
{
	for (size_t i = 0; i < f->nsyms; i++)
		if (iotb_elf_sym_is_import(f, &f->syms[i]) && strcmp(f->syms[i].name, name) == 0)
			return true;
	return false;
}

static const struct iotb_funcspec *match_param(const struct iotb_param *p, const char *name)
{
	if (!p || p->type != IOTB_PARAM_LIST)
		return NULL;
	for (size_t i = 0; i < p->nspecs; i++)
		if (iotb_funcspec_matches(&p->specs[i], name))
			return &p->specs[i];
	return NULL;
}

/* An object file's stack request: .note.GNU-stack, or its absence and
 * what this architecture's GNU ld makes of that (arch table). */
static void nx_object(const struct iotb_elf_facts *f, const struct iotb_elf_arch *a,
                      struct iotb_elf_verdict *vd)
{
	const char *ld = a->ld_execstack_without_note;

	if (f->note_gnu_stack_exec)
		set(vd, IOTB_V_ABSENT, "exec-stack", "object file: .note.GNU-stack has "
		    "SHF_EXECINSTR, so a program linked with it gets an executable stack");
	else if (f->has_note_gnu_stack)
		set(vd, IOTB_V_PRESENT, NULL, "object file: .note.GNU-stack without SHF_EXECINSTR%s",
		    ld && strcmp(ld, "always") == 0 ? " (but this architecture's GNU ld makes "
		    "every program's stack executable unless -z noexecstack is given)" : "");
	else if (ld && strcmp(ld, "no") != 0)
		set(vd, IOTB_V_ABSENT, "no-gnu-stack-note", "object file without .note.GNU-stack: "
		    "GNU ld (binutils 2.40) gives a program linked with it an executable stack on "
		    "this architecture unless -z noexecstack is used");
	else if (ld)
		set(vd, IOTB_V_PRESENT, NULL, "object file without .note.GNU-stack; this "
		    "architecture's GNU ld does not make the stack executable for it");
	else
		set(vd, IOTB_V_UNKNOWN, NULL, "object file without .note.GNU-stack; what the "
		    "linker makes of it on this architecture is not in elfcheck's table");
}

void iotb_elf_nx(const struct iotb_elf_facts *f, struct iotb_elf_verdict *vd)
{
	const struct iotb_elf_arch *a = iotb_elf_arch_lookup(f->machine, f->elfclass);

	if (f->type == ET_REL && f->is_kernel_module)
		set(vd, IOTB_V_NOT_APPLICABLE, NULL, "kernel module: the kernel's own stack");
	else if (f->type == ET_REL && f->has_shdrs)
		nx_object(f, a, vd);
	else if (!iotb_elf_is_loadable(f))
		set(vd, IOTB_V_NOT_APPLICABLE, NULL, "not an executable or shared object");
	else if (f->has_gnu_stack && (f->gnu_stack_flags & PF_X))
		set(vd, IOTB_V_ABSENT, "exec-stack",
		    "PT_GNU_STACK requests an executable stack (PF_X set)");
	else if (f->has_gnu_stack)
		set(vd, IOTB_V_PRESENT, NULL, "PT_GNU_STACK without PF_X");
	else if (is_shared_object(f))
		set(vd, IOTB_V_ABSENT, "no-gnu-stack", "no PT_GNU_STACK in this shared "
		    "object: %s (%s)", a->nostack_lib_effect, a->source);
	else
		set(vd, IOTB_V_ABSENT, "no-gnu-stack", "no PT_GNU_STACK: %s (%s)",
		    a->nostack_exec_effect, a->source);
}

const char *iotb_elf_nostack_severity(const struct iotb_elf_facts *f)
{
	const struct iotb_elf_arch *a = iotb_elf_arch_lookup(f->machine, f->elfclass);

	return is_shared_object(f) ? a->nostack_lib_severity : a->nostack_exec_severity;
}

void iotb_elf_pie(const struct iotb_elf_facts *f, struct iotb_elf_verdict *vd)
{
	if (f->type == ET_EXEC)
		set(vd, IOTB_V_ABSENT, "no-pie", "ET_EXEC: loaded at a fixed address");
	else if (f->type != ET_DYN)
		set(vd, IOTB_V_NOT_APPLICABLE, NULL, "not an executable or shared object");
	else if (f->dt_flags_1 & DF_1_PIE)
		set(vd, IOTB_V_PRESENT, f->has_interp ? "pie" : "static-pie",
		    f->has_interp ? "ET_DYN with DF_1_PIE" :
		    "ET_DYN with DF_1_PIE and no PT_INTERP (static PIE)");
	else if (f->soname)
		set(vd, IOTB_V_NOT_APPLICABLE, "shared-object", "shared object (DT_SONAME '%s')%s",
		    f->soname, f->has_interp ? ", also executable (has PT_INTERP)" : "");
	else if (f->has_interp)
		set(vd, IOTB_V_PRESENT, "pie", "ET_DYN with PT_INTERP and no DF_1_PIE "
		    "(linked before binutils 2.31)");
	else
		set(vd, IOTB_V_NOT_APPLICABLE, "shared-object", "shared object without DT_SONAME");
}

bool iotb_elf_has_textrel(const struct iotb_elf_facts *f)
{
	return f->has_textrel_tag || (f->dt_flags & DF_TEXTREL);
}

static bool has_bind_now(const struct iotb_elf_facts *f)
{
	return f->has_bind_now_tag || (f->dt_flags & DF_BIND_NOW) || (f->dt_flags_1 & DF_1_NOW);
}

void iotb_elf_bind_now(const struct iotb_elf_facts *f, struct iotb_elf_verdict *vd)
{
	if (!iotb_elf_is_loadable(f) || !f->has_dynamic || iotb_elf_is_static(f))
		set(vd, IOTB_V_NOT_APPLICABLE, NULL, "no dynamic linking");
	else if (has_bind_now(f))
		set(vd, IOTB_V_PRESENT, NULL, "DT_BIND_NOW, DF_BIND_NOW or DF_1_NOW set");
	else
		set(vd, IOTB_V_ABSENT, NULL, "lazy binding (no DT_BIND_NOW, DF_BIND_NOW or DF_1_NOW)");
}

void iotb_elf_cfi(const struct iotb_elf_facts *f, struct iotb_elf_verdict *vd)
{
	const struct iotb_elf_arch *a = iotb_elf_arch_lookup(f->machine, f->elfclass);
	static const char why[] = "; the linker ANDs the property over all inputs, so one "
		"unmarked input (Debian 12's crt objects are unmarked) drops it";
	bool has = a->cfi_x86 ? f->has_x86_feature : f->has_aarch64_feature;
	uint32_t bits = a->cfi_x86 ? f->x86_feature : f->aarch64_feature;
	const char *one = a->cfi_x86 ? "IBT" : "BTI", *two = a->cfi_x86 ? "SHSTK" : "PAC";

	if (!a->cfi_x86 && !a->cfi_aarch64)
		set(vd, IOTB_V_NOT_APPLICABLE, NULL, "no GNU property for control-flow "
		    "protection on this architecture");
	else if (!has || (bits & 3) == 0)
		set(vd, IOTB_V_ABSENT, NULL, "no %s/%s GNU property note%s", one, two, why);
	else if ((bits & 3) == 3)
		set(vd, IOTB_V_PRESENT, NULL, "GNU property note marks %s and %s", one, two);
	else
		set(vd, IOTB_V_PARTIAL, NULL, "GNU property note marks %s but not %s%s",
		    bits & 1 ? one : two, bits & 1 ? two : one, why);
}

void iotb_elf_module_sig(const struct iotb_elf_facts *f, struct iotb_elf_verdict *vd)
{
	if (!f->is_kernel_module)
		set(vd, IOTB_V_NOT_APPLICABLE, NULL, "not a kernel module");
	else if (f->has_module_signature)
		set(vd, IOTB_V_PRESENT, NULL, "module signature trailer present");
	else
		set(vd, IOTB_V_ABSENT, NULL, "no appended module signature");
}

size_t iotb_elf_wx_segments(const struct iotb_elf_facts *f, size_t *idx, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < f->nphdrs; i++) {
		const GElf_Phdr *p = &f->phdrs[i];

		if (p->p_type != PT_LOAD || (p->p_flags & (PF_W | PF_X)) != (PF_W | PF_X))
			continue;
		if (n < max)
			idx[n] = i;
		n++;
	}
	return n;
}

/* The first canary symbol present (import or definition), or NULL. */
static const char *canary_symbol(const struct iotb_elf_facts *f, const struct iotb_param *p)
{
	size_t k, i;

	if (!p || p->type != IOTB_PARAM_LIST)
		return NULL;
	for (k = 0; k < p->nspecs; k++)      /* list order decides which is named */
		for (i = 0; i < f->nsyms; i++)
			if (iotb_funcspec_matches(&p->specs[k], f->syms[i].name))
				return f->syms[i].name;
	return NULL;
}

void iotb_elf_canary(const struct iotb_elf_facts *f, const struct iotb_param *symbols,
                     struct iotb_elf_verdict *vd)
{
	const char *sym = canary_symbol(f, symbols);

	if (f->type != ET_REL && !iotb_elf_is_loadable(f))
		set(vd, IOTB_V_NOT_APPLICABLE, NULL, "not an executable, shared object or object file");
	else if (iotb_elf_is_static(f) && !f->has_symtab)
		set(vd, IOTB_V_UNKNOWN, NULL, "stripped static binary: no symbol says it "
		    "(the machine code decides: elfcheck/canary.c)");
	else if (iotb_elf_is_static(f) && sym)
		set(vd, IOTB_V_UNKNOWN, NULL, "static binary: libc brings '%s', so the symbol "
		    "does not tell whether the application's own code has canaries (the "
		    "machine code decides: elfcheck/canary.c)", sym);
	else if (sym)
		set(vd, IOTB_V_PRESENT, NULL, "%s '%s'",
		    iotb_elf_imports(f, sym) ? "imports" : "defines", sym);
	else if (!f->nsyms)
		set(vd, IOTB_V_UNKNOWN, NULL, "no symbols to decide from");
	else
		set(vd, IOTB_V_ABSENT, NULL, "no stack-protector symbol imported or defined");
}

/* The exact names of a list parameter, sorted for bsearch; other matcher
 * kinds (glob, regex) are tried one by one. */
struct name_index {
	const struct iotb_param *p;
	const char **names;
	size_t n;
	bool patterns;
};

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void name_index_init(struct name_index *x, const struct iotb_param *p)
{
	x->p = p;
	x->n = 0;
	x->patterns = false;
	x->names = iotb_xcalloc(p && p->type == IOTB_PARAM_LIST ? p->nspecs + 1 : 1,
				sizeof(*x->names));
	for (size_t i = 0; p && p->type == IOTB_PARAM_LIST && i < p->nspecs; i++) {
		if (p->specs[i].kind == IOTB_MATCH_NAME)
			x->names[x->n++] = p->specs[i].pattern;
		else
			x->patterns = true;
	}
	if (x->n)
		qsort(x->names, x->n, sizeof(*x->names), cmp_name);
}

static bool name_index_has(const struct name_index *x, const char *name)
{
	if (x->n && bsearch(&name, x->names, x->n, sizeof(*x->names), cmp_name))
		return true;
	return x->patterns && match_param(x->p, name) != NULL;
}

static void fortify_count(const struct iotb_elf_facts *f, const struct name_index *x,
                          unsigned *fortified, unsigned *plain)
{
	for (size_t i = 0; i < f->nsyms; i++) {
		const char *name = f->syms[i].name;
		size_t n;

		if (!iotb_elf_sym_is_import(f, &f->syms[i]))
			continue;
		n = strlen(name);
		if (n > 6 && strncmp(name, "__", 2) == 0 && strcmp(name + n - 4, "_chk") == 0) {
			char *base = iotb_xstrndup(name + 2, n - 6);

			*fortified += name_index_has(x, base);
			free(base);
		} else if (name_index_has(x, name)) {
			(*plain)++;
		}
	}
}

void iotb_elf_fortify(const struct iotb_elf_facts *f, const struct iotb_param *functions,
                      struct iotb_elf_verdict *vd, unsigned *fortified, unsigned *plain)
{
	struct name_index x;

	*fortified = *plain = 0;
	if (f->type != ET_REL && !iotb_elf_is_loadable(f)) {
		set(vd, IOTB_V_NOT_APPLICABLE, NULL, "not an executable, shared object or object file");
		return;
	}
	if (iotb_elf_is_static(f)) {
		set(vd, IOTB_V_UNKNOWN, NULL, "static binary: libc defines both the plain and "
		    "the __*_chk functions, so imports cannot be counted");
		return;
	}
	name_index_init(&x, functions);
	fortify_count(f, &x, fortified, plain);
	free(x.names);
	if (*fortified)
		set(vd, IOTB_V_PRESENT, NULL, "%u fortified (__*_chk) and %u plain fortifiable "
		    "functions imported", *fortified, *plain);
	else if (*plain)
		set(vd, IOTB_V_ABSENT, NULL, "%u fortifiable functions imported, none as "
		    "__*_chk", *plain);
	else
		set(vd, IOTB_V_NOT_APPLICABLE, NULL, "no fortifiable function imported");
}

const char *iotb_elf_search_path_problem(const char *e)
{
	static const char *const writable[] = { "/tmp", "/var/tmp", "/dev/shm", NULL };

	if (!e[0])
		return "empty entry (the current directory)";
	if (strncmp(e, "$ORIGIN", 7) == 0 || strncmp(e, "${ORIGIN}", 9) == 0)
		return NULL;
	if (e[0] != '/')
		return "relative path (resolved against the current directory)";
	for (size_t i = 0; writable[i]; i++) {
		size_t n = strlen(writable[i]);

		if (strncmp(e, writable[i], n) == 0 && (e[n] == '\0' || e[n] == '/'))
			return "world-writable directory";
	}
	return NULL;
}
