/*
 * cursor.c — what checkers ask of expressions and declarations
 * (checker.h): stripping casts, constant string sizes, array capacities,
 * integer constants (as the compiler folds them), the variable or name
 * behind a buffer expression, source text, format attributes, parameter
 * counts.  Everything here reads libclang's AST; nothing evaluates code.
 */
#include <stdlib.h>
#include <string.h>

#include "checker.h"

char *iotb_cxstring_take(CXString s)
{
	const char *p = clang_getCString(s);
	char *copy = iotb_xstrdup(p ? p : "");

	clang_disposeString(s);
	return copy;
}

char *iotb_cursor_name(CXCursor c)
{
	return iotb_cxstring_take(clang_getCursorSpelling(c));
}

bool iotb_cursor_in_system_header(CXCursor c)
{
	return clang_Location_isInSystemHeader(clang_getCursorLocation(c)) != 0;
}

struct children {
	CXCursor expr;       /* the last expression child */
	unsigned nexpr;      /* expression children */
	unsigned n;          /* all children */
};

static enum CXChildVisitResult count_child(CXCursor c, CXCursor parent, CXClientData data)
{
	struct children *ch = data;

	(void)parent;
	ch->n++;
	if (clang_isExpression(clang_getCursorKind(c))) {
		ch->expr = c;
		ch->nexpr++;
	}
	return CXChildVisit_Continue;
}

static struct children children_of(CXCursor c)
{
	struct children ch = { clang_getNullCursor(), 0, 0 };

	clang_visitChildren(c, count_child, &ch);
	return ch;
}

CXCursor iotb_expr_strip(CXCursor e)
{
	for (unsigned guard = 0; guard < 64 && !clang_Cursor_isNull(e); guard++) {
		enum CXCursorKind k = clang_getCursorKind(e);
		struct children ch;

		if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr &&
		    k != CXCursor_CStyleCastExpr)
			break;
		ch = children_of(e);
		if (ch.nexpr != 1 || (k != CXCursor_CStyleCastExpr && ch.n != 1))
			break;
		e = ch.expr;
	}
	return e;
}

struct nth {
	unsigned want, seen;
	CXCursor found;
};

static enum CXChildVisitResult take_nth(CXCursor c, CXCursor parent, CXClientData data)
{
	struct nth *n = data;

	(void)parent;
	if (n->seen++ == n->want) {
		n->found = c;
		return CXChildVisit_Break;
	}
	return CXChildVisit_Continue;
}

CXCursor iotb_expr_child(CXCursor c, unsigned i)
{
	struct nth n = { i, 0, clang_getNullCursor() };

	if (!clang_Cursor_isNull(c))
		clang_visitChildren(c, take_nth, &n);
	return n.found;
}

CXCursor iotb_call_arg(const struct iotb_call *call, unsigned i)
{
	if (!call || i >= call->nargs)
		return clang_getNullCursor();
	return iotb_expr_strip(clang_Cursor_getArgument(call->expr, i));
}

struct three {
	CXCursor c[3];
	unsigned n;
};

static enum CXChildVisitResult take_three(CXCursor c, CXCursor parent, CXClientData data)
{
	struct three *t = data;

	(void)parent;
	if (t->n < 3)
		t->c[t->n] = c;
	t->n++;
	return CXChildVisit_Continue;
}

/* The two branches of a conditional operator (cond ? a : b). */
static bool conditional_branches(CXCursor e, CXCursor *a, CXCursor *b)
{
	struct three t = { { clang_getNullCursor(), clang_getNullCursor(),
			     clang_getNullCursor() }, 0 };

	if (clang_getCursorKind(e) != CXCursor_ConditionalOperator)
		return false;
	clang_visitChildren(e, take_three, &t);
	if (t.n != 3)
		return false;
	*a = t.c[1];
	*b = t.c[2];
	return true;
}

static bool is_char_type(CXType t)
{
	switch (clang_getCanonicalType(t).kind) {
	case CXType_Char_S: case CXType_Char_U: case CXType_SChar: case CXType_UChar:
	case CXType_WChar: case CXType_Char16: case CXType_Char32:
		return true;
	default:
		return false;
	}
}

/* Elements of a constant array type, or -1. */
static long long array_elements(CXType t)
{
	t = clang_getCanonicalType(t);
	if (t.kind != CXType_ConstantArray)
		return -1;
	return clang_getArraySize(t);
}

static long long var_string_size(CXCursor var)
{
	CXType t = clang_getCursorType(var);
	CXType canon = clang_getCanonicalType(t);
	CXCursor init;

	if (clang_getCursorKind(var) != CXCursor_VarDecl)
		return -1;
	init = clang_Cursor_getVarDeclInitializer(var);
	if (canon.kind == CXType_ConstantArray) {
		/* const char s[N] = "…": the contents never exceed N - 1 */
		if (!(clang_isConstQualifiedType(t) || clang_isConstQualifiedType(canon) ||
		      clang_isConstQualifiedType(clang_getArrayElementType(t))) ||
		    !is_char_type(clang_getArrayElementType(canon)) || clang_Cursor_isNull(init))
			return -1;
		return array_elements(canon);
	}
	if (canon.kind == CXType_Pointer && clang_isConstQualifiedType(t) &&
	    clang_isConstQualifiedType(clang_getPointeeType(canon)) && !clang_Cursor_isNull(init))
		return iotb_expr_const_string_size(init);   /* const char *const s = "…" */
	return -1;
}

long long iotb_expr_const_string_size(CXCursor e)
{
	CXCursor s = iotb_expr_strip(e), a, b;

	switch (clang_getCursorKind(s)) {
	case CXCursor_StringLiteral:
		return array_elements(clang_getCursorType(s));
	case CXCursor_ConditionalOperator:
		if (conditional_branches(s, &a, &b)) {
			long long x = iotb_expr_const_string_size(a);
			long long y = iotb_expr_const_string_size(b);

			return x < 0 || y < 0 ? -1 : x > y ? x : y;
		}
		return -1;
	case CXCursor_DeclRefExpr:
		return var_string_size(clang_getCursorReferenced(s));
	default:
		return -1;
	}
}

bool iotb_expr_is_literal(CXCursor e)
{
	CXCursor s = iotb_expr_strip(e), a, b;

	if (clang_getCursorKind(s) == CXCursor_StringLiteral)
		return true;
	return conditional_branches(s, &a, &b) && iotb_expr_is_literal(a) &&
	       iotb_expr_is_literal(b);
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The bytes of a C string literal's spelling ("…", escapes as clang's
 * StringLiteral::outputString writes them) into sb. */
static void unescape_literal(const char *p, struct iotb_strbuf *sb)
{
	static const char simple[] = "n\nt\tr\ra\ab\bf\fv\ve\033";

	for (; *p && *p != '"'; p++) {
		char c = *p;

		if (c == '\\' && p[1]) {
			const char *e;

			c = *++p;
			if (c == 'x') {
				int v = 0, d;

				while ((d = hex_value(p[1])) >= 0) {
					v = v * 16 + d;
					p++;
				}
				c = (char)v;
			} else if (c >= '0' && c <= '7') {
				int v = c - '0';

				for (int k = 0; k < 2 && p[1] >= '0' && p[1] <= '7'; k++)
					v = v * 8 + (*++p - '0');
				c = (char)v;
			} else if ((e = strchr(simple, c)) && (e - simple) % 2 == 0) {
				c = e[1];
			}
		}
		iotb_strbuf_add(sb, &c, 1);
	}
}

char *iotb_expr_literal_text(CXCursor e, size_t *len)
{
	CXCursor s = iotb_expr_strip(e);
	CXType elem;
	CXString spelling;
	const char *p;
	struct iotb_strbuf sb;

	if (clang_getCursorKind(s) != CXCursor_StringLiteral)
		return NULL;
	elem = clang_getCanonicalType(clang_getArrayElementType(clang_getCursorType(s)));
	if (elem.kind != CXType_Char_S && elem.kind != CXType_Char_U &&
	    elem.kind != CXType_SChar && elem.kind != CXType_UChar)
		return NULL;
	spelling = clang_getCursorSpelling(s);
	p = clang_getCString(spelling);
	if (!p || !(p = strchr(p, '"'))) {
		clang_disposeString(spelling);
		return NULL;
	}
	iotb_strbuf_init(&sb);
	unescape_literal(p + 1, &sb);
	clang_disposeString(spelling);
	if (len)
		*len = sb.len;
	return iotb_strbuf_detach(&sb);
}

long long iotb_expr_array_capacity(CXCursor e, long long *elem_size)
{
	CXCursor s = iotb_expr_strip(e);
	CXType t = clang_getCanonicalType(clang_getCursorType(s));
	enum CXCursorKind k = clang_getCursorKind(s);

	if (t.kind != CXType_ConstantArray)
		return -1;
	if (k != CXCursor_DeclRefExpr && k != CXCursor_MemberRefExpr &&
	    k != CXCursor_ArraySubscriptExpr)
		return -1;
	if (elem_size)
		*elem_size = clang_Type_getSizeOf(clang_getArrayElementType(t));
	return clang_getArraySize(t);
}

CXCursor iotb_expr_referenced_var(CXCursor e)
{
	CXCursor s = iotb_expr_strip(e), ref;
	enum CXCursorKind k;

	if (clang_getCursorKind(s) != CXCursor_DeclRefExpr)
		return clang_getNullCursor();
	ref = clang_getCursorReferenced(s);
	k = clang_getCursorKind(ref);
	return k == CXCursor_VarDecl || k == CXCursor_ParmDecl ? ref : clang_getNullCursor();
}

static bool is_word_token(CXTokenKind k)
{
	return k == CXToken_Identifier || k == CXToken_Keyword || k == CXToken_Literal;
}

char *iotb_cursor_text(CXCursor c, size_t max)
{
	CXTranslationUnit tu = clang_Cursor_getTranslationUnit(c);
	CXToken *tokens = NULL;
	unsigned n = 0;
	struct iotb_strbuf sb;
	CXTokenKind prev = CXToken_Punctuation;

	iotb_strbuf_init(&sb);
	if (!tu)
		return iotb_strbuf_detach(&sb);
	clang_tokenize(tu, clang_getCursorExtent(c), &tokens, &n);
	for (unsigned i = 0; i < n && sb.len <= max; i++) {
		CXTokenKind k = clang_getTokenKind(tokens[i]);
		CXString s = clang_getTokenSpelling(tu, tokens[i]);
		const char *p = clang_getCString(s);

		if (i && is_word_token(k) && is_word_token(prev))
			iotb_strbuf_adds(&sb, " ");
		iotb_strbuf_adds(&sb, p ? p : "");
		clang_disposeString(s);
		prev = k;
	}
	if (tokens)
		clang_disposeTokens(tu, tokens, n);
	if (sb.len > max) {
		sb.len = max;
		sb.buf[sb.len] = '\0';
		iotb_strbuf_adds(&sb, "…");
	}
	return iotb_strbuf_detach(&sb);
}

/* "format(printf, F, A)" (or __format__/__printf__/gnu_printf) in the
 * pretty-printed declaration text; F - 1 into *fmt_index. */
static bool find_format_attr(const char *text, unsigned *fmt_index)
{
	const char *p = text;

	while ((p = strstr(p, "format"))) {
		const char *q = p + strlen("format");
		char *end;
		unsigned long f;

		p = q;
		while (*q == '_')
			q++;
		if (*q != '(')
			continue;
		q++;
		while (*q == ' ')
			q++;
		end = strchr(q, ',');
		if (!end || end - q > 32)
			continue;
		{
			char *arche = iotb_xstrndup(q, (size_t)(end - q));
			bool printf_like = strstr(arche, "printf") != NULL;

			free(arche);
			if (!printf_like)
				continue;
		}
		f = strtoul(end + 1, &end, 10);
		if (f == 0)
			continue;
		*fmt_index = (unsigned)(f - 1);
		return true;
	}
	return false;
}

static bool decl_format_arg(CXCursor fn, unsigned *fmt_index)
{
	CXPrintingPolicy policy;
	CXString s;
	bool found;

	if (clang_Cursor_isNull(fn) || !clang_Cursor_hasAttrs(fn))
		return false;
	policy = clang_getCursorPrintingPolicy(fn);
	clang_PrintingPolicy_setProperty(policy, CXPrintingPolicy_TerseOutput, 1);
	s = clang_getCursorPrettyPrinted(fn, policy);
	found = clang_getCString(s) && find_format_attr(clang_getCString(s), fmt_index);
	clang_disposeString(s);
	clang_PrintingPolicy_dispose(policy);
	return found;
}

bool iotb_function_format_arg(CXCursor fn, unsigned *fmt_index)
{
	return decl_format_arg(fn, fmt_index) ||
	       decl_format_arg(clang_getCanonicalCursor(fn), fmt_index);
}

int iotb_function_params(CXCursor fn, bool *variadic)
{
	CXType t = clang_getCanonicalType(clang_getCursorType(fn));

	if (variadic)
		*variadic = false;
	if (t.kind != CXType_FunctionProto)
		return -1;
	if (variadic)
		*variadic = clang_isFunctionTypeVariadic(t) != 0;
	return clang_getNumArgTypes(t);
}

long long iotb_expr_const_value(CXCursor e)
{
	CXEvalResult r;
	long long v = -1;

	if (clang_Cursor_isNull(e) || !clang_isExpression(clang_getCursorKind(e)))
		return -1;
	r = clang_Cursor_Evaluate(e);
	if (!r)
		return -1;
	if (clang_EvalResult_getKind(r) == CXEval_Int)
		v = clang_EvalResult_getAsLongLong(r);
	clang_EvalResult_dispose(r);
	return v;
}

CXCursor iotb_expr_buffer_var(CXCursor e)
{
	CXCursor s = iotb_expr_strip(e), var = iotb_expr_referenced_var(s);

	for (int depth = 0; clang_Cursor_isNull(var) && depth < 3; depth++) {
		enum CXCursorKind k = clang_getCursorKind(s);

		if (k != CXCursor_UnaryOperator && k != CXCursor_ArraySubscriptExpr &&
		    k != CXCursor_BinaryOperator)
			break;
		s = iotb_expr_strip(iotb_expr_child(s, 0));
		var = iotb_expr_referenced_var(s);
	}
	return var;
}

char *iotb_expr_lvalue_name(CXCursor e)
{
	CXCursor s = iotb_expr_strip(e);

	for (int depth = 0; depth < 4; depth++) {
		enum CXCursorKind k = clang_getCursorKind(s);

		if (k == CXCursor_DeclRefExpr || k == CXCursor_MemberRefExpr)
			return iotb_cursor_name(s);
		if (k != CXCursor_UnaryOperator && k != CXCursor_ArraySubscriptExpr)
			return NULL;
		s = iotb_expr_strip(iotb_expr_child(s, 0));
	}
	return NULL;
}
