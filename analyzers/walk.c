/*
 * walk.c — the walker: checkers set up from checkers.def and one traversal
 * per parsed translation unit dispatching events to them (walk.h, checker.h).
 *
 * Parsing is in parse.c, reports and paths in checker_report.c.
 *
 * Traversal: one clang_visitChildren with CXChildVisit_Recurse (libclang
 * recurses over statements with its own work list, so deep expressions do
 * not exhaust our stack); the ancestors are kept in a stack rebuilt from
 * the parent each callback gets, which gives the "end" events.  System
 * headers are not entered.  Function pointers bound in the TU (variable
 * initialisers, assignments, struct initialisers) are remembered so calls
 * through them resolve to the bound function.
 */
#include <stdlib.h>
#include <string.h>

#include "walk_int.h"

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

static const struct iotb_checker *test_checker;

void iotb_walk_set_test_checker(const struct iotb_checker *c)
{
	test_checker = c;
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
	w->checkers = iotb_xcalloc(n + 1, sizeof(*w->checkers));
	for (size_t i = 0; i < n + (test_checker != NULL); i++) {
		const struct iotb_checker *c = i < n ? checker_table[i] : test_checker;
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

			if (c->release)
				c->release(cc);   /* what init allocated before failing */
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
	iotb_strset_release(&w->reported);
	iotb_walk_setups_release(w);
	free(w->directory);
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

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
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

/*
 * Is name a FORTIFY variant whose extra parameters come before the plain
 * function's own trailing ones?  The printf and syslog families insert a
 * flag (and sizes) before the format (glibc bits/stdio2.h, bits/syslog.h:
 * __builtin___snprintf_chk(s, n, flag, slen, fmt, …)), so their argument
 * positions differ from the plain function's and the name is kept as is;
 * the rule YAML lists those names with their own positions.  The string and
 * memory functions only append the object size, so they keep positions.
 */
static bool shifts_arguments(const char *name)
{
	return strstr(name, "_chk") && (strstr(name, "printf") || strstr(name, "syslog"));
}

/* "__builtin___strcpy_chk" → "strcpy", "__builtin_strcpy" → "strcpy",
 * "__strcpy_chk" → "strcpy"; a FORTIFY variant that shifts arguments, or
 * any other name: a copy. */
static char *plain_function_name(const char *name)
{
	size_t n;

	if (shifts_arguments(name))
		return iotb_xstrdup(name);
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

void iotb_walk_traverse(struct iotb_walk *w, CXTranslationUnit tu)
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
