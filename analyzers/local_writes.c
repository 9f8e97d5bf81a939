/*
 * local_writes.c — local variables and their writes within one function
 * (checker.h), for checkers that accept "a local buffer filled only by
 * constant writes" (format_string, command_injection): which expression
 * designates a local buffer, which call arguments the callee may write,
 * and the per-function list of writes, each constant or not.
 */
#include <stdlib.h>

#include "checker.h"

bool iotb_var_is_local(CXCursor var)
{
	return clang_getCursorKind(var) == CXCursor_VarDecl &&
	       !clang_Cursor_hasVarDeclGlobalStorage(var);
}

CXCursor iotb_expr_local_buffer(CXCursor e)
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
	return !clang_Cursor_isNull(var) && iotb_var_is_local(var) ? var : clang_getNullCursor();
}

bool iotb_call_param_is_read_only(const struct iotb_call *call, unsigned i)
{
	CXType fn = clang_getCanonicalType(clang_getCursorType(call->callee));
	CXType p;

	if (clang_Cursor_isNull(call->callee) || fn.kind != CXType_FunctionProto ||
	    (int)i >= clang_getNumArgTypes(fn))
		return false;
	p = clang_getCanonicalType(clang_getArgType(fn, i));
	return p.kind == CXType_Pointer && clang_isConstQualifiedType(clang_getPointeeType(p));
}

void iotb_local_writes_add(struct iotb_local_writes *w, CXCursor var, bool constant)
{
	w->v = iotb_xrealloc(w->v, (w->n + 1) * sizeof(*w->v));
	w->v[w->n].var = var;
	w->v[w->n].constant = constant;
	w->n++;
}

bool iotb_local_writes_has_unknown(const struct iotb_local_writes *w, CXCursor var)
{
	for (size_t i = 0; i < w->n; i++)
		if (!w->v[i].constant && clang_equalCursors(w->v[i].var, var))
			return true;
	return false;
}

void iotb_local_writes_note_call(struct iotb_local_writes *w, const struct iotb_call *call,
                                 iotb_constant_fill_fn *is_constant_fill, const void *data)
{
	for (unsigned i = 0; i < call->nargs; i++) {
		CXCursor var = iotb_expr_local_buffer(clang_Cursor_getArgument(call->expr, i));

		if (clang_Cursor_isNull(var) || iotb_call_param_is_read_only(call, i))
			continue;
		iotb_local_writes_add(w, var, is_constant_fill(data, call, i));
	}
}

void iotb_local_writes_clear(struct iotb_local_writes *w)
{
	if (!w)
		return;
	free(w->v);
	w->v = NULL;
	w->n = 0;
}
