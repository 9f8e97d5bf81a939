/*
 * weak_random.c — predictable random numbers used as secrets (27402
 * 5.2.5.1.4; CWE-338): rand(), random() and lrand48() are small linear
 * generators, usually seeded with time(), so anyone who sees a few
 * outputs or knows the boot time can predict keys, nonces and session
 * ids made from them.
 *
 * random.predictable: within one function, the result of a listed source
 * (also through a function pointer bound in the TU) flows — through
 * variables, assignments, buffers filled element by element and the
 * listed propagators (snprintf, memcpy…) — into a variable, field or
 * buffer with a secret-like name (key, nonce, token, session id…), the
 * key or IV argument of a listed cipher/MAC function, or the return value
 * of a function with such a name.  Variables with a jitter/back-off name
 * never carry the taint: randomised delays are not findings.
 *
 * The decision is made at the function's end, over its statements in
 * source order, once every call (and where a function pointer leads) is
 * known.
 *
 * Known false positives: a secret-named variable that is not secret
 * (a "token" of a parser).  Known gaps: flows through other functions and
 * through globals assigned in another function.
 *
 * YAML (rules/random.yaml): `sources` (names), `key_functions` (args {key}
 * and/or {iv}), `propagators` (args {dst}), `secret_names` and
 * `excluded_names` (regexes over variable, field and function names).
 */
#include <stdlib.h>
#include <string.h>

#include "checker.h"

enum { RULE_PREDICTABLE };

static const char *const rules[] = { "random.predictable", NULL };

enum step_kind { STEP_DECL, STEP_ASSIGN, STEP_CALL, STEP_RETURN };

/* A statement of the function that may move or use the taint. */
struct step {
	enum step_kind kind;
	CXCursor cursor;        /* the declaration, assignment, call or return */
	CXCursor lhs, rhs;
	struct iotb_call call;  /* STEP_CALL; name owned */
	const struct iotb_funcspec *spec;
	bool is_key_function;
};

struct state {
	const struct iotb_param *sources;
	const struct iotb_param *key_functions;
	const struct iotb_param *propagators;
	const struct iotb_param *secret_names;
	const struct iotb_param *excluded_names;
	struct step *steps;
	size_t nsteps;
	CXCursor *source_calls;     /* calls of a source in this function */
	char **source_names;        /* their callees, owned */
	size_t nsources;
	CXCursor *tainted;          /* variables holding a source's value */
	const char **tainted_by;    /* the source's name (in source_names) */
	size_t ntainted;
};

static int init(struct iotb_checker_ctx *cc)
{
	struct state *st = iotb_xcalloc(1, sizeof(*st));
	const struct iotb_param *k;

	cc->state = st;
	st->sources = iotb_checker_param(cc, RULE_PREDICTABLE, "sources");
	st->key_functions = k = iotb_checker_param(cc, RULE_PREDICTABLE, "key_functions");
	st->propagators = iotb_checker_param(cc, RULE_PREDICTABLE, "propagators");
	st->secret_names = iotb_checker_param(cc, RULE_PREDICTABLE, "secret_names");
	st->excluded_names = iotb_checker_param(cc, RULE_PREDICTABLE, "excluded_names");
	for (size_t i = 0; k && i < k->nspecs; i++)
		if (iotb_funcspec_arg(&k->specs[i], "key") < 0 &&
		    iotb_funcspec_arg(&k->specs[i], "iv") < 0)
			return iotb_fail("%s: '%s' needs the argument role 'key' or 'iv'",
					 k->specs[i].origin, k->specs[i].pattern);
	return iotb_param_require_role(st->propagators, "dst", NULL);
}

static void forget_function(struct state *st)
{
	for (size_t i = 0; i < st->nsteps; i++)
		free((char *)st->steps[i].call.name);
	for (size_t i = 0; i < st->nsources; i++)
		free(st->source_names[i]);
	free(st->steps);
	free(st->source_calls);
	free(st->source_names);
	free(st->tainted);
	free(st->tainted_by);
	st->tainted_by = NULL;
	st->steps = NULL;
	st->source_calls = NULL;
	st->source_names = NULL;
	st->tainted = NULL;
	st->nsteps = st->nsources = st->ntainted = 0;
}

static void release(struct iotb_checker_ctx *cc)
{
	struct state *st = cc->state;

	if (st)
		forget_function(st);
	free(st);
	cc->state = NULL;
}

/* --- names ---------------------------------------------------------------------- */

static bool is_excluded(const struct state *st, const char *name)
{
	return name && iotb_param_match(st->excluded_names, name);
}

static bool is_secret(const struct state *st, const char *name)
{
	return name && !is_excluded(st, name) && iotb_param_match(st->secret_names, name);
}

/* --- taint --------------------------------------------------------------------------- */

/* The source whose value var holds, or NULL. */
static const char *tainted_var(const struct state *st, CXCursor var)
{
	for (size_t i = 0; !clang_Cursor_isNull(var) && i < st->ntainted; i++)
		if (clang_equalCursors(st->tainted[i], var))
			return st->tainted_by[i];
	return NULL;
}

static void taint(struct state *st, CXCursor var, const char *source)
{
	char *name;

	if (clang_Cursor_isNull(var) || tainted_var(st, var))
		return;
	name = iotb_cursor_name(var);
	if (!is_excluded(st, name)) {
		st->tainted = iotb_xrealloc(st->tainted, (st->ntainted + 1) * sizeof(*st->tainted));
		st->tainted_by = iotb_xrealloc(st->tainted_by,
					       (st->ntainted + 1) * sizeof(*st->tainted_by));
		st->tainted[st->ntainted] = var;
		st->tainted_by[st->ntainted++] = source;
	}
	free(name);
}

struct taint_search {
	const struct state *st;
	const char *source;     /* the source's name when found */
};

/* The same expression node?  (clang_equalCursors also compares the parent
 * declaration a cursor was reached from, which differs between the walker
 * and a visit of a subtree.) */
static bool same_expr(CXCursor a, CXCursor b)
{
	return clang_getCursorKind(a) == clang_getCursorKind(b) &&
	       clang_equalRanges(clang_getCursorExtent(a), clang_getCursorExtent(b));
}

/* Does c itself carry the taint: a source call or a tainted variable? */
static const char *taint_of(const struct state *st, CXCursor c)
{
	enum CXCursorKind k = clang_getCursorKind(c);

	if (k == CXCursor_CallExpr) {
		for (size_t i = 0; i < st->nsources; i++)
			if (same_expr(st->source_calls[i], c))
				return st->source_names[i];
	} else if (k == CXCursor_DeclRefExpr) {
		return tainted_var(st, clang_getCursorReferenced(c));
	}
	return NULL;
}

static enum CXChildVisitResult find_taint(CXCursor c, CXCursor parent, CXClientData data)
{
	struct taint_search *ts = data;

	(void)parent;
	ts->source = taint_of(ts->st, c);
	return ts->source ? CXChildVisit_Break : CXChildVisit_Recurse;
}

/* Where e's value comes from a source: the source's name, else NULL. */
static const char *tainted(const struct state *st, CXCursor e)
{
	struct taint_search ts = { st, NULL };

	if (clang_Cursor_isNull(e))
		return NULL;
	ts.source = taint_of(st, e);
	if (!ts.source)
		clang_visitChildren(e, find_taint, &ts);
	return ts.source;
}

/* --- recording the function ---------------------------------------------------------------- */

static struct step *add_step(struct state *st, enum step_kind kind, CXCursor c)
{
	struct step *s;

	st->steps = iotb_xrealloc(st->steps, (st->nsteps + 1) * sizeof(*st->steps));
	s = &st->steps[st->nsteps++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->cursor = c;
	s->lhs = s->rhs = clang_getNullCursor();
	return s;
}

static void on_var_decl(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	struct step *s;

	if (clang_Cursor_isNull(ev->function) || clang_Cursor_isNull(ev->rhs))
		return;
	s = add_step(cc->state, STEP_DECL, ev->cursor);
	s->rhs = ev->rhs;
}

static void on_assign(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	struct step *s;

	if (clang_Cursor_isNull(ev->function))
		return;
	s = add_step(cc->state, STEP_ASSIGN, ev->cursor);
	s->lhs = ev->lhs;
	s->rhs = ev->rhs;
}

static void on_return(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	struct step *s;

	if (clang_Cursor_isNull(ev->function) || clang_Cursor_isNull(ev->rhs))
		return;
	s = add_step(cc->state, STEP_RETURN, ev->cursor);
	s->rhs = ev->rhs;
}

static void on_call(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	struct state *st = cc->state;
	const struct iotb_call *call = ev->call;
	const struct iotb_funcspec *key, *prop = NULL;
	struct step *s;

	if (!call->name || clang_Cursor_isNull(ev->function))
		return;
	if (iotb_param_match(st->sources, call->name)) {
		st->source_calls = iotb_xrealloc(st->source_calls,
						 (st->nsources + 1) * sizeof(*st->source_calls));
		st->source_names = iotb_xrealloc(st->source_names,
						 (st->nsources + 1) * sizeof(*st->source_names));
		st->source_calls[st->nsources] = call->expr;
		st->source_names[st->nsources++] = iotb_xstrdup(call->name);
		return;
	}
	key = iotb_param_match(st->key_functions, call->name);
	if (!key)
		prop = iotb_param_match(st->propagators, call->name);
	if (!key && !prop)
		return;
	s = add_step(st, STEP_CALL, call->expr);
	s->call = *call;
	s->call.name = iotb_xstrdup(call->name);
	s->spec = key ? key : prop;
	s->is_key_function = key != NULL;
}

/* --- deciding at the function's end ------------------------------------------------------------ */

static void report_flow(struct iotb_checker_ctx *cc, CXCursor at, const char *source,
                        const char *into, const struct iotb_call *call)
{
	struct iotb_finding *f;

	f = iotb_checker_report(cc, RULE_PREDICTABLE, at,
				"predictable '%s' value flows into %s%s",
				source, into, iotb_call_via(call));
	iotb_checker_relate_binding(cc, f, call);
}

/* Report when the value of src (tainted by source) lands in a secret name. */
static void into_name(struct iotb_checker_ctx *cc, CXCursor at, const char *name,
                      const char *source, const struct iotb_call *call)
{
	char *into;

	if (!is_secret(cc->state, name))
		return;
	into = iotb_xasprintf("'%s'", name);
	report_flow(cc, at, source, into, call);
	free(into);
}

static void on_key_call(struct iotb_checker_ctx *cc, const struct step *s)
{
	static const char *const roles[] = { "key", "iv", NULL };
	const struct state *st = cc->state;

	for (const char *const *r = roles; *r; r++) {
		int i = iotb_funcspec_arg(s->spec, *r);
		CXCursor arg;
		const char *src;
		char *text, *into;

		if (i < 0 || (unsigned)i >= s->call.nargs)
			continue;
		arg = iotb_call_arg(&s->call, (unsigned)i);
		src = tainted(st, arg);
		if (!src)
			continue;
		text = iotb_cursor_text(arg, 40);
		into = iotb_xasprintf("the %s argument '%s' of '%s'", *r, text, s->call.name);
		report_flow(cc, s->cursor, src, into, &s->call);
		free(into);
		free(text);
		return;
	}
}

static void on_propagator(struct iotb_checker_ctx *cc, const struct step *s)
{
	struct state *st = cc->state;
	int d = iotb_funcspec_arg(s->spec, "dst");
	const char *src = NULL;
	CXCursor dst;
	char *name;

	if (d < 0 || (unsigned)d >= s->call.nargs)
		return;
	for (unsigned i = 0; i < s->call.nargs && !src; i++)
		if (i != (unsigned)d)
			src = tainted(st, iotb_call_arg(&s->call, i));
	if (!src)
		return;
	dst = iotb_call_arg(&s->call, (unsigned)d);
	taint(st, iotb_expr_buffer_var(dst), src);
	name = iotb_expr_lvalue_name(dst);
	into_name(cc, s->cursor, name, src, &s->call);
	free(name);
}

static void run_step(struct iotb_checker_ctx *cc, const struct step *s, CXCursor fn)
{
	struct state *st = cc->state;
	const char *src;
	char *name;

	switch (s->kind) {
	case STEP_DECL:
		if (!(src = tainted(st, s->rhs)))
			return;
		taint(st, s->cursor, src);
		name = iotb_cursor_name(s->cursor);
		into_name(cc, s->cursor, name, src, NULL);
		free(name);
		return;
	case STEP_ASSIGN:
		if (!(src = tainted(st, s->rhs)))
			return;
		taint(st, iotb_expr_buffer_var(s->lhs), src);
		name = iotb_expr_lvalue_name(s->lhs);
		into_name(cc, s->cursor, name, src, NULL);
		free(name);
		return;
	case STEP_RETURN:
		if (!(src = tainted(st, s->rhs)))
			return;
		name = iotb_cursor_name(fn);
		if (is_secret(st, name)) {
			char *into = iotb_xasprintf("the return value of '%s'", name);

			report_flow(cc, s->cursor, src, into, NULL);
			free(into);
		}
		free(name);
		return;
	case STEP_CALL:
		if (s->is_key_function)
			on_key_call(cc, s);
		else
			on_propagator(cc, s);
		return;
	}
}

static void on_function_end(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	struct state *st = cc->state;

	if (st->nsources)
		for (size_t i = 0; i < st->nsteps; i++)
			run_step(cc, &st->steps[i], ev->function);
	forget_function(st);
}

const struct iotb_checker iotb_checker_weak_random = {
	.name = "weak_random",
	.rules = rules,
	.init = init,
	.release = release,
	.on_call = on_call,
	.on_var_decl = on_var_decl,
	.on_assign = on_assign,
	.on_return = on_return,
	.on_function_end = on_function_end,
};
