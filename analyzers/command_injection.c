/*
 * command_injection.c — OS commands built from non-constant data (27402
 * 5.2.6.2; CWE-78): a shell runs whatever metacharacters reach it.
 *
 * command.injection: a call of system(), popen(), the exec family or a
 * listed SDK wrapper (through a macro, or a function pointer bound in the
 * TU) whose command is not constant.  Constant: a literal (concatenated
 * pieces and macros included), a conditional of literals, a const array
 * or const pointer initialised with one, a field of a const struct or
 * const array of structs every initialiser of which sets that field to a
 * literal (cmds[i].cmd), or a local variable every write
 * of which in the function is constant: initialised with a literal, or
 * filled by a `fill_functions` call whose format/source is a literal and
 * whose other arguments are literals or numbers (snprintf(c, sizeof c,
 * "ping -c %d", n) is constant: digits cannot inject).  For an exec of a
 * shell (`shells`) with "-c", the command string after "-c" (in the
 * variadic list, or in a local argv array's initialiser) is checked the
 * same way.  Local buffers are decided at the function's end.
 *
 * Known false positives: a value checked against an allow-list before it
 * is formatted (no path analysis); buffers filled by constants in another
 * function.  Known gaps: argv arrays filled element by element.
 *
 * YAML (rules/command.yaml): `functions` (args {cmd}, optional {list} or
 * {argv}), `shells` (program names), `fill_functions` (args {dst} and
 * {src} or {fmt}).
 */
#include <stdlib.h>
#include <string.h>

#include "checker.h"

enum { RULE_INJECTION };

static const char *const rules[] = { "command.injection", NULL };

/* A command naming a local variable: decided at the function's end. */
struct pending {
	CXCursor call;
	CXCursor var;
	char *message;
	bool through_pointer;
	CXCursor binding;
};

struct state {
	const struct iotb_param *functions;
	const struct iotb_param *shells;
	const struct iotb_param *fill;
	struct pending *pending;
	size_t npending;
	struct iotb_local_writes writes;
};

static int init(struct iotb_checker_ctx *cc)
{
	struct state *st = iotb_xcalloc(1, sizeof(*st));

	cc->state = st;
	st->functions = iotb_checker_param(cc, RULE_INJECTION, "functions");
	st->shells = iotb_checker_param(cc, RULE_INJECTION, "shells");
	st->fill = iotb_checker_param(cc, RULE_INJECTION, "fill_functions");
	if (iotb_param_require_role(st->functions, "cmd", NULL) < 0 ||
	    iotb_param_require_role(st->fill, "dst", NULL) < 0 ||
	    iotb_param_require_role(st->fill, "src", "fmt") < 0)
		return -1;
	return 0;
}

static void forget_function(struct state *st)
{
	for (size_t i = 0; i < st->npending; i++)
		free(st->pending[i].message);
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

/* Is argument a of a fill call harmless: a constant string, or a value
 * that is not a pointer, array or struct (a number prints as digits)? */
static bool is_harmless_arg(CXCursor a)
{
	CXType t = clang_getCanonicalType(clang_getCursorType(a));

	if (iotb_expr_const_string_size(a) > 0)
		return true;
	return t.kind != CXType_Pointer && t.kind != CXType_ConstantArray &&
	       t.kind != CXType_IncompleteArray && t.kind != CXType_Record &&
	       t.kind != CXType_Invalid;
}

/* Does this call fill its dst argument argi from constants only?
 * (iotb_constant_fill_fn; data is the state) */
static bool is_constant_fill(const void *data, const struct iotb_call *call, unsigned argi)
{
	const struct state *st = data;
	const struct iotb_funcspec *spec;
	int dst, src;

	if (!call->name)
		return false;
	spec = iotb_param_match(st->fill, call->name);
	if (!spec || (dst = iotb_funcspec_arg(spec, "dst")) < 0 || (unsigned)dst != argi)
		return false;
	src = iotb_funcspec_arg(spec, "fmt");
	if (src < 0)
		src = iotb_funcspec_arg(spec, "src");
	if (src < 0 || (unsigned)src >= call->nargs ||
	    !(iotb_expr_const_string_size(iotb_call_arg(call, (unsigned)src)) > 0))
		return false;
	for (unsigned i = (unsigned)src + 1; i < call->nargs; i++)
		if (!is_harmless_arg(iotb_call_arg(call, i)))
			return false;
	return true;
}

static bool is_initialised_constant(CXCursor init)
{
	return iotb_expr_const_string_size(init) > 0;
}

static void on_var_decl(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	struct state *st = cc->state;

	if (!iotb_var_is_local(ev->cursor) || clang_Cursor_isNull(ev->rhs))
		return;
	if (clang_getCursorKind(iotb_expr_strip(ev->rhs)) == CXCursor_InitListExpr)
		return;   /* an argv array: its elements are looked at where used */
	iotb_local_writes_add(&st->writes, ev->cursor, is_initialised_constant(ev->rhs));
}

static void on_assign(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	struct state *st = cc->state;
	CXCursor lhs = iotb_expr_strip(ev->lhs), var;

	var = iotb_expr_referenced_var(lhs);
	if (!clang_Cursor_isNull(var) && iotb_var_is_local(var)) {
		iotb_local_writes_add(&st->writes, var, ev->op == CXBinaryOperator_Assign &&
				      is_initialised_constant(ev->rhs));
		return;
	}
	if (clang_getCursorKind(lhs) == CXCursor_ArraySubscriptExpr ||
	    clang_getCursorKind(lhs) == CXCursor_UnaryOperator) {
		var = iotb_expr_local_buffer(lhs);   /* buf[i] = c, argv[2] = s, *p = c */
		if (!clang_Cursor_isNull(var))
			iotb_local_writes_add(&st->writes, var, is_initialised_constant(ev->rhs));
	}
}

/* --- the command ---------------------------------------------------------- */

static bool has_shape(const struct iotb_call *call, const struct iotb_funcspec *spec)
{
	bool variadic = false;
	int n = iotb_function_params(call->callee, &variadic), need = 0;

	for (size_t i = 0; i < spec->nargs; i++)
		if (spec->args[i].index + 1 > need)
			need = spec->args[i].index + 1;
	return n < 0 || (variadic ? n <= need : n >= need);
}

static void report(struct iotb_checker_ctx *cc, CXCursor call, const char *message,
                   bool through_pointer, CXCursor binding)
{
	struct iotb_finding *f;

	f = iotb_checker_report(cc, RULE_INJECTION, call, "%s%s", message,
				through_pointer ? " (called through a function pointer)" : "");
	if (f && through_pointer)
		iotb_checker_relate(cc, f, binding, "function pointer bound here");
}

/* --- commands from a constant table: cmds[i].cmd -------------------------- */

struct field_scan {
	const char *field;      /* the field looked for */
	char *names[64];        /* the record's fields in order */
	unsigned nnames, index;
	bool constant;
};

static enum CXVisitorResult take_field_name(CXCursor c, CXClientData data)
{
	struct field_scan *fs = data;

	if (fs->nnames < 64)
		fs->names[fs->nnames++] = iotb_cursor_name(c);
	return CXVisit_Continue;
}

/* One element of a struct initialiser: is it the field, and constant? */
static enum CXChildVisitResult scan_struct_element(CXCursor c, CXCursor parent,
                                                   CXClientData data)
{
	struct field_scan *fs = data;
	CXCursor value = c, first = iotb_expr_child(c, 0);

	(void)parent;
	if (clang_getCursorKind(c) == CXCursor_UnexposedExpr &&
	    clang_getCursorKind(first) == CXCursor_MemberRef) {   /* .field = value */
		char *name = iotb_cursor_name(first);

		for (unsigned i = 0; i < fs->nnames; i++)
			if (!strcmp(fs->names[i], name))
				fs->index = i;
		free(name);
		value = iotb_expr_child(c, 1);
	}
	if (fs->index < fs->nnames && !strcmp(fs->names[fs->index], fs->field) &&
	    !(iotb_expr_const_string_size(value) > 0))
		fs->constant = false;
	fs->index++;
	return CXChildVisit_Continue;
}

static enum CXChildVisitResult scan_array_element(CXCursor c, CXCursor parent,
                                                  CXClientData data)
{
	struct field_scan *fs = data;

	(void)parent;
	if (clang_getCursorKind(iotb_expr_strip(c)) != CXCursor_InitListExpr) {
		fs->constant = false;
		return CXChildVisit_Break;
	}
	fs->index = 0;
	clang_visitChildren(iotb_expr_strip(c), scan_struct_element, fs);
	return fs->constant ? CXChildVisit_Continue : CXChildVisit_Break;
}

/* Is e a field of a const struct (or of an element of a const array of
 * structs) that every initialiser sets to a constant string? */
static bool is_constant_table_field(CXCursor e)
{
	CXCursor s = iotb_expr_strip(e), base, var, init;
	CXType t, rec;
	struct field_scan fs;
	bool is_array;
	char *field;

	if (clang_getCursorKind(s) != CXCursor_MemberRefExpr)
		return false;
	base = iotb_expr_strip(iotb_expr_child(s, 0));
	if (clang_getCursorKind(base) == CXCursor_ArraySubscriptExpr)
		base = iotb_expr_strip(iotb_expr_child(base, 0));
	var = iotb_expr_referenced_var(base);
	if (clang_Cursor_isNull(var) || clang_getCursorKind(var) != CXCursor_VarDecl)
		return false;
	t = clang_getCanonicalType(clang_getCursorType(var));
	is_array = t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray;
	rec = is_array ? clang_getArrayElementType(t) : t;
	init = iotb_expr_strip(clang_Cursor_getVarDeclInitializer(var));
	if (!(clang_isConstQualifiedType(rec) || clang_isConstQualifiedType(t) ||
	      clang_isConstQualifiedType(clang_getArrayElementType(clang_getCursorType(var)))) ||
	    clang_getCursorKind(init) != CXCursor_InitListExpr)
		return false;
	field = iotb_cursor_name(s);
	memset(&fs, 0, sizeof(fs));
	fs.field = field;
	fs.constant = true;
	clang_Type_visitFields(clang_getCanonicalType(rec), take_field_name, &fs);
	clang_visitChildren(init, is_array ? scan_array_element : scan_struct_element, &fs);
	for (unsigned i = 0; i < fs.nnames; i++)
		free(fs.names[i]);
	free(field);
	return fs.constant && fs.nnames > 0;
}

/* Check command expression cmd of call: constant → nothing; a local
 * variable → decided at the function's end; else a finding. */
static void check_command(struct iotb_checker_ctx *cc, const struct iotb_call *call,
                          CXCursor cmd, const char *what)
{
	struct state *st = cc->state;
	CXCursor var;
	char *text, *message;

	if (clang_Cursor_isNull(cmd) || iotb_expr_const_string_size(cmd) > 0 ||
	    is_constant_table_field(cmd))
		return;
	text = iotb_cursor_text(cmd, 40);
	message = iotb_xasprintf("'%s' runs %s '%s', which is not built only from literals",
				 call->name, what, text ? text : "?");
	free(text);
	var = iotb_expr_local_buffer(cmd);
	if (!clang_Cursor_isNull(var)) {
		struct pending *p;

		st->pending = iotb_xrealloc(st->pending, (st->npending + 1) * sizeof(*st->pending));
		p = &st->pending[st->npending++];
		p->call = call->expr;
		p->var = var;
		p->message = message;
		p->through_pointer = call->through_pointer;
		p->binding = call->binding;
		return;
	}
	report(cc, call->expr, message, call->through_pointer, call->binding);
	free(message);
}

static bool is_shell(const struct state *st, CXCursor prog)
{
	char *text = iotb_expr_literal_text(prog, NULL);
	bool hit = text && iotb_param_match(st->shells, text) != NULL;

	free(text);
	return hit;
}

static bool is_dash_c(CXCursor e)
{
	char *text = iotb_expr_literal_text(e, NULL);
	bool hit = text && !strcmp(text, "-c");

	free(text);
	return hit;
}

/* Elements of a local argv array's initialiser list (stripped). */
struct elements {
	CXCursor v[32];
	unsigned n;
};

static enum CXChildVisitResult take_element(CXCursor c, CXCursor parent, CXClientData data)
{
	struct elements *el = data;

	(void)parent;
	if (el->n < 32)
		el->v[el->n++] = iotb_expr_strip(c);
	return CXChildVisit_Continue;
}

static void check_shell_list(struct iotb_checker_ctx *cc, const struct iotb_call *call,
                             unsigned first)
{
	for (unsigned i = first; i + 1 < call->nargs; i++)
		if (is_dash_c(iotb_call_arg(call, i))) {
			check_command(cc, call, iotb_call_arg(call, i + 1), "the shell command");
			return;
		}
}

static void check_shell_argv(struct iotb_checker_ctx *cc, const struct iotb_call *call,
                             CXCursor argv)
{
	CXCursor var = iotb_expr_referenced_var(argv), init;
	struct elements el = { .n = 0 };

	if (clang_Cursor_isNull(var) || clang_getCursorKind(var) != CXCursor_VarDecl)
		return;
	init = iotb_expr_strip(clang_Cursor_getVarDeclInitializer(var));
	if (clang_getCursorKind(init) != CXCursor_InitListExpr)
		return;
	clang_visitChildren(init, take_element, &el);
	for (unsigned i = 0; i + 1 < el.n; i++)
		if (is_dash_c(el.v[i])) {
			check_command(cc, call, el.v[i + 1], "the shell command");
			return;
		}
}

static void on_call(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	struct state *st = cc->state;
	const struct iotb_call *call = ev->call;
	const struct iotb_funcspec *spec;
	CXCursor cmd;
	int list, argv;

	if (!call->name)
		return;
	iotb_local_writes_note_call(&st->writes, call, is_constant_fill, st);
	spec = iotb_param_match(st->functions, call->name);
	if (!spec || !has_shape(call, spec))
		return;
	cmd = iotb_call_arg(call, (unsigned)iotb_funcspec_arg(spec, "cmd"));
	list = iotb_funcspec_arg(spec, "list");
	argv = iotb_funcspec_arg(spec, "argv");
	if ((list >= 0 || argv >= 0) && iotb_expr_const_string_size(cmd) > 0) {
		if (!is_shell(st, cmd))
			return;   /* a fixed program: its arguments are not a shell command */
		if (list >= 0)
			check_shell_list(cc, call, (unsigned)list);
		else
			check_shell_argv(cc, call, iotb_call_arg(call, (unsigned)argv));
		return;
	}
	check_command(cc, call, cmd, list >= 0 || argv >= 0 ? "program" : "command");
}

static void on_function_end(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	struct state *st = cc->state;

	(void)ev;
	for (size_t i = 0; i < st->npending; i++) {
		const struct pending *p = &st->pending[i];

		if (iotb_local_writes_has_unknown(&st->writes, p->var))
			report(cc, p->call, p->message, p->through_pointer, p->binding);
	}
	forget_function(st);
}

const struct iotb_checker iotb_checker_command_injection = {
	.name = "command_injection",
	.rules = rules,
	.init = init,
	.release = release,
	.on_call = on_call,
	.on_var_decl = on_var_decl,
	.on_assign = on_assign,
	.on_function_end = on_function_end,
};
