/*
 * unsafe_string.c — unbounded string handling (27402 5.2.6.2; CWE-242,
 * CWE-120, CWE-676).
 *
 * strings.gets: every call of gets() (no bound exists).
 * strings.unsafe-copy: strcpy/stpcpy/wcscpy-like copies, strcat-like
 * appends and sprintf/vsprintf-like formatting into a buffer, unless the
 * copy is provably safe: a constant source (literal, concatenated
 * literals, macro, const array) whose size fits the destination array, or
 * a format whose conversions are all bounded and fit.  Appends and
 * va_list formats with conversions are never provably safe.  Calls through
 * macros are reported at the expansion site; calls through function
 * pointers bound in the TU are reported at the call.
 *
 * The callee is resolved, not matched by name alone: a function whose
 * prototype has a different number of parameters than the listed roles
 * (a project's own bounded `strcat(dst, cap, src)`) is not the libc one.
 *
 * Known false positives: a copy whose source length is checked against
 * the destination earlier (no path analysis yet); appends after a
 * provably short prefix.
 *
 * strings.scanf-unbounded: a scanf-family call whose literal format has a
 * %s or %[ conversion without a field width (and without the allocating
 * `m` modifier): the input decides how much is written.
 *
 * strings.bounded-overflow: a bounded call whose constant size exceeds the
 * destination array: strncpy-like copies with a count larger than the
 * array (in elements), memcpy/memmove with a byte count larger than the
 * array, strncat-like appends whose count is not smaller than the array
 * (no room left for the terminator).  strncpy(ssid, "hello", sizeof ssid)
 * is fine.  The last field of a struct with one element (the old
 * flexible array member idiom) is not judged.
 *
 * YAML (rules/strings.yaml): strings.gets `functions` (args {dst});
 * strings.scanf-unbounded `functions` (args {fmt}); strings.bounded-overflow
 * `copy_functions` (count in elements), `memory_functions` (count in
 * bytes) and `append_functions` (args {dst, size} each);
 * strings.unsafe-copy `copy_functions`, `append_functions` (args {dst,
 * src}) and `format_functions` (args {dst, fmt} and va when the arguments
 * come as a va_list).  An entry without args (a plain name, e.g. added
 * with `extend:` in .iotb.yml) gets dst 0 and src/fmt 1.
 */
#include <stdlib.h>
#include <string.h>

#include "checker.h"

enum { RULE_GETS, RULE_UNSAFE_COPY, RULE_SCANF, RULE_BOUNDED };

static const char *const rules[] = {
	"strings.gets", "strings.unsafe-copy", "strings.scanf-unbounded",
	"strings.bounded-overflow", NULL,
};

struct state {
	const struct iotb_param *gets;
	const struct iotb_param *copy;
	const struct iotb_param *append;
	const struct iotb_param *format;
	const struct iotb_param *scanf;
	const struct iotb_param *copy_n;
	const struct iotb_param *mem_n;
	const struct iotb_param *append_n;
};

/* An entry of list p that names roles must name all of these; one without
 * any roles gets the defaults (dst 0, then src or fmt 1, as libc has them). */
static int require_roles(const struct iotb_param *p, const char *const *roles)
{
	for (size_t i = 0; p && i < p->nspecs; i++)
		for (const char *const *r = roles; *r && p->specs[i].nargs; r++)
			if (iotb_funcspec_arg(&p->specs[i], *r) < 0)
				return iotb_fail("%s: '%s' needs the argument role '%s'",
						 p->specs[i].origin, p->specs[i].pattern, *r);
	return 0;
}

/* Every entry of list p must name these roles (no defaults exist). */
static int require_explicit_roles(const struct iotb_param *p, const char *const *roles)
{
	for (size_t i = 0; p && i < p->nspecs; i++)
		for (const char *const *r = roles; *r; r++)
			if (iotb_funcspec_arg(&p->specs[i], *r) < 0)
				return iotb_fail("%s: '%s' needs the argument role '%s'",
						 p->specs[i].origin, p->specs[i].pattern, *r);
	return 0;
}

/* Index of role in spec: as written, else the default (dst 0; src, fmt 1). */
static int role_index(const struct iotb_funcspec *spec, const char *role)
{
	if (spec->nargs)
		return iotb_funcspec_arg(spec, role);
	if (!strcmp(role, "dst"))
		return 0;
	if (!strcmp(role, "src") || !strcmp(role, "fmt"))
		return 1;
	return -1;
}

static int init(struct iotb_checker_ctx *cc)
{
	static const char *const dst[] = { "dst", NULL };
	static const char *const dst_src[] = { "dst", "src", NULL };
	static const char *const dst_fmt[] = { "dst", "fmt", NULL };
	static const char *const fmt[] = { "fmt", NULL };
	static const char *const dst_size[] = { "dst", "size", NULL };
	struct state *st = iotb_xcalloc(1, sizeof(*st));

	cc->state = st;
	st->gets = iotb_checker_param(cc, RULE_GETS, "functions");
	st->copy = iotb_checker_param(cc, RULE_UNSAFE_COPY, "copy_functions");
	st->append = iotb_checker_param(cc, RULE_UNSAFE_COPY, "append_functions");
	st->format = iotb_checker_param(cc, RULE_UNSAFE_COPY, "format_functions");
	st->scanf = iotb_checker_param(cc, RULE_SCANF, "functions");
	st->copy_n = iotb_checker_param(cc, RULE_BOUNDED, "copy_functions");
	st->mem_n = iotb_checker_param(cc, RULE_BOUNDED, "memory_functions");
	st->append_n = iotb_checker_param(cc, RULE_BOUNDED, "append_functions");
	if (require_roles(st->gets, dst) < 0 || require_roles(st->copy, dst_src) < 0 ||
	    require_roles(st->append, dst_src) < 0 || require_roles(st->format, dst_fmt) < 0 ||
	    require_explicit_roles(st->scanf, fmt) < 0 ||
	    require_explicit_roles(st->copy_n, dst_size) < 0 ||
	    require_explicit_roles(st->mem_n, dst_size) < 0 ||
	    require_explicit_roles(st->append_n, dst_size) < 0)
		return -1;
	return 0;
}

static void release(struct iotb_checker_ctx *cc)
{
	free(cc->state);
	cc->state = NULL;
}

/* Is the resolved callee the function spec describes?  Its prototype
 * must have as many fixed parameters as the spec has roles (default_roles
 * for an entry without any). */
static bool has_spec_shape(const struct iotb_call *call, const struct iotb_funcspec *spec,
                           size_t default_roles)
{
	int n = iotb_function_params(call->callee, NULL);

	return n < 0 || (size_t)n == (spec->nargs ? spec->nargs : default_roles);
}

static const struct iotb_funcspec *match(const struct iotb_param *p,
                                         const struct iotb_call *call, size_t default_roles)
{
	const struct iotb_funcspec *spec = iotb_param_match(p, call->name);

	return spec && has_spec_shape(call, spec, default_roles) ? spec : NULL;
}

static CXCursor role_arg(const struct iotb_call *call, const struct iotb_funcspec *spec,
                         const char *role)
{
	int i = role_index(spec, role);

	return i < 0 ? clang_getNullCursor() : iotb_call_arg(call, (unsigned)i);
}

static void check_gets(struct iotb_checker_ctx *cc, const struct iotb_call *call,
                       const struct iotb_funcspec *spec)
{
	CXCursor dst = role_arg(call, spec, "dst");
	char *d = iotb_cursor_text(dst, 40);
	struct iotb_finding *f;

	f = iotb_checker_report(cc, RULE_GETS, call->expr,
				"'%s' reads a line of any length into '%s'%s", call->name, d,
				iotb_call_via(call));
	iotb_checker_relate_binding(cc, f, call);
	free(d);
}

/* "'name' (32 bytes)" for an array destination, "'p'" otherwise.  Owned. */
static char *describe_dst(CXCursor dst, long long *cap)
{
	long long elem = 1;
	char *text = iotb_cursor_text(dst, 40), *d;

	*cap = iotb_expr_array_capacity(dst, &elem);
	if (*cap > 0)
		d = iotb_xasprintf("'%s' (%lld %s)", text, *cap, elem > 1 ? "elements" : "bytes");
	else
		d = iotb_xasprintf("'%s'", text);
	free(text);
	return d;
}

static void check_copy(struct iotb_checker_ctx *cc, const struct iotb_call *call,
                       const struct iotb_funcspec *spec)
{
	CXCursor dst = role_arg(call, spec, "dst"), src = role_arg(call, spec, "src");
	long long size = iotb_expr_const_string_size(src), cap;
	char *d = describe_dst(dst, &cap), *s;
	struct iotb_finding *f;

	if (cap > 0 && size > 0 && size <= cap) {
		free(d);
		return;   /* provably fits */
	}
	s = iotb_cursor_text(src, 40);
	if (cap > 0 && size > 0)
		f = iotb_checker_report(cc, RULE_UNSAFE_COPY, call->expr,
					"'%s' copies %lld bytes into %s%s", call->name, size,
					d, iotb_call_via(call));
	else if (size > 0)
		f = iotb_checker_report(cc, RULE_UNSAFE_COPY, call->expr,
					"'%s' copies %lld bytes into %s, whose size is not known "
					"here%s", call->name, size, d, iotb_call_via(call));
	else
		f = iotb_checker_report(cc, RULE_UNSAFE_COPY, call->expr,
					"'%s' copies '%s' of unchecked length into %s%s", call->name,
					s, d, iotb_call_via(call));
	iotb_checker_relate_binding(cc, f, call);
	free(d);
	free(s);
}

static void check_append(struct iotb_checker_ctx *cc, const struct iotb_call *call,
                         const struct iotb_funcspec *spec)
{
	CXCursor dst = role_arg(call, spec, "dst"), src = role_arg(call, spec, "src");
	long long cap;
	char *d, *s;
	struct iotb_finding *f;

	if (iotb_expr_const_string_size(src) == 1)
		return;   /* appending "" */
	d = describe_dst(dst, &cap);
	s = iotb_cursor_text(src, 40);
	f = iotb_checker_report(cc, RULE_UNSAFE_COPY, call->expr,
				"'%s' appends '%s' to %s without checking the room left%s",
				call->name, s, d, iotb_call_via(call));
	iotb_checker_relate_binding(cc, f, call);
	free(d);
	free(s);
}

/* --- the longest output of a printf format ------------------------------- */

/* Digits (and sign) an integer of bytes can need in base 10/8/16. */
static long long int_width(long long bytes, char conv, bool alt)
{
	static const long long dec_signed[] = { 0, 4, 6, 0, 11, 0, 0, 0, 20 };
	static const long long dec_unsigned[] = { 0, 3, 5, 0, 10, 0, 0, 0, 20 };

	if (bytes < 1 || bytes > 8)
		bytes = 8;
	switch (conv) {
	case 'd': case 'i':
		return dec_signed[bytes] ? dec_signed[bytes] : 20;
	case 'u':
		return dec_unsigned[bytes] ? dec_unsigned[bytes] : 20;
	case 'x': case 'X':
		return bytes * 2 + (alt ? 2 : 0);
	case 'o':
		return (bytes * 8 + 2) / 3 + (alt ? 1 : 0);
	default:
		return -1;
	}
}

static long long parse_number(const char **p)
{
	long long v = 0;

	while (**p >= '0' && **p <= '9') {
		if (v < 1000000)
			v = v * 10 + (**p - '0');
		(*p)++;
	}
	return v;
}

/* Longest output of one conversion whose argument is arg (promoted: the
 * argument as passed, after the default promotions); -1 if unbounded or
 * unknown. */
static long long conversion_max(char conv, bool alt, long long precision, CXCursor arg,
                                CXCursor promoted)
{
	long long size;

	switch (conv) {
	case 'c':
		return 1;
	case '%':
		return 1;
	case 'n':
		return 0;
	case 'p':
		return 18;
	case 's':
		size = clang_Cursor_isNull(arg) ? -1 : iotb_expr_const_string_size(arg);
		if (size > 0 && (precision < 0 || size - 1 < precision))
			return size - 1;
		return precision;
	case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
		if (clang_Cursor_isNull(promoted))
			return -1;
		return int_width(clang_Type_getSizeOf(clang_getCursorType(promoted)), conv, alt);
	default:
		return -1;   /* floating point and anything unknown */
	}
}

/*
 * Longest output of fmt with its arguments starting at argument first of
 * call (va_list: no arguments, every conversion unknown), terminator
 * excluded; -1 when unbounded or unknown.
 */
static long long format_max_length(const char *fmt, const struct iotb_call *call,
                                   unsigned first, bool va)
{
	long long total = 0;
	unsigned arg = first;

	for (const char *p = fmt; *p; p++) {
		long long width = 0, precision = -1, len;
		bool alt = false;
		char conv;

		if (*p != '%') {
			total++;
			continue;
		}
		p++;
		while (*p && strchr("-+ #0'", *p))
			alt |= *p++ == '#';
		if (*p == '*')
			return -1;
		width = parse_number(&p);
		if (*p == '.') {
			p++;
			if (*p == '*')
				return -1;
			precision = parse_number(&p);
		}
		while (*p && strchr("hlLqjzt", *p))
			p++;
		conv = *p;
		if (!conv)
			return -1;
		if (conv != '%' && (va || arg >= call->nargs))
			return -1;
		if (conv == '%')
			len = 1;
		else
			len = conversion_max(conv, alt, precision, iotb_call_arg(call, arg),
					     clang_Cursor_getArgument(call->expr, arg));
		if (conv != '%')
			arg++;
		if (len < 0)
			return -1;
		total += len > width ? len : width;
	}
	return total;
}

static void check_format(struct iotb_checker_ctx *cc, const struct iotb_call *call,
                         const struct iotb_funcspec *spec)
{
	CXCursor dst = role_arg(call, spec, "dst"), fmt = role_arg(call, spec, "fmt");
	long long cap, max = -1;
	bool va = role_index(spec, "va") >= 0;
	char *text = iotb_expr_literal_text(fmt, NULL), *d = describe_dst(dst, &cap);
	struct iotb_finding *f;

	if (text)
		max = format_max_length(text, call,
					(unsigned)role_index(spec, "fmt") + 1, va);
	free(text);
	if (cap > 0 && max >= 0 && max + 1 <= cap) {
		free(d);
		return;   /* every conversion bounded, and it fits */
	}
	if (max >= 0)
		f = iotb_checker_report(cc, RULE_UNSAFE_COPY, call->expr,
					"'%s' writes up to %lld bytes into %s%s", call->name,
					max + 1, d, iotb_call_via(call));
	else
		f = iotb_checker_report(cc, RULE_UNSAFE_COPY, call->expr,
					"'%s' writes output of unbounded length into %s%s",
					call->name, d, iotb_call_via(call));
	iotb_checker_relate_binding(cc, f, call);
	free(d);
}

/* --- scanf conversions without a width ---------------------------------------- */

/* p at '[': move p to the set's closing ']' (or the end). */
static void skip_scanset(const char **p)
{
	(*p)++;
	if (**p == '^')
		(*p)++;
	if (**p == ']')
		(*p)++;
	while (**p && **p != ']')
		(*p)++;
	if (!**p)
		(*p)--;
}

/* The first %s or %[ of scanf format fmt that stores without a field width
 * or the allocating 'm' modifier: its conversion character, or 0.  An
 * assignment-suppressed conversion (%*s) stores nothing. */
static char unbounded_scan_conversion(const char *fmt)
{
	for (const char *p = fmt; *p; p++) {
		bool width = false, alloc = false, suppressed = false;

		if (*p != '%')
			continue;
		p++;
		if (*p == '%')
			continue;
		while ((*p >= '0' && *p <= '9') || *p == '$' || *p == '*') {
			if (*p == '$')
				width = false;     /* %2$s: the digits were a position */
			else if (*p == '*')
				suppressed = true;
			else
				width = true;
			p++;
		}
		while (*p && strchr("hlLqjztm", *p))
			alloc |= *p++ == 'm';
		if (!*p)
			return 0;
		if ((*p == 's' || *p == '[') && !width && !alloc && !suppressed)
			return *p;
		if (*p == '[')
			skip_scanset(&p);
	}
	return 0;
}

static void check_scanf(struct iotb_checker_ctx *cc, const struct iotb_call *call,
                        const struct iotb_funcspec *spec)
{
	int i = iotb_funcspec_arg(spec, "fmt");
	char *text = iotb_expr_literal_text(iotb_call_arg(call, (unsigned)i), NULL);
	char conv = text ? unbounded_scan_conversion(text) : 0;
	struct iotb_finding *f;

	free(text);
	if (!conv)
		return;
	f = iotb_checker_report(cc, RULE_SCANF, call->expr,
				"'%s' reads '%%%c' without a field width: the input decides how "
				"many bytes are stored%s", call->name, conv, iotb_call_via(call));
	iotb_checker_relate_binding(cc, f, call);
}

/* --- bounded calls with a count larger than the destination ---------------------- */

enum count_unit { COUNT_ELEMENTS, COUNT_BYTES, COUNT_APPEND };

static enum CXChildVisitResult take_last_field(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	if (clang_getCursorKind(c) == CXCursor_FieldDecl)
		*(CXCursor *)data = c;
	return CXChildVisit_Continue;
}

/* The last field of a struct of 0 or 1 elements: the pre-C99 flexible
 * array member (`uint8_t data[1];` ending a header), sized by the
 * allocation. */
static bool is_flexible_member(CXCursor dst, long long cap)
{
	CXCursor e = iotb_expr_strip(dst), field, last = clang_getNullCursor();

	if (cap > 1 || clang_getCursorKind(e) != CXCursor_MemberRefExpr)
		return false;
	field = clang_getCursorReferenced(e);
	if (clang_getCursorKind(field) != CXCursor_FieldDecl)
		return false;
	clang_visitChildren(clang_getCursorSemanticParent(field), take_last_field, &last);
	return !clang_Cursor_isNull(last) && clang_equalCursors(last, field);
}

static void check_bounded(struct iotb_checker_ctx *cc, const struct iotb_call *call,
                          const struct iotb_funcspec *spec, enum count_unit unit)
{
	CXCursor dst = iotb_call_arg(call, (unsigned)iotb_funcspec_arg(spec, "dst"));
	CXCursor size = iotb_call_arg(call, (unsigned)iotb_funcspec_arg(spec, "size"));
	long long elem = 1, cap = iotb_expr_array_capacity(dst, &elem);
	long long n = iotb_expr_const_value(size);
	long long room;
	const char *what;
	char *d;
	struct iotb_finding *f;

	if (cap <= 0 || n < 0 || is_flexible_member(dst, cap))
		return;
	room = unit == COUNT_BYTES ? cap * elem : cap;
	if (unit == COUNT_APPEND ? n < room : n <= room)
		return;
	d = iotb_cursor_text(dst, 40);
	what = unit == COUNT_BYTES || elem == 1 ? "bytes" : "elements";
	if (unit == COUNT_APPEND)
		f = iotb_checker_report(cc, RULE_BOUNDED, call->expr,
					"'%s' may append %lld characters and a terminator to '%s' "
					"(%lld %s): the count must leave room for what is already "
					"there and the terminator%s", call->name, n, d, cap, what,
					iotb_call_via(call));
	else
		f = iotb_checker_report(cc, RULE_BOUNDED, call->expr,
					"'%s' writes %lld %s into '%s' (%lld %s)%s", call->name, n,
					unit == COUNT_BYTES || elem == 1 ? "bytes" : "characters", d,
					room, what, iotb_call_via(call));
	iotb_checker_relate_binding(cc, f, call);
	free(d);
}

static void on_call(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	const struct state *st = cc->state;
	const struct iotb_call *call = ev->call;
	const struct iotb_funcspec *spec;

	if (!call->name)
		return;
	if ((spec = match(st->gets, call, 1)))
		check_gets(cc, call, spec);
	else if ((spec = match(st->copy, call, 2)))
		check_copy(cc, call, spec);
	else if ((spec = match(st->append, call, 2)))
		check_append(cc, call, spec);
	else if ((spec = match(st->format, call, 2)))
		check_format(cc, call, spec);
	else if ((spec = iotb_param_match(st->scanf, call->name)))
		check_scanf(cc, call, spec);
	else if ((spec = match(st->copy_n, call, 3)))
		check_bounded(cc, call, spec, COUNT_ELEMENTS);
	else if ((spec = match(st->mem_n, call, 3)))
		check_bounded(cc, call, spec, COUNT_BYTES);
	else if ((spec = match(st->append_n, call, 3)))
		check_bounded(cc, call, spec, COUNT_APPEND);
}

const struct iotb_checker iotb_checker_unsafe_string = {
	.name = "unsafe_string",
	.rules = rules,
	.init = init,
	.release = release,
	.on_call = on_call,
};
