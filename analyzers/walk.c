/*
 * walk.c — parse one translation unit and traverse it once, dispatching
 * events to the checkers listed in checkers.def (walk.h, checker.h).
 *
 * Parsing: CXTranslationUnit_KeepGoing (a missing header is otherwise
 * fatal) and DetailedPreprocessingRecord (macro expansions).  Diagnostics
 * without a file location come from the driver: flags libclang rejects.
 * Those are not parse errors; the flags are dropped for every later TU of
 * the same compiler and reported once per compiler.  When libclang makes
 * no AST at all (an unknown CPU, an invalid flag value), the parse is
 * retried without machine and code-generation flags, then without the
 * CPU/architecture ones.
 *
 * Traversal: one clang_visitChildren with CXChildVisit_Recurse (libclang
 * recurses over statements with its own work list, so deep expressions do
 * not exhaust our stack); the ancestors are kept in a stack rebuilt from
 * the parent each callback gets, which gives the "end" events.  System
 * headers are not entered.  Function pointers bound in the TU (variable
 * initialisers, assignments, struct initialisers) are remembered so calls
 * through them resolve to the bound function.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "walk.h"

/* The checker table (checkers.def). */
#define IOTB_CHECKER(name, area) extern const struct iotb_checker iotb_checker_##name;
#include "checkers.def"
#undef IOTB_CHECKER

static const struct iotb_checker *const checker_table[] = {
#define IOTB_CHECKER(name, area) &iotb_checker_##name,
#include "checkers.def"
#undef IOTB_CHECKER
	NULL,
};

/* First diagnostics quoted in a parse-error note. */
#define FIRST_DIAGNOSTICS 3

enum event {
	EV_TU_BEGIN, EV_TU_END, EV_FUNCTION_BEGIN, EV_FUNCTION_END, EV_CALL,
	EV_VAR_DECL, EV_ASSIGN, EV_BINARY_OP, EV_UNARY_OP, EV_IF, EV_SWITCH,
	EV_LOOP, EV_RETURN, EV_GOTO, EV_STRING_LITERAL, EV_MACRO_EXPANSION,
	EV_COUNT,
};

struct subscribers {
	struct iotb_checker_ctx **v;
	size_t n;
};

/* Flags libclang rejected for one compiler. */
struct compiler_setup {
	char *compiler;
	struct iotb_strvec drop;      /* exact arguments to leave out */
	struct iotb_strvec messages;  /* the driver's words, for the report */
	bool reported;
};

/* A function pointer bound to a function in this TU. */
struct binding {
	CXCursor decl;    /* variable, parameter or field (canonical) */
	CXCursor owner;   /* for a field: the variable holding the struct, or
	                     null when unknown (p->fn = …) */
	CXCursor fn;      /* the function */
	CXCursor where;   /* the expression that bound it */
};

/* A macro expansion in a non-system file. */
struct macro_use {
	CXFile file;
	unsigned begin, end;   /* offsets of the expansion's extent */
	CXCursor cursor;
};

struct frame {
	CXCursor cursor;
	bool is_function;
};

struct strset {
	char **slots;
	size_t n, cap;
};

struct iotb_walk {
	struct iotb_engine_ctx *ctx;
	struct iotb_checker_ctx *checkers;
	size_t ncheckers;
	struct subscribers subs[EV_COUNT];
	struct strset reported;
	struct compiler_setup *setups;
	size_t nsetups;
	unsigned long tus, parsed, partial, failed, errors;
	bool relative_paths;
	/* the TU being walked */
	CXTranslationUnit tu;
	struct frame *stack;
	size_t depth, astack;
	CXCursor function;
	struct binding *bindings;
	size_t nbindings, abindings;
	struct macro_use *macros;
	size_t nmacros, amacros;
};

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
static bool strset_add(struct strset *set, const char *key)
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

static void strset_release(struct strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i]);
	free(set->slots);
	memset(set, 0, sizeof(*set));
}

/* --- checkers and subscriptions -------------------------------------------- */

static iotb_event_fn *handler(const struct iotb_checker *c, enum event ev)
{
	switch (ev) {
	case EV_TU_BEGIN: return c->on_tu_begin;
	case EV_TU_END: return c->on_tu_end;
	case EV_FUNCTION_BEGIN: return c->on_function_begin;
	case EV_FUNCTION_END: return c->on_function_end;
	case EV_CALL: return c->on_call;
	case EV_VAR_DECL: return c->on_var_decl;
	case EV_ASSIGN: return c->on_assign;
	case EV_BINARY_OP: return c->on_binary_op;
	case EV_UNARY_OP: return c->on_unary_op;
	case EV_IF: return c->on_if;
	case EV_SWITCH: return c->on_switch;
	case EV_LOOP: return c->on_loop;
	case EV_RETURN: return c->on_return;
	case EV_GOTO: return c->on_goto;
	case EV_STRING_LITERAL: return c->on_string_literal;
	case EV_MACRO_EXPANSION: return c->on_macro_expansion;
	case EV_COUNT: break;
	}
	return NULL;
}

static void dispatch(struct iotb_walk *w, enum event ev, const struct iotb_event *e)
{
	const struct subscribers *s = &w->subs[ev];

	for (size_t i = 0; i < s->n; i++)
		handler(s->v[i]->checker, ev)(s->v[i], e);
}

static bool has_enabled_rule(const struct iotb_checker_ctx *cc)
{
	for (unsigned i = 0; i < IOTB_CHECKER_MAX_RULES; i++)
		if (cc->rules[i].rule)
			return true;
	return false;
}

struct iotb_walk *iotb_walk_new(struct iotb_engine_ctx *ctx)
{
	struct iotb_walk *w = iotb_xcalloc(1, sizeof(*w));
	size_t n = 0;

	while (checker_table[n])
		n++;
	w->ctx = ctx;
	w->checkers = iotb_xcalloc(n ? n : 1, sizeof(*w->checkers));
	for (size_t i = 0; i < n; i++) {
		const struct iotb_checker *c = checker_table[i];
		struct iotb_checker_ctx *cc = &w->checkers[w->ncheckers];
		unsigned slot;

		cc->checker = c;
		cc->walk = w;
		for (slot = 0; slot < IOTB_CHECKER_MAX_RULES && c->rules[slot]; slot++)
			cc->rules[slot] = iotb_rule_ctx_get(ctx, c->rules[slot]);
		if (!has_enabled_rule(cc))
			continue;
		if (c->init && c->init(cc) < 0) {
			char *why = iotb_xstrdup(iotb_last_error());

			iotb_walk_free(w);
			iotb_fail("checker '%s': %s", c->name, why);
			free(why);
			return NULL;
		}
		w->ncheckers++;
	}
	for (size_t i = 0; i < w->ncheckers; i++)
		for (int ev = 0; ev < EV_COUNT; ev++) {
			struct subscribers *s = &w->subs[ev];

			if (!handler(w->checkers[i].checker, (enum event)ev))
				continue;
			s->v = iotb_xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
			s->v[s->n++] = &w->checkers[i];
		}
	return w;
}

void iotb_walk_free(struct iotb_walk *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->ncheckers; i++)
		if (w->checkers[i].checker->release)
			w->checkers[i].checker->release(&w->checkers[i]);
	free(w->checkers);
	for (int ev = 0; ev < EV_COUNT; ev++)
		free(w->subs[ev].v);
	strset_release(&w->reported);
	for (size_t i = 0; i < w->nsetups; i++) {
		free(w->setups[i].compiler);
		iotb_strvec_release(&w->setups[i].drop);
		iotb_strvec_release(&w->setups[i].messages);
	}
	free(w->setups);
	free(w->stack);
	free(w->bindings);
	free(w->macros);
	free(w);
}

void iotb_tu_result_release(struct iotb_tu_result *r)
{
	if (!r)
		return;
	free(r->message);
	r->message = NULL;
}

/* --- paths and locations ----------------------------------------------------- */

void iotb_walk_set_relative_paths(struct iotb_walk *w, bool relative)
{
	w->relative_paths = relative;
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

static char *file_name(CXFile file)
{
	CXString s = clang_getFileName(file);
	const char *c = clang_getCString(s);
	char *copy = iotb_xstrdup(c ? c : "");

	clang_disposeString(s);
	return copy;
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
	return strset_add(&w->reported, key);
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
		char *name = file_name(file);

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
	if (strset_add(&w->reported, key)) {
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

/* --- set-up problems per compiler ------------------------------------------- */

static struct compiler_setup *setup_for(struct iotb_walk *w, const char *compiler)
{
	const char *name = compiler ? compiler : "";
	struct compiler_setup *s;

	for (size_t i = 0; i < w->nsetups; i++)
		if (!strcmp(w->setups[i].compiler, name))
			return &w->setups[i];
	w->setups = iotb_xrealloc(w->setups, (w->nsetups + 1) * sizeof(*w->setups));
	s = &w->setups[w->nsetups++];
	memset(s, 0, sizeof(*s));
	s->compiler = iotb_xstrdup(name);
	iotb_strvec_init(&s->drop);
	iotb_strvec_init(&s->messages);
	return s;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The quoted pieces ('…') of a driver message. */
static void quoted_pieces(const char *msg, struct iotb_strvec *out)
{
	const char *p = msg;

	while ((p = strchr(p, '\''))) {
		const char *end = strchr(p + 1, '\'');

		if (!end)
			break;
		if (end > p + 1) {
			char *piece = iotb_xstrndup(p + 1, (size_t)(end - p - 1));

			iotb_strvec_push(out, piece);
			free(piece);
		}
		p = end + 1;
	}
}

/* Learn which arguments of args a driver message names (the argument
 * itself, an option prefix ending in '=', or a value after '='). */
static void learn_from_message(struct compiler_setup *s, const struct iotb_strvec *args,
                               const char *msg)
{
	struct iotb_strvec pieces;

	iotb_strvec_init(&pieces);
	quoted_pieces(msg, &pieces);
	for (size_t i = 0; i < args->n; i++) {
		const char *a = args->v[i];
		const char *eq = strchr(a, '=');

		for (size_t k = 0; k < pieces.n; k++) {
			const char *q = pieces.v[k];
			size_t n = strlen(q);
			bool named = !strcmp(a, q) || (n > 1 && q[n - 1] == '=' && starts_with(a, q)) ||
				     (a[0] == '-' && eq && !strcmp(eq + 1, q));

			if (named && a[0] == '-' && !iotb_strvec_contains(&s->drop, a))
				iotb_strvec_push(&s->drop, a);
		}
	}
	if (!iotb_strvec_contains(&s->messages, msg))
		iotb_strvec_push(&s->messages, msg);
	iotb_strvec_release(&pieces);
}

/* -m flags that change the ABI (type sizes, endianness): kept while other
 * machine flags are dropped. */
static bool is_abi_flag(const char *a, bool keep_cpu)
{
	static const char *const abi[] = {
		"-m32", "-m64", "-mx32", "-m16", "-mthumb", "-marm", "-mbig-endian",
		"-mlittle-endian", "-msoft-float", "-mhard-float", "-mabicalls",
		"-mno-abicalls", NULL,
	};
	static const char *const abi_prefix[] = { "-mfloat-abi=", "-mabi=", NULL };
	static const char *const cpu_prefix[] = { "-march=", "-mcpu=", "-mfpu=", "-mips", NULL };

	for (const char *const *p = abi; *p; p++)
		if (!strcmp(a, *p))
			return true;
	for (const char *const *p = abi_prefix; *p; p++)
		if (starts_with(a, *p))
			return true;
	for (const char *const *p = cpu_prefix; keep_cpu && *p; p++)
		if (starts_with(a, *p))
			return true;
	return false;
}

/* -f flags that change what the parser sees (macros, types, keywords). */
static bool is_language_flag(const char *a)
{
	static const char *const prefixes[] = {
		"-fsigned-char", "-funsigned-char", "-fno-signed-char", "-fno-unsigned-char",
		"-fshort-enums", "-fshort-wchar", "-fms-extensions", "-fgnu89-inline",
		"-fno-builtin", "-fbuiltin", "-fcommon", "-fno-common", "-fpack-struct",
		"-fopenmp", "-fblocks", "-fasm", "-fno-asm", "-fgnu-keywords",
		"-fdollars-in-identifiers", "-fno-dollars-in-identifiers",
		"-fstack-protector", "-fno-stack-protector", "-fPIC", "-fpic", "-fPIE",
		"-fpie", "-fno-PIC", "-fno-pic", "-ffreestanding", "-fhosted",
		"-fexceptions", "-fno-exceptions", "-fwrapv", "-fno-strict-aliasing",
		"-fplan9-extensions", "-fextended-identifiers", NULL,
	};

	for (const char *const *p = prefixes; *p; p++)
		if (starts_with(a, *p))
			return true;
	return false;
}

/* Does retry stage (1: drop machine/codegen flags, 2: also CPU flags)
 * drop a? */
static bool stage_drops(const char *a, int stage)
{
	if (starts_with(a, "-m"))
		return !is_abi_flag(a, stage < 2);
	if (starts_with(a, "-f"))
		return !is_language_flag(a);
	return false;
}

/* --- parsing ------------------------------------------------------------------ */

static void args_without(const struct iotb_strvec *args, const struct iotb_strvec *drop,
                         int stage, struct iotb_strvec *out, struct iotb_strvec *dropped)
{
	for (size_t i = 0; i < args->n; i++) {
		const char *a = args->v[i];

		if (iotb_strvec_contains(drop, a))
			continue;
		/* arguments we add ourselves are never dropped */
		if (stage && stage_drops(a, stage) && !starts_with(a, "-ferror-limit") &&
		    !starts_with(a, "-fno-spell")) {
			if (dropped && !iotb_strvec_contains(dropped, a))
				iotb_strvec_push(dropped, a);
			continue;
		}
		iotb_strvec_push(out, a);
	}
}

static CXTranslationUnit parse(CXIndex idx, const char *source, const struct iotb_strvec *args,
                               enum CXErrorCode *code)
{
	CXTranslationUnit tu = NULL;

	*code = clang_parseTranslationUnit2(idx, source, (const char *const *)args->v,
					    (int)args->n, NULL, 0,
					    CXTranslationUnit_KeepGoing |
					    CXTranslationUnit_DetailedPreprocessingRecord, &tu);
	if (*code != CXError_Success && tu) {
		clang_disposeTranslationUnit(tu);
		tu = NULL;
	}
	return tu;
}

static const char *error_code_text(enum CXErrorCode code)
{
	switch (code) {
	case CXError_Crashed: return "libclang crashed";
	case CXError_InvalidArguments: return "libclang rejected the arguments";
	case CXError_ASTReadError: return "libclang could not build an AST (invalid compiler flags?)";
	case CXError_Failure: return "libclang could not build an AST";
	default: return "libclang failed";
	}
}

static char *diagnostic_text(const struct iotb_walk *w, CXDiagnostic d, bool with_location)
{
	CXString spelling = clang_getDiagnosticSpelling(d);
	const char *s = clang_getCString(spelling);
	char *text;

	if (with_location) {
		CXFile file = NULL;
		unsigned line = 0, col = 0;
		char *name, *path;

		clang_getExpansionLocation(clang_getDiagnosticLocation(d), &file, &line, &col, NULL);
		name = file ? file_name(file) : iotb_xstrdup("");
		path = iotb_walk_display_path(name, w->relative_paths);
		text = iotb_xasprintf("%s:%u:%u: %s", path, line, col, s ? s : "");
		free(path);
		free(name);
	} else {
		text = iotb_xstrdup(s ? s : "");
	}
	clang_disposeString(spelling);
	return text;
}

/* Count errors; learn driver complaints; build the partial-AST message. */
static void examine_diagnostics(struct iotb_walk *w, CXTranslationUnit tu,
                                struct compiler_setup *setup, const struct iotb_strvec *args,
                                struct iotb_tu_result *r)
{
	unsigned n = clang_getNumDiagnostics(tu), shown = 0;
	struct iotb_strbuf first;

	iotb_strbuf_init(&first);
	for (unsigned i = 0; i < n; i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);
		enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
		CXFile file = NULL;

		clang_getExpansionLocation(clang_getDiagnosticLocation(d), &file, NULL, NULL, NULL);
		if (sev >= CXDiagnostic_Error && !file) {
			char *msg = diagnostic_text(w, d, false);

			learn_from_message(setup, args, msg);
			free(msg);
		} else if (sev >= CXDiagnostic_Error) {
			r->errors++;
			if (shown < FIRST_DIAGNOSTICS) {
				char *msg = diagnostic_text(w, d, true);

				iotb_strbuf_addf(&first, "%s%s", shown ? "; " : "", msg);
				free(msg);
				shown++;
			}
		}
		clang_disposeDiagnostic(d);
	}
	if (r->errors) {
		r->outcome = IOTB_TU_PARTIAL;
		r->message = iotb_xasprintf("partial AST, %u error%s (analysed as far as it "
					    "parsed); first: %s", r->errors,
					    r->errors == 1 ? "" : "s", first.buf);
	}
	w->errors += r->errors;
	iotb_strbuf_release(&first);
}

static void walk_tu(struct iotb_walk *w, CXTranslationUnit tu);

void iotb_walk_tu(struct iotb_walk *w, CXIndex idx, const struct iotb_tu_args *ta,
                  struct iotb_tu_result *r)
{
	struct compiler_setup *setup = setup_for(w, ta->compiler);
	struct iotb_strvec args, dropped;
	CXTranslationUnit tu = NULL;
	enum CXErrorCode code = CXError_Success;

	memset(r, 0, sizeof(*r));
	w->tus++;
	iotb_strvec_init(&dropped);
	for (int stage = 0; stage <= 2 && !tu; stage++) {
		iotb_strvec_init(&args);
		args_without(&ta->args, &setup->drop, stage, &args, &dropped);
		tu = parse(idx, ta->source, &args, &code);
		if (tu) {
			for (size_t i = 0; stage && i < dropped.n; i++)
				if (!iotb_strvec_contains(&setup->drop, dropped.v[i]))
					iotb_strvec_push(&setup->drop, dropped.v[i]);
			if (stage && dropped.n) {
				char *msg = iotb_xasprintf("no AST with these flags: %s",
							   dropped.v[0]);

				if (!iotb_strvec_contains(&setup->messages, msg))
					iotb_strvec_push(&setup->messages, msg);
				free(msg);
			}
			examine_diagnostics(w, tu, setup, &args, r);
		}
		iotb_strvec_release(&args);
		if (code == CXError_Crashed)
			break;
	}
	iotb_strvec_release(&dropped);
	if (!tu) {
		r->outcome = IOTB_TU_FAILED;
		r->message = iotb_xstrdup(error_code_text(code));
		w->failed++;
		return;
	}
	if (r->outcome == IOTB_TU_PARTIAL)
		w->partial++;
	else
		w->parsed++;
	walk_tu(w, tu);
	clang_disposeTranslationUnit(tu);
}

void iotb_walk_finish(struct iotb_walk *w, const char *path)
{
	struct iotb_rule_ctx rc = iotb_rule_ctx_get(w->ctx, "scan.parse-error");

	for (size_t i = 0; i < w->nsetups; i++) {
		struct compiler_setup *s = &w->setups[i];
		struct iotb_strbuf msg;

		if (s->reported || (!s->drop.n && !s->messages.n))
			continue;
		iotb_strbuf_init(&msg);
		iotb_strbuf_addf(&msg, "set-up: libclang rejected flags of compiler '%s'",
				 *s->compiler ? s->compiler : "(command line)");
		for (size_t k = 0; k < s->messages.n; k++)
			iotb_strbuf_addf(&msg, "%s%s", k ? "; " : ": ", s->messages.v[k]);
		if (s->drop.n) {
			iotb_strbuf_adds(&msg, "; dropped for every translation unit:");
			for (size_t k = 0; k < s->drop.n; k++)
				iotb_strbuf_addf(&msg, " %s", s->drop.v[k]);
		}
		iotb_emit(&rc, path, 0, 0, "%s", msg.buf);
		s->reported = true;
		iotb_strbuf_release(&msg);
	}
}

static json_t *strvec_json(const struct iotb_strvec *sv)
{
	json_t *arr = json_array();

	for (size_t k = 0; k < sv->n; k++)
		json_array_append_new(arr, json_string(sv->v[k]));
	return arr;
}

json_t *iotb_walk_facts(const struct iotb_walk *w)
{
	json_t *rejected = json_object(), *messages = json_object();

	for (size_t i = 0; i < w->nsetups; i++) {
		const struct compiler_setup *s = &w->setups[i];
		const char *name = *s->compiler ? s->compiler : "(command line)";

		if (s->drop.n)
			json_object_set_new(rejected, name, strvec_json(&s->drop));
		if (s->messages.n)
			json_object_set_new(messages, name, strvec_json(&s->messages));
	}
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:o, s:o}", "translation_units",
			 (json_int_t)w->tus, "parsed", (json_int_t)w->parsed, "partial",
			 (json_int_t)w->partial, "not_analysed", (json_int_t)w->failed,
			 "errors", (json_int_t)w->errors, "rejected_flags", rejected,
			 "rejected_messages", messages);
}

static void absorb_list(struct iotb_walk *w, json_t *obj, bool messages)
{
	const char *name;
	json_t *arr, *v;
	size_t i;

	json_object_foreach(obj, name, arr) {
		struct compiler_setup *s = setup_for(w, strcmp(name, "(command line)") ? name : "");
		struct iotb_strvec *sv = messages ? &s->messages : &s->drop;

		json_array_foreach(arr, i, v)
			if (json_is_string(v) && !iotb_strvec_contains(sv, json_string_value(v)))
				iotb_strvec_push(sv, json_string_value(v));
	}
}

void iotb_walk_absorb_facts(struct iotb_walk *w, const json_t *facts)
{
	if (!json_is_object(facts))
		return;
	w->tus += (unsigned long)json_integer_value(json_object_get(facts, "translation_units"));
	w->parsed += (unsigned long)json_integer_value(json_object_get(facts, "parsed"));
	w->partial += (unsigned long)json_integer_value(json_object_get(facts, "partial"));
	w->failed += (unsigned long)json_integer_value(json_object_get(facts, "not_analysed"));
	w->errors += (unsigned long)json_integer_value(json_object_get(facts, "errors"));
	absorb_list(w, json_object_get(facts, "rejected_flags"), false);
	absorb_list(w, json_object_get(facts, "rejected_messages"), true);
}

/* --- traversal ------------------------------------------------------------------ */

static CXCursor null_cursor(void)
{
	return clang_getNullCursor();
}

struct two_children {
	CXCursor c[2];
	unsigned n;
};

static enum CXChildVisitResult collect_two(CXCursor c, CXCursor parent, CXClientData data)
{
	struct two_children *t = data;

	(void)parent;
	if (t->n < 2)
		t->c[t->n] = c;
	t->n++;
	return t->n < 2 ? CXChildVisit_Continue : CXChildVisit_Break;
}

static struct two_children first_two(CXCursor c)
{
	struct two_children t;

	t.c[0] = t.c[1] = null_cursor();
	t.n = 0;
	clang_visitChildren(c, collect_two, &t);
	return t;
}

/* The condition of an if/switch/while/for/do statement (first expression
 * child; do: the last). */
struct find_expr {
	CXCursor found;
	bool last;
};

static enum CXChildVisitResult find_expr_child(CXCursor c, CXCursor parent, CXClientData data)
{
	struct find_expr *f = data;

	(void)parent;
	if (clang_isExpression(clang_getCursorKind(c))) {
		f->found = c;
		if (!f->last)
			return CXChildVisit_Break;
	}
	return CXChildVisit_Continue;
}

static CXCursor condition_of(CXCursor stmt, bool last)
{
	struct find_expr f = { null_cursor(), last };

	clang_visitChildren(stmt, find_expr_child, &f);
	return f.found;
}

static bool is_function_pointer_type(CXType t)
{
	t = clang_getCanonicalType(t);
	if (t.kind != CXType_Pointer)
		return false;
	t = clang_getCanonicalType(clang_getPointeeType(t));
	return t.kind == CXType_FunctionProto || t.kind == CXType_FunctionNoProto;
}

/* The function e designates (strcpy, &strcpy, (fp_t)strcpy), or null. */
static CXCursor function_of(CXCursor e)
{
	CXCursor s = iotb_expr_strip(e), ref;

	if (clang_getCursorKind(s) == CXCursor_UnaryOperator &&
	    clang_getCursorUnaryOperatorKind(s) == CXUnaryOperator_AddrOf)
		s = iotb_expr_strip(first_two(s).c[0]);
	if (clang_getCursorKind(s) != CXCursor_DeclRefExpr)
		return null_cursor();
	ref = clang_getCursorReferenced(s);
	return clang_getCursorKind(ref) == CXCursor_FunctionDecl ? ref : null_cursor();
}

static void add_binding(struct iotb_walk *w, CXCursor decl, CXCursor owner, CXCursor value,
                        CXCursor where)
{
	CXCursor fn = function_of(value);

	if (clang_Cursor_isNull(fn) || clang_Cursor_isNull(decl))
		return;
	if (w->nbindings == w->abindings) {
		w->abindings = w->abindings ? w->abindings * 2 : 16;
		w->bindings = iotb_xrealloc(w->bindings, w->abindings * sizeof(*w->bindings));
	}
	w->bindings[w->nbindings].decl = clang_getCanonicalCursor(decl);
	w->bindings[w->nbindings].owner = clang_Cursor_isNull(owner)
					  ? owner : clang_getCanonicalCursor(owner);
	w->bindings[w->nbindings].fn = fn;
	w->bindings[w->nbindings].where = where;
	w->nbindings++;
}

/* The variable holding the struct a member expression reads (s.f,
 * s[i].f), or null (p->f). */
static CXCursor member_owner(CXCursor member)
{
	CXCursor base = iotb_expr_strip(iotb_expr_child(member, 0)), ref;

	while (clang_getCursorKind(base) == CXCursor_ArraySubscriptExpr)
		base = iotb_expr_strip(iotb_expr_child(base, 0));
	if (clang_getCursorKind(base) != CXCursor_DeclRefExpr)
		return null_cursor();
	if (clang_Type_getSizeOf(clang_getCursorType(base)) > 0 &&
	    clang_getCanonicalType(clang_getCursorType(base)).kind == CXType_Pointer)
		return null_cursor();
	ref = clang_getCursorReferenced(base);
	return clang_getCursorKind(ref) == CXCursor_VarDecl ? ref : null_cursor();
}

/* The declaration an assigned-to or called expression names (variable or
 * field), and for a field its owner. */
static CXCursor named_decl(CXCursor e, CXCursor *owner)
{
	CXCursor s = iotb_expr_strip(e);
	enum CXCursorKind k = clang_getCursorKind(s);

	*owner = null_cursor();
	if (k == CXCursor_MemberRefExpr)
		*owner = member_owner(s);
	if (k == CXCursor_DeclRefExpr || k == CXCursor_MemberRefExpr)
		return clang_getCursorReferenced(s);
	return null_cursor();
}

struct field_list {
	CXCursor *v;
	size_t n;
};

static enum CXVisitorResult collect_field(CXCursor c, CXClientData data)
{
	struct field_list *fl = data;

	fl->v = iotb_xrealloc(fl->v, (fl->n + 1) * sizeof(*fl->v));
	fl->v[fl->n++] = c;
	return CXVisit_Continue;
}

struct init_state {
	struct iotb_walk *w;
	CXCursor owner;
	struct field_list fields;
	size_t index;
};

static enum CXChildVisitResult on_init_item(CXCursor c, CXCursor parent, CXClientData data)
{
	struct init_state *st = data;
	struct two_children t;

	(void)parent;
	t = first_two(c);
	if (clang_getCursorKind(c) == CXCursor_UnexposedExpr && t.n == 2 &&
	    clang_getCursorKind(t.c[0]) == CXCursor_MemberRef) {
		/* .field = value */
		CXCursor field = clang_getCursorReferenced(t.c[0]);

		if (is_function_pointer_type(clang_getCursorType(field)))
			add_binding(st->w, field, st->owner, t.c[1], c);
		for (size_t i = 0; i < st->fields.n; i++)
			if (clang_equalCursors(st->fields.v[i], field))
				st->index = i;
	} else if (st->index < st->fields.n &&
		   is_function_pointer_type(clang_getCursorType(st->fields.v[st->index]))) {
		add_binding(st->w, st->fields.v[st->index], st->owner, c, c);
	}
	st->index++;
	return CXChildVisit_Continue;
}

/* The variable whose initialiser is being walked, or null. */
static CXCursor initialised_var(const struct iotb_walk *w)
{
	for (size_t i = w->depth; i-- > 0;) {
		enum CXCursorKind k = clang_getCursorKind(w->stack[i].cursor);

		if (k == CXCursor_VarDecl)
			return w->stack[i].cursor;
		if (!clang_isExpression(k))
			break;
	}
	return null_cursor();
}

/* Struct initialisers: { .fn = strcpy } and { strcpy, … } bind fields of
 * the variable initialised. */
static void bind_init_list(struct iotb_walk *w, CXCursor list)
{
	CXType t = clang_getCanonicalType(clang_getCursorType(list));
	struct init_state st = { w, null_cursor(), { NULL, 0 }, 0 };

	if (t.kind != CXType_Record)
		return;
	st.owner = initialised_var(w);
	clang_Type_visitFields(t, collect_field, &st.fields);
	clang_visitChildren(list, on_init_item, &st);
	free(st.fields.v);
}

static bool same_owner(CXCursor a, CXCursor b)
{
	if (clang_Cursor_isNull(a) || clang_Cursor_isNull(b))
		return clang_Cursor_isNull(a) && clang_Cursor_isNull(b);
	return clang_equalCursors(a, clang_getCanonicalCursor(b));
}

/*
 * The function a call through decl (of owner) reaches: the latest binding
 * of that variable or of that field of that owner; for a field of an
 * unknown owner, the function every binding of the field agrees on.
 */
static const struct binding *binding_of(const struct iotb_walk *w, CXCursor decl,
                                        CXCursor owner)
{
	CXCursor canon = clang_getCanonicalCursor(decl);
	const struct binding *agreed = NULL;

	for (size_t i = w->nbindings; i-- > 0;)
		if (clang_equalCursors(w->bindings[i].decl, canon) &&
		    same_owner(w->bindings[i].owner, owner))
			return &w->bindings[i];
	if (clang_getCursorKind(decl) != CXCursor_FieldDecl)
		return NULL;
	for (size_t i = w->nbindings; i-- > 0;) {
		if (!clang_equalCursors(w->bindings[i].decl, canon))
			continue;
		if (agreed && !clang_equalCursors(agreed->fn, w->bindings[i].fn))
			return NULL;
		if (!agreed)
			agreed = &w->bindings[i];
	}
	return agreed;
}

/* "__builtin___strcpy_chk" → "strcpy", "__builtin_strcpy" → "strcpy",
 * "__strcpy_chk" → "strcpy"; else a copy. */
static char *plain_function_name(const char *name)
{
	size_t n;

	if (starts_with(name, "__builtin___"))
		name += strlen("__builtin___");
	else if (starts_with(name, "__builtin_"))
		name += strlen("__builtin_");
	else if (starts_with(name, "__") && strstr(name, "_chk"))
		name += 2;
	n = strlen(name);
	if (n > 4 && !strcmp(name + n - 4, "_chk"))
		n -= 4;
	return iotb_xstrndup(name, n);
}

static void on_call_expr(struct iotb_walk *w, CXCursor c, struct iotb_event *ev)
{
	struct iotb_call call;
	CXCursor ref = clang_getCursorReferenced(c);
	char *name = NULL;

	memset(&call, 0, sizeof(call));
	call.expr = c;
	call.callee = null_cursor();
	call.binding = null_cursor();
	call.nargs = (unsigned)(clang_Cursor_getNumArguments(c) < 0
				? 0 : clang_Cursor_getNumArguments(c));
	if (clang_getCursorKind(ref) == CXCursor_FunctionDecl) {
		call.callee = ref;
	} else if (!clang_Cursor_isNull(ref)) {
		CXCursor owner, decl = named_decl(iotb_expr_child(c, 0), &owner);
		const struct binding *b = clang_Cursor_isNull(decl) ? NULL
					  : binding_of(w, decl, owner);

		if (b) {
			call.callee = b->fn;
			call.through_pointer = true;
			call.binding = b->where;
		}
	}
	if (!clang_Cursor_isNull(call.callee)) {
		char *raw = iotb_cursor_name(call.callee);

		name = plain_function_name(raw);
		free(raw);
		call.name = name;
	}
	ev->call = &call;
	dispatch(w, EV_CALL, ev);
	ev->call = NULL;
	free(name);
}

static void on_enter(struct iotb_walk *w, CXCursor c, struct frame *fr)
{
	enum CXCursorKind kind = clang_getCursorKind(c);
	struct iotb_event ev;
	struct two_children t;
	char *name;

	memset(&ev, 0, sizeof(ev));
	ev.cursor = c;
	ev.lhs = ev.rhs = null_cursor();
	ev.function = w->function;
	switch (kind) {
	case CXCursor_FunctionDecl:
		if (!clang_isCursorDefinition(c))
			return;
		fr->is_function = true;
		w->function = c;
		ev.function = c;
		name = iotb_cursor_name(c);
		ev.name = name;
		dispatch(w, EV_FUNCTION_BEGIN, &ev);
		free(name);
		return;
	case CXCursor_CallExpr:
		on_call_expr(w, c, &ev);
		return;
	case CXCursor_VarDecl:
		ev.rhs = clang_Cursor_getVarDeclInitializer(c);
		if (clang_isInvalidDeclaration(c) || clang_Cursor_isNull(ev.rhs))
			ev.rhs = null_cursor();
		if (!clang_Cursor_isNull(ev.rhs) &&
		    is_function_pointer_type(clang_getCursorType(c)))
			add_binding(w, c, null_cursor(), ev.rhs, ev.rhs);
		name = iotb_cursor_name(c);
		ev.name = name;
		dispatch(w, EV_VAR_DECL, &ev);
		free(name);
		return;
	case CXCursor_BinaryOperator:
	case CXCursor_CompoundAssignOperator:
		t = first_two(c);
		ev.lhs = t.c[0];
		ev.rhs = t.c[1];
		ev.op = (int)clang_getCursorBinaryOperatorKind(c);
		if (ev.op == CXBinaryOperator_Assign &&
		    is_function_pointer_type(clang_getCursorType(ev.lhs))) {
			CXCursor owner, decl = named_decl(ev.lhs, &owner);

			add_binding(w, decl, owner, ev.rhs, c);
		}
		if (kind == CXCursor_CompoundAssignOperator || ev.op == CXBinaryOperator_Assign)
			dispatch(w, EV_ASSIGN, &ev);
		else
			dispatch(w, EV_BINARY_OP, &ev);
		return;
	case CXCursor_UnaryOperator:
		ev.rhs = first_two(c).c[0];
		ev.op = (int)clang_getCursorUnaryOperatorKind(c);
		dispatch(w, EV_UNARY_OP, &ev);
		return;
	case CXCursor_InitListExpr:
		bind_init_list(w, c);
		return;
	case CXCursor_IfStmt:
		ev.rhs = condition_of(c, false);
		dispatch(w, EV_IF, &ev);
		return;
	case CXCursor_SwitchStmt:
		ev.rhs = condition_of(c, false);
		dispatch(w, EV_SWITCH, &ev);
		return;
	case CXCursor_WhileStmt:
	case CXCursor_ForStmt:
	case CXCursor_DoStmt:
		ev.op = kind == CXCursor_WhileStmt ? IOTB_LOOP_WHILE
			: kind == CXCursor_ForStmt ? IOTB_LOOP_FOR : IOTB_LOOP_DO;
		ev.rhs = condition_of(c, kind == CXCursor_DoStmt);
		dispatch(w, EV_LOOP, &ev);
		return;
	case CXCursor_ReturnStmt:
		ev.rhs = first_two(c).c[0];
		dispatch(w, EV_RETURN, &ev);
		return;
	case CXCursor_GotoStmt:
	case CXCursor_IndirectGotoStmt:
		dispatch(w, EV_GOTO, &ev);
		return;
	case CXCursor_StringLiteral:
		dispatch(w, EV_STRING_LITERAL, &ev);
		return;
	default:
		return;
	}
}

static CXCursor enclosing_function(const struct iotb_walk *w)
{
	for (size_t i = w->depth; i-- > 0;)
		if (w->stack[i].is_function)
			return w->stack[i].cursor;
	return null_cursor();
}

static void on_leave(struct iotb_walk *w, struct frame *fr)
{
	struct iotb_event ev;
	char *name;

	if (!fr->is_function)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.cursor = fr->cursor;
	ev.function = fr->cursor;
	ev.lhs = ev.rhs = null_cursor();
	name = iotb_cursor_name(fr->cursor);
	ev.name = name;
	dispatch(w, EV_FUNCTION_END, &ev);
	free(name);
}

static void pop_frame(struct iotb_walk *w)
{
	struct frame fr = w->stack[--w->depth];

	on_leave(w, &fr);
	w->function = enclosing_function(w);
}

static void record_macro(struct iotb_walk *w, CXCursor c)
{
	CXSourceRange r = clang_getCursorExtent(c);
	CXFile file = NULL;
	unsigned begin = 0, end = 0;
	struct iotb_event ev;
	char *name;

	clang_getExpansionLocation(clang_getRangeStart(r), &file, NULL, NULL, &begin);
	clang_getExpansionLocation(clang_getRangeEnd(r), NULL, NULL, NULL, &end);
	if (!file || clang_Location_isInSystemHeader(clang_getCursorLocation(c)))
		return;
	if (w->nmacros == w->amacros) {
		w->amacros = w->amacros ? w->amacros * 2 : 64;
		w->macros = iotb_xrealloc(w->macros, w->amacros * sizeof(*w->macros));
	}
	w->macros[w->nmacros].file = file;
	w->macros[w->nmacros].begin = begin;
	w->macros[w->nmacros].end = end > begin ? end : begin + 1;
	w->macros[w->nmacros].cursor = c;
	w->nmacros++;
	memset(&ev, 0, sizeof(ev));
	ev.cursor = c;
	ev.function = null_cursor();
	ev.lhs = ev.rhs = null_cursor();
	name = iotb_cursor_name(c);
	ev.name = name;
	dispatch(w, EV_MACRO_EXPANSION, &ev);
	free(name);
}

static enum CXChildVisitResult visit(CXCursor c, CXCursor parent, CXClientData data)
{
	struct iotb_walk *w = data;
	enum CXCursorKind kind = clang_getCursorKind(c);

	while (w->depth && !clang_equalCursors(w->stack[w->depth - 1].cursor, parent))
		pop_frame(w);
	if (!w->depth) {
		if (kind == CXCursor_MacroExpansion) {
			record_macro(w, c);
			return CXChildVisit_Continue;
		}
		if (clang_isPreprocessing(kind) ||
		    clang_Location_isInSystemHeader(clang_getCursorLocation(c)))
			return CXChildVisit_Continue;
	}
	if (w->depth == w->astack) {
		w->astack = w->astack ? w->astack * 2 : 64;
		w->stack = iotb_xrealloc(w->stack, w->astack * sizeof(*w->stack));
	}
	w->stack[w->depth].cursor = c;
	w->stack[w->depth].is_function = false;
	w->depth++;
	on_enter(w, c, &w->stack[w->depth - 1]);
	return CXChildVisit_Recurse;
}

static void walk_tu(struct iotb_walk *w, CXTranslationUnit tu)
{
	struct iotb_event ev;
	CXCursor root = clang_getTranslationUnitCursor(tu);

	w->tu = tu;
	w->depth = 0;
	w->nbindings = 0;
	w->nmacros = 0;
	w->function = null_cursor();
	memset(&ev, 0, sizeof(ev));
	ev.cursor = root;
	ev.function = ev.lhs = ev.rhs = null_cursor();
	dispatch(w, EV_TU_BEGIN, &ev);
	clang_visitChildren(root, visit, w);
	while (w->depth)
		pop_frame(w);
	w->function = null_cursor();
	dispatch(w, EV_TU_END, &ev);
	w->tu = NULL;
}
