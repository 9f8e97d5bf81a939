/*
 * checker_report.c — how findings from checkers reach the results (checker.h,
 * walk.h): the place a reader sees (a macro's expansion site, with the
 * macro named and its definition related), the enclosing function's USR,
 * paths as the input was named, one report per (rule, place, message) in
 * an engine run; the " (called through a function pointer)" note and
 * its binding; and the checkers' access to their rule parameters
 * (argument roles required).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "walk_int.h"

/* --- a set of strings (FNV-1a, open addressing) -------------------------- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void strset_grow(struct strset *set)
{
	size_t cap = set->cap ? set->cap * 2 : 64;
	char **slots = iotb_xcalloc(cap, sizeof(*slots));

	for (size_t i = 0; i < set->cap; i++) {
		size_t j;

		if (!set->slots[i])
			continue;
		for (j = hash_str(set->slots[i]) & (cap - 1); slots[j]; j = (j + 1) & (cap - 1))
			;
		slots[j] = set->slots[i];
	}
	free(set->slots);
	set->slots = slots;
	set->cap = cap;
}

/* Add key (copied); false when it was already there. */
bool iotb_strset_add(struct strset *set, const char *key)
{
	size_t j;

	if ((set->n + 1) * 2 > set->cap)
		strset_grow(set);
	for (j = hash_str(key) & (set->cap - 1); set->slots[j]; j = (j + 1) & (set->cap - 1))
		if (!strcmp(set->slots[j], key))
			return false;
	set->slots[j] = iotb_xstrdup(key);
	set->n++;
	return true;
}

void iotb_strset_release(struct strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i]);
	free(set->slots);
	memset(set, 0, sizeof(*set));
}

/* --- paths and locations ----------------------------------------------------- */

void iotb_walk_set_relative_paths(struct iotb_walk *w, bool relative)
{
	w->relative_paths = relative;
}

void iotb_walk_set_directory(struct iotb_walk *w, const char *directory)
{
	free(w->directory);
	w->directory = iotb_xstrdup(directory);
}

char *iotb_walk_display_path(const char *file, bool relative)
{
	char cwd[PATH_MAX];
	char *norm, *rel;

	if (!file || !*file)
		return iotb_xstrdup("");
	if (file[0] != '/') {
		/* relative names stay relative, without "./" or "x/.." */
		char *abs, *back;

		if (!getcwd(cwd, sizeof(cwd)))
			return iotb_xstrdup(file);
		abs = iotb_path_absolute(cwd, file);
		back = iotb_path_relative(cwd, abs);
		free(abs);
		return back;
	}
	norm = iotb_path_absolute(NULL, file);
	if (!relative || !getcwd(cwd, sizeof(cwd)))
		return norm;
	rel = iotb_path_relative(cwd, norm);
	free(norm);
	return rel;
}

char *iotb_walk_file_name(CXFile file)
{
	return iotb_cxstring_take(clang_getFileName(file));
}

/* Is loc a position inside a macro expansion (its spelling elsewhere)? */
static bool is_macro_location(CXSourceLocation loc)
{
	CXFile ef, sf;
	unsigned el, ec, eo, sl, sc, so;

	clang_getExpansionLocation(loc, &ef, &el, &ec, &eo);
	clang_getSpellingLocation(loc, &sf, &sl, &sc, &so);
	return ef != sf || eo != so;
}

static const struct macro_use *macro_at(const struct iotb_walk *w, CXFile file, unsigned offset)
{
	for (size_t i = w->nmacros; i-- > 0;)
		if (clang_File_isEqual(w->macros[i].file, file) && w->macros[i].begin <= offset &&
		    offset < w->macros[i].end)
			return &w->macros[i];
	return NULL;
}

/* --- reports ------------------------------------------------------------------ */

bool iotb_checker_enabled(const struct iotb_checker_ctx *cc, unsigned slot)
{
	return slot < IOTB_CHECKER_MAX_RULES && cc->rules[slot].rule != NULL;
}

const struct iotb_param *iotb_checker_param(const struct iotb_checker_ctx *cc,
                                            unsigned slot, const char *name)
{
	const struct iotb_rule *rule;

	if (slot >= IOTB_CHECKER_MAX_RULES || !cc->checker->rules[slot])
		return NULL;
	rule = iotb_catalogue_rule(cc->walk->ctx->cat, cc->checker->rules[slot]);
	return rule ? iotb_rule_param(rule, name) : NULL;
}

const struct iotb_funcspec *iotb_param_match(const struct iotb_param *p, const char *name)
{
	if (!p || p->type != IOTB_PARAM_LIST || !name)
		return NULL;
	for (size_t i = 0; i < p->nspecs; i++)
		if (iotb_funcspec_matches(&p->specs[i], name))
			return &p->specs[i];
	return NULL;
}

int iotb_param_require_role(const struct iotb_param *p, const char *role, const char *alt)
{
	for (size_t i = 0; p && i < p->nspecs; i++)
		if (iotb_funcspec_arg(&p->specs[i], role) < 0 &&
		    (!alt || iotb_funcspec_arg(&p->specs[i], alt) < 0))
			return iotb_fail("%s: '%s' needs the argument role '%s'",
					 p->specs[i].origin, p->specs[i].pattern, role);
	return 0;
}

const char *iotb_call_via(const struct iotb_call *call)
{
	return call && call->through_pointer ? " (called through a function pointer)" : "";
}

void iotb_checker_relate_binding(struct iotb_checker_ctx *cc, struct iotb_finding *f,
                                 const struct iotb_call *call)
{
	if (f && call && call->through_pointer)
		iotb_checker_relate(cc, f, call->binding, "function pointer bound here");
}

long iotb_param_long(const struct iotb_param *p, long def)
{
	char *end;
	long v;

	if (!p || p->type != IOTB_PARAM_SCALAR || !p->scalar || !*p->scalar)
		return def;
	errno = 0;
	v = strtol(p->scalar, &end, 10);
	return errno || *end ? def : v;
}

char *iotb_walk_finding_key(const struct iotb_finding *f)
{
	return iotb_xasprintf("%s\x1f%s\x1f%u\x1f%u\x1f%s", f->rule ? f->rule->id : "",
			      f->loc.path ? f->loc.path : "", f->loc.line, f->loc.col,
			      f->message ? f->message : "");
}

bool iotb_walk_note_reported(struct iotb_walk *w, const char *key)
{
	return iotb_strset_add(&w->reported, key);
}

static char *cursor_usr(CXCursor c)
{
	CXString s;
	char *usr;

	if (clang_Cursor_isNull(c))
		return NULL;
	s = clang_getCursorUSR(c);
	usr = clang_getCString(s) && *clang_getCString(s) ? iotb_xstrdup(clang_getCString(s))
							    : NULL;
	clang_disposeString(s);
	return usr;
}

/* Where a reader sees c: file, line, column of the expansion site, and the
 * macro whose expansion it lies in (or NULL). */
struct place {
	char *path;
	unsigned line, col;
	const struct macro_use *macro;
	bool system;
};

static void place_of(const struct iotb_walk *w, CXCursor c, struct place *p)
{
	CXSourceLocation loc = clang_getCursorLocation(c);
	CXFile file = NULL;
	unsigned offset = 0;

	memset(p, 0, sizeof(*p));
	clang_getExpansionLocation(loc, &file, &p->line, &p->col, &offset);
	p->system = clang_Location_isInSystemHeader(loc) != 0;
	if (!file) {
		p->path = iotb_xstrdup("");
		return;
	}
	{
		char *name = iotb_walk_file_name(file);

		if (name[0] != '/' && w->directory) {   /* relative to the TU's dir */
			char *abs = iotb_path_absolute(w->directory, name);

			free(name);
			name = abs;
		}
		p->path = iotb_walk_display_path(name, w->relative_paths);
		free(name);
	}
	if (is_macro_location(loc))
		p->macro = macro_at(w, file, offset);
}

void iotb_checker_relate(struct iotb_checker_ctx *cc, struct iotb_finding *f,
                         CXCursor at, const char *message)
{
	struct place p;

	if (!f)
		return;
	place_of(cc->walk, at, &p);
	if (*p.path)
		iotb_finding_add_related(f, p.path, p.line, p.col, message);
	free(p.path);
}

struct iotb_finding *iotb_checker_report(struct iotb_checker_ctx *cc, unsigned slot,
                                         CXCursor at, const char *fmt, ...)
{
	struct iotb_walk *w = cc->walk;
	struct iotb_strbuf msg;
	struct iotb_finding *f = NULL;
	char *macro = NULL, *key;
	struct place p;
	va_list ap;

	if (!iotb_checker_enabled(cc, slot))
		return NULL;
	place_of(w, at, &p);
	if (p.system || !*p.path) {
		free(p.path);
		return NULL;
	}
	iotb_strbuf_init(&msg);
	va_start(ap, fmt);
	iotb_strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	if (p.macro) {
		macro = iotb_cursor_name(p.macro->cursor);
		iotb_strbuf_addf(&msg, " (in macro '%s')", macro);
	}
	key = iotb_xasprintf("%s\x1f%s\x1f%u\x1f%u\x1f%s", cc->rules[slot].rule->id, p.path,
			     p.line, p.col, msg.buf);
	if (iotb_strset_add(&w->reported, key)) {
		f = iotb_emit(&cc->rules[slot], p.path, p.line, p.col, "%s", msg.buf);
		if (f) {
			f->function = cursor_usr(w->function);
			if (p.macro) {
				CXCursor def = clang_getCursorReferenced(p.macro->cursor);
				char *what = iotb_xasprintf("macro '%s' defined here", macro);

				if (!clang_Cursor_isNull(def))
					iotb_checker_relate(cc, f, def, what);
				free(what);
			}
		}
	}
	free(key);
	free(macro);
	free(p.path);
	iotb_strbuf_release(&msg);
	return f;
}
