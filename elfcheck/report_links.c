/*
 * report_links.c — findings about how the image is loaded and linked:
 * writable+executable PT_LOAD segments, text relocations, risky
 * DT_RPATH/DT_RUNPATH entries (empty, relative, world-writable), and the
 * dangerous functions it imports (list: elf.dangerous-import "functions")
 * with their call sites (callsites.c): the finding points at the first
 * call, lists up to 8, and says "import only" with the reason where call
 * sites cannot be located.
 */
#include <stdlib.h>
#include <string.h>

#include "elfcheck_int.h"

#define MAX_WX 16

static void report_wx(const struct iotb_elf_facts *f, const char *path,
                      struct iotb_engine_ctx *ctx, json_t *facts)
{
	size_t idx[MAX_WX], n = iotb_elf_wx_segments(f, idx, MAX_WX), i;
	json_t *arr = json_array();

	for (i = 0; i < n && i < MAX_WX; i++) {
		const GElf_Phdr *p = &f->phdrs[idx[i]];
		struct iotb_finding *fd;

		json_array_append_new(arr, json_integer((json_int_t)idx[i]));
		fd = elfcheck_emit(ctx, "elf.wx-segment", path, "loadable segment %zu "
				   "(vaddr 0x%llx, 0x%llx bytes) is both writable and "
				   "executable", idx[i], (unsigned long long)p->p_vaddr,
				   (unsigned long long)p->p_memsz);
		if (fd) {
			fd->loc.offset = p->p_offset;
			fd->loc.has_offset = true;
			fd->function = iotb_xasprintf("PT_LOAD[%zu]", idx[i]);
		}
	}
	if (facts)
		json_object_set_new(facts, "wx_segments", arr);
	else
		json_decref(arr);
}

static void report_search_path(const char *tag, const char *value, const char *path,
                               struct iotb_engine_ctx *ctx)
{
	const char *p = value, *colon;

	for (;;) {
		char *e;
		const char *problem;

		colon = strchr(p, ':');
		e = iotb_xstrndup(p, colon ? (size_t)(colon - p) : strlen(p));
		problem = iotb_elf_search_path_problem(e);
		if (problem) {
			struct iotb_finding *fd = elfcheck_emit(ctx, "elf.rpath", path,
				"%s entry '%s' in '%s': %s", tag, e, value, problem);

			if (fd)
				fd->function = iotb_xasprintf("%s:%s", tag, e);
		}
		free(e);
		if (!colon)
			return;
		p = colon + 1;
	}
}

void elfcheck_report_segments(const struct iotb_elf_facts *f, const char *path,
                              struct iotb_engine_ctx *ctx, json_t *facts)
{
	report_wx(f, path, ctx, facts);
	if (iotb_elf_has_textrel(f))
		elfcheck_emit(ctx, "elf.textrel", path, "text relocations: the loader "
			      "writes into the code segment (DT_TEXTREL), which must then "
			      "be writable while relocating");
	if (f->rpath)
		report_search_path("DT_RPATH", f->rpath, path, ctx);
	if (f->runpath)
		report_search_path("DT_RUNPATH", f->runpath, path, ctx);
}

#define MAX_SITES_LISTED 8

/* One dangerous import and where it is called. */
struct imp {
	const struct iotb_elf_facts *f;
	const char *name;
	const struct iotb_funcspec *spec;
	unsigned sites;
	struct iotb_call_site first;
	const char *first_function;   /* enclosing the first call, or NULL */
	json_t *list;                 /* "main (.text+0x1a2)", at most MAX_SITES_LISTED */
};

struct imports {
	struct imp *v;
	size_t n, alloc;
};

static struct imp *find_imp(const struct imports *im, const char *name)
{
	for (size_t i = 0; i < im->n; i++)
		if (strcmp(im->v[i].name, name) == 0)
			return &im->v[i];
	return NULL;
}

static bool want_import(const char *name, void *arg)
{
	return find_imp(arg, name) != NULL;
}

static void on_site(const struct iotb_call_site *s, void *arg)
{
	struct imp *m = find_imp(arg, s->import);
	const char *fn;
	char *where;

	if (!m)
		return;
	if (m->sites++ == 0)
		m->first = *s;
	if (json_array_size(m->list) >= MAX_SITES_LISTED)
		return;
	fn = iotb_elf_enclosing_function(m->f, s->region, s->offset);
	if (m->sites == 1)
		m->first_function = fn;
	where = iotb_xasprintf("%s (%s+0x%llx)", fn ? fn : "?", s->region->name,
			       (unsigned long long)s->offset);
	json_array_append_new(m->list, elfcheck_json_string(where));
	free(where);
}

static void collect_imports(const struct iotb_elf_facts *f, const struct iotb_param *p,
                            struct imports *im)
{
	im->v = NULL;
	im->n = im->alloc = 0;
	for (size_t i = 0; i < f->nsyms && !iotb_elf_is_static(f); i++) {
		const struct iotb_elf_sym *s = &f->syms[i];
		const struct iotb_funcspec *spec = NULL;

		if (!iotb_elf_sym_is_import(f, s))
			continue;
		for (size_t k = 0; p && p->type == IOTB_PARAM_LIST && k < p->nspecs && !spec; k++)
			if (iotb_funcspec_matches(&p->specs[k], s->name))
				spec = &p->specs[k];
		if (!spec || find_imp(im, s->name))
			continue;
		if (im->n == im->alloc) {
			im->alloc = im->alloc ? 2 * im->alloc : 8;
			im->v = iotb_xrealloc(im->v, im->alloc * sizeof(*im->v));
		}
		im->v[im->n++] = (struct imp){ f, s->name, spec, 0, { 0 }, NULL, json_array() };
	}
}

static struct iotb_finding *emit_import(const struct imp *m, const char *path,
                                        struct iotb_engine_ctx *ctx, const char *why)
{
	const char *sep = m->spec->note ? ": " : "", *note = m->spec->note ? m->spec->note : "";

	if (why)
		return elfcheck_emit(ctx, "elf.dangerous-import", path, "imports '%s'%s%s (import "
				     "only: %s)", m->name, sep, note, why);
	if (!m->sites)
		return elfcheck_emit(ctx, "elf.dangerous-import", path, "imports '%s'%s%s; no "
				     "direct call found (it may be called through a pointer)",
				     m->name, sep, note);
	return elfcheck_emit(ctx, "elf.dangerous-import", path, "imports '%s'%s%s, called from "
			     "%u place%s (first in %s)", m->name, sep, note, m->sites,
			     m->sites == 1 ? "" : "s",
			     m->first_function ? m->first_function : "unnamed code");
}

static void report_import(const struct imp *m, const char *path, struct iotb_engine_ctx *ctx,
                          const char *why)
{
	struct iotb_finding *fd = emit_import(m, path, ctx, why);

	if (!fd)
		return;
	fd->function = iotb_xstrdup(m->name);
	fd->loc.symbol = iotb_xstrdup(m->sites && m->first_function ? m->first_function : m->name);
	if (m->sites) {
		fd->loc.section = iotb_xstrdup(m->first.region->name);
		fd->loc.offset = m->first.offset;
		fd->loc.has_offset = true;
		fd->properties = json_pack("{s:i,s:O}", "call_sites", (int)m->sites, "sites",
					   m->list);
	}
}

static json_t *imports_facts(const struct imports *im, const char *how, const char *why,
                             bool is_static)
{
	json_t *names = json_array(), *sites = json_object();
	char *method;
	json_t *o;

	for (size_t i = 0; i < im->n; i++) {
		json_array_append_new(names, elfcheck_json_string(im->v[i].name));
		if (!why)
			json_object_set_new(sites, im->v[i].name, json_integer(im->v[i].sites));
	}
	method = is_static ? iotb_xstrdup("not-applicable (static binary)") :
		 why ? iotb_xasprintf("import only: %s", why) : iotb_xstrdup(how ? how : "none");
	o = json_pack("{s:o,s:s,s:o}", "names", names, "call_sites", method, "sites", sites);
	free(method);
	return o;
}

void elfcheck_report_imports(const struct iotb_elf_facts *f, const char *path,
                             struct iotb_engine_ctx *ctx, json_t *facts)
{
	struct imports im;
	const char *why = NULL, *how = NULL;

	collect_imports(f, elfcheck_param(ctx, "elf.dangerous-import", "functions"), &im);
	if (im.n)
		why = iotb_elf_call_sites(f, want_import, on_site, &im, &how);
	for (size_t i = 0; i < im.n; i++)
		report_import(&im.v[i], path, ctx, why);
	if (facts)
		json_object_set_new(facts, "dangerous_imports",
				    imports_facts(&im, how, why, iotb_elf_is_static(f)));
	for (size_t i = 0; i < im.n; i++)
		json_decref(im.v[i].list);
	free(im.v);
}
