/*
 * report_links.c — findings about how the image is loaded and linked:
 * writable+executable PT_LOAD segments, text relocations, risky
 * DT_RPATH/DT_RUNPATH entries (empty, relative, world-writable), and the
 * dangerous functions it imports (list: elf.dangerous-import "functions").
 * Call sites are not located yet: findings say "import only".
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

static const struct iotb_funcspec *dangerous(const struct iotb_param *p, const char *name)
{
	if (!p || p->type != IOTB_PARAM_LIST)
		return NULL;
	for (size_t i = 0; i < p->nspecs; i++)
		if (iotb_funcspec_matches(&p->specs[i], name))
			return &p->specs[i];
	return NULL;
}

void elfcheck_report_imports(const struct iotb_elf_facts *f, const char *path,
                             struct iotb_engine_ctx *ctx, json_t *facts)
{
	const struct iotb_rule *rule = ctx->cat ?
		iotb_catalogue_rule(ctx->cat, "elf.dangerous-import") : NULL;
	const struct iotb_param *p = rule ? iotb_rule_param(rule, "functions") : NULL;
	json_t *names = json_array();
	size_t i;

	for (i = 0; i < f->nsyms && !iotb_elf_is_static(f); i++) {
		const struct iotb_elf_sym *s = &f->syms[i];
		const struct iotb_funcspec *spec;
		struct iotb_finding *fd;

		if (!iotb_elf_sym_is_import(f, s) || !(spec = dangerous(p, s->name)))
			continue;
		json_array_append_new(names, elfcheck_json_string(s->name));
		fd = elfcheck_emit(ctx, "elf.dangerous-import", path, "imports '%s'%s%s "
				   "(import only: call sites not located)", s->name,
				   spec->note ? ": " : "", spec->note ? spec->note : "");
		if (fd) {
			fd->loc.symbol = iotb_xstrdup(s->name);
			fd->function = iotb_xstrdup(s->name);
		}
	}
	if (facts)
		json_object_set_new(facts, "dangerous_imports", json_pack("{s:o,s:s}",
				    "names", names, "call_sites", iotb_elf_is_static(f) ?
				    "not-applicable (static binary)" : "import only"));
	else
		json_decref(names);
}
