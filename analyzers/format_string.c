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

/* A write to a local variable seen in the function. */
struct write {
	CXCursor var;
	bool constant;
};

struct state {
	const struct iotb_param *functions;
	bool use_attribute;
	struct pending *pending;
	size_t npending;
	struct write *writes;
	size_t nwrites;
};

static int init(struct iotb_checker_ctx *cc)
{
	struct state *st = iotb_xcalloc(1, sizeof(*st));
	const struct iotb_param *attr;

	cc->state = st;
	st->functions = iotb_checker_param(cc, RULE_NON_LITERAL, "functions");
	attr = iotb_checker_param(cc, RULE_NON_LITERAL, "use_attribute");
	st->use_attribute = !attr || !attr->scalar || strcmp(attr->scalar, "false") != 0;
	for (size_t i = 0; st->functions && i < st->functions->nspecs; i++)
		if (iotb_funcspec_arg(&st->functions->specs[i], "fmt") < 0)
			return iotb_fail("%s: '%s' needs the argument role 'fmt'",
					 st->functions->specs[i].origin,
					 st->functions->specs[i].pattern);
	return 0;
}

static void forget_function(struct state *st)
{
	for (size_t i = 0; i < st->npending; i++) {
		free(st->pending[i].callee);
		free(st->pending[i].text);
	}
	free(st->pending);
	free(st->writes);
	st->pending = NULL;
	st->writes = NULL;
	st->npending = st->nwrites = 0;
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

static bool is_local(CXCursor var)
{
	return clang_getCursorKind(var) == CXCursor_VarDecl &&
	       !clang_Cursor_hasVarDeclGlobalStorage(var);
}

static void add_write(struct state *st, CXCursor var, bool constant)
{
	st->writes = iotb_xrealloc(st->writes, (st->nwrites + 1) * sizeof(*st->writes));
	st->writes[st->nwrites].var = var;
	st->writes[st->nwrites].constant = constant;
	st->nwrites++;
}

static bool has_unknown_write(const struct state *st, CXCursor var)
{
	for (size_t i = 0; i < st->nwrites; i++)
		if (!st->writes[i].constant && clang_equalCursors(st->writes[i].var, var))
			return true;
	return false;
}

/* The local variable e designates as a buffer (v, &v, v + n, &v[i], v[i]). */
static CXCursor local_buffer(CXCursor e)
{
	CXCursor s = iotb_expr_strip(e), var = iotb_expr_referenced_var(s);
	enum CXCursorKind k = clang_getCursorKind(s);

	if (clang_Cursor_isNull(var) && (k == CXCursor_UnaryOperator ||
					 k == CXCursor_ArraySubscriptExpr ||
					 k == CXCursor_BinaryOperator)) {
		CXCursor base = iotb_expr_strip(iotb_expr_child(s, 0));

		var = iotb_expr_referenced_var(base);
		if (clang_Cursor_isNull(var) &&
		    clang_getCursorKind(base) == CXCursor_ArraySubscriptExpr)
			var = iotb_expr_referenced_var(iotb_expr_child(base, 0));
	}
	return !clang_Cursor_isNull(var) && is_local(var) ? var : clang_getNullCursor();
}

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

/* Is parameter i of the callee a pointer to const (read only)? */
static bool is_read_only_param(const struct iotb_call *call, unsigned i)
{
	CXType fn = clang_getCanonicalType(clang_getCursorType(call->callee));
	CXType p;

	if (clang_Cursor_isNull(call->callee) || fn.kind != CXType_FunctionProto ||
	    (int)i >= clang_getNumArgTypes(fn))
		return false;
	p = clang_getCanonicalType(clang_getArgType(fn, i));
	return p.kind == CXType_Pointer && clang_isConstQualifiedType(clang_getPointeeType(p));
}

/* A call that fills buffer argument 0 from constants only: snprintf family
 * with a literal format, strcpy family with a literal source. */
static bool is_constant_fill(const struct state *st, const struct iotb_call *call)
{
	static const char *const copiers[] = {
		"strcpy", "strncpy", "strlcpy", "stpcpy", "memcpy", "memmove", NULL,
	};
	const struct iotb_funcspec *spec = iotb_param_match(st->functions, call->name);

	if (!call->name)
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

/* Record what a call may write into local buffers passed to it. */
static void note_call_writes(struct state *st, const struct iotb_call *call)
{
	for (unsigned i = 0; i < call->nargs; i++) {
		CXCursor var = local_buffer(clang_Cursor_getArgument(call->expr, i));

		if (clang_Cursor_isNull(var) || is_read_only_param(call, i))
			continue;
		add_write(st, var, i == 0 && is_constant_fill(st, call));
	}
}

static void on_var_decl(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	struct state *st = cc->state;

	if (!is_local(ev->cursor) || clang_Cursor_isNull(ev->rhs))
		return;
	add_write(st, ev->cursor, iotb_expr_const_string_size(ev->rhs) > 0);
}

static void on_assign(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	struct state *st = cc->state;
	CXCursor lhs = iotb_expr_strip(ev->lhs), var;

	var = iotb_expr_referenced_var(lhs);
	if (!clang_Cursor_isNull(var) && is_local(var)) {
		add_write(st, var, ev->op == CXBinaryOperator_Assign &&
			  iotb_expr_const_string_size(ev->rhs) > 0);
		return;
	}
	if (clang_getCursorKind(lhs) == CXCursor_ArraySubscriptExpr) {
		var = local_buffer(lhs);   /* buf[i] = c */
		if (!clang_Cursor_isNull(var))
			add_write(st, var, false);
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
	if (!clang_Cursor_isNull(var) && is_local(var)) {
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
	note_call_writes(st, ev->call);
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

		if (has_unknown_write(st, p->var))
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
