/*
 * format_string.c — format strings that are not literals (27402 5.2.6.2;
 * CWE-134): a format argument an attacker may control turns %n, %s and
 * %x into memory writes and reads.
 *
 * format.non-literal: a call of a printf-like function (the YAML list, or
 * any function declared with __attribute__((format(printf, F, A))),
 * through a macro or a function pointer bound in the TU) whose format
 * argument is not a constant string.  Constant: a literal (concatenated
 * pieces and macros included), a conditional of literals, a const array or
 * const pointer initialised with one, or a local buffer whose every write
 * in the function is constant (snprintf(m, sizeof m, "READY");
 * printf(m)).  A format that is the enclosing function's own format
 * parameter is fine when that function is declared with the format
 * attribute (its callers are checked instead).
 *
 * Known false positives: a buffer filled from constants in another
 * function; formats chosen from a constant table (msgs[i]).
 *
 * YAML (rules/format.yaml): `functions` with args {fmt}; `use_attribute`
 * (true/false, default true).
 */
#include <stdlib.h>
#include <string.h>

#include "checker.h"

enum { RULE_NON_LITERAL };

static const char *const rules[] = { "format.non-literal", NULL };

/* A format argument naming a local buffer: decided at the function's end. */
struct pending {
	CXCursor call;
	CXCursor var;
	char *callee;
	char *text;
	bool through_pointer;
	CXCursor binding;
};

struct state {
	const struct iotb_param *functions;
	bool use_attribute;
	struct pending *pending;
	size_t npending;
	struct iotb_local_writes writes;
};

static int init(struct iotb_checker_ctx *cc)
{
	struct state *st = iotb_xcalloc(1, sizeof(*st));
	const struct iotb_param *attr;

	cc->state = st;
	st->functions = iotb_checker_param(cc, RULE_NON_LITERAL, "functions");
	attr = iotb_checker_param(cc, RULE_NON_LITERAL, "use_attribute");
	st->use_attribute = !attr || !attr->scalar || strcmp(attr->scalar, "false") != 0;
	return iotb_param_require_role(st->functions, "fmt", NULL);
}

static void forget_function(struct state *st)
{
	for (size_t i = 0; i < st->npending; i++) {
		free(st->pending[i].callee);
		free(st->pending[i].text);
	}
	free(st->pending);
	st->pending = NULL;
	st->npending = 0;
	iotb_local_writes_clear(&st->writes);
}

static void release(struct iotb_checker_ctx *cc)
{
	struct state *st = cc->state;

	if (st)
		forget_function(st);
	free(st);
	cc->state = NULL;
}

/* --- local variables and their writes ------------------------------------ */

/* Every argument of a call not provably constant is a string or integer
 * literal, or of arithmetic type (digits cannot inject a conversion). */
static bool args_constant(const struct iotb_call *call, unsigned from)
{
	for (unsigned i = from; i < call->nargs; i++) {
		CXCursor a = iotb_call_arg(call, i);
		CXType t = clang_getCanonicalType(clang_getCursorType(a));

		if (iotb_expr_const_string_size(a) > 0)
			continue;
		if (t.kind != CXType_Pointer && t.kind != CXType_ConstantArray &&
		    t.kind != CXType_IncompleteArray && t.kind != CXType_Record)
			continue;
		return false;
	}
	return true;
}

/* A call that fills buffer argument 0 from constants only: snprintf family
 * with a literal format, strcpy family with a literal source.
 * (iotb_constant_fill_fn; data is the state) */
static bool is_constant_fill(const void *data, const struct iotb_call *call, unsigned argi)
{
	static const char *const copiers[] = {
		"strcpy", "strncpy", "strlcpy", "stpcpy", "memcpy", "memmove", NULL,
	};
	const struct state *st = data;
	const struct iotb_funcspec *spec = iotb_param_match(st->functions, call->name);

	if (argi != 0 || !call->name)
		return false;
	if (spec) {
		int f = iotb_funcspec_arg(spec, "fmt");

		return f > 0 && iotb_expr_is_literal(iotb_call_arg(call, (unsigned)f)) &&
		       args_constant(call, (unsigned)f + 1);
	}
	for (const char *const *c = copiers; *c; c++)
		if (!strcmp(call->name, *c))
			return call->nargs >= 2 && iotb_expr_const_string_size(iotb_call_arg(call, 1)) > 0;
	return false;
}

static void on_var_decl(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	struct state *st = cc->state;

	if (!iotb_var_is_local(ev->cursor) || clang_Cursor_isNull(ev->rhs))
		return;
	iotb_local_writes_add(&st->writes, ev->cursor, iotb_expr_const_string_size(ev->rhs) > 0);
}

static void on_assign(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	struct state *st = cc->state;
	CXCursor lhs = iotb_expr_strip(ev->lhs), var;

	var = iotb_expr_referenced_var(lhs);
	if (!clang_Cursor_isNull(var) && iotb_var_is_local(var)) {
		iotb_local_writes_add(&st->writes, var, ev->op == CXBinaryOperator_Assign &&
				      iotb_expr_const_string_size(ev->rhs) > 0);
		return;
	}
	if (clang_getCursorKind(lhs) == CXCursor_ArraySubscriptExpr) {
		var = iotb_expr_local_buffer(lhs);   /* buf[i] = c */
		if (!clang_Cursor_isNull(var))
			iotb_local_writes_add(&st->writes, var, false);
	}
}

/* --- format arguments ------------------------------------------------------- */

/* The 0-based format argument index of the callee, or -1. */
static int format_index(const struct state *st, const struct iotb_call *call)
{
	const struct iotb_funcspec *spec = iotb_param_match(st->functions, call->name);
	unsigned idx;

	if (spec)
		return iotb_funcspec_arg(spec, "fmt");
	if (st->use_attribute && !clang_Cursor_isNull(call->callee) &&
	    iotb_function_format_arg(call->callee, &idx))
		return (int)idx;
	return -1;
}

/* Is var the format parameter of the enclosing format-attributed function? */
static bool is_own_format_param(CXCursor fn, CXCursor var)
{
	unsigned idx;
	int n = clang_Cursor_getNumArguments(fn);

	if (clang_getCursorKind(var) != CXCursor_ParmDecl || clang_Cursor_isNull(fn) ||
	    !iotb_function_format_arg(fn, &idx) || (int)idx >= n)
		return false;
	return clang_equalCursors(clang_Cursor_getArgument(fn, idx), var);
}

static void report(struct iotb_checker_ctx *cc, CXCursor call, const char *callee,
                   const char *text, bool through_pointer, CXCursor binding)
{
	struct iotb_finding *f;

	f = iotb_checker_report(cc, RULE_NON_LITERAL, call,
				"format argument of '%s' is not a string literal: '%s'%s", callee,
				text, through_pointer ? " (called through a function pointer)" : "");
	if (f && through_pointer)
		iotb_checker_relate(cc, f, binding, "function pointer bound here");
}

static void check_format(struct iotb_checker_ctx *cc, const struct iotb_event *ev, int idx)
{
	struct state *st = cc->state;
	const struct iotb_call *call = ev->call;
	CXCursor fmt = iotb_call_arg(call, (unsigned)idx), var;
	char *text;

	if (clang_Cursor_isNull(fmt) || iotb_expr_const_string_size(fmt) > 0)
		return;
	var = iotb_expr_referenced_var(fmt);
	if (!clang_Cursor_isNull(var) && is_own_format_param(ev->function, var))
		return;
	text = iotb_cursor_text(fmt, 40);
	if (!clang_Cursor_isNull(var) && iotb_var_is_local(var)) {
		struct pending *p;

		st->pending = iotb_xrealloc(st->pending, (st->npending + 1) * sizeof(*st->pending));
		p = &st->pending[st->npending++];
		p->call = call->expr;
		p->var = var;
		p->callee = iotb_xstrdup(call->name);
		p->text = text;
		p->through_pointer = call->through_pointer;
		p->binding = call->binding;
		return;
	}
	report(cc, call->expr, call->name, text, call->through_pointer, call->binding);
	free(text);
}

static void on_call(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	struct state *st = cc->state;
	int idx;

	if (!ev->call->name)
		return;
	iotb_local_writes_note_call(&st->writes, ev->call, is_constant_fill, st);
	idx = format_index(st, ev->call);
	if (idx >= 0)
		check_format(cc, ev, idx);
}

static void on_function_end(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	struct state *st = cc->state;

	(void)ev;
	for (size_t i = 0; i < st->npending; i++) {
		const struct pending *p = &st->pending[i];

		if (iotb_local_writes_has_unknown(&st->writes, p->var))
			report(cc, p->call, p->callee, p->text, p->through_pointer, p->binding);
	}
	forget_function(st);
}

const struct iotb_checker iotb_checker_format_string = {
	.name = "format_string",
	.rules = rules,
	.init = init,
	.release = release,
	.on_call = on_call,
	.on_var_decl = on_var_decl,
	.on_assign = on_assign,
	.on_function_end = on_function_end,
};
