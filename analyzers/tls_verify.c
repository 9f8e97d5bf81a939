/*
 * tls_verify.c — TLS peer verification switched off (27402 5.2.5.1.1,
 * 5.2.5.1.2; CWE-295).
 *
 * tls.verify-disabled: a call of a mode function (SSL_CTX_set_verify,
 * SSL_set_verify, wolfSSL_CTX_set_verify, mbedtls_ssl_conf_authmode, …)
 * whose mode argument means "do not verify", or of an option function
 * (curl_easy_setopt) setting a verification option to 0.  The mode is
 * resolved through macros, enumeration constants, integer literals and
 * const variables initialised with one: it is "none" when its spelling
 * names one of `none_constants` or its value is `none_value`.  A mode
 * computed at run time is not reported (no path analysis), nor is a call
 * of a project's own function of that name with a different number of
 * parameters.
 *
 * Known false positives: test code deliberately talking to a local server
 * without verification.
 *
 * YAML (rules/tls.yaml): `mode_functions` (args {mode}), `none_constants`
 * (names), `none_value` (integer, default 0), `option_functions` (args
 * {option, value}), `verify_options` (names).
 */
#include <stdlib.h>
#include <string.h>

#include "checker.h"

enum { RULE_VERIFY_DISABLED };

static const char *const rules[] = { "tls.verify-disabled", NULL };

struct state {
	const struct iotb_param *mode_functions;
	const struct iotb_param *none_constants;
	long none_value;
	const struct iotb_param *option_functions;
	const struct iotb_param *verify_options;
};

static int init(struct iotb_checker_ctx *cc)
{
	struct state *st = iotb_xcalloc(1, sizeof(*st));

	cc->state = st;
	st->mode_functions = iotb_checker_param(cc, RULE_VERIFY_DISABLED, "mode_functions");
	st->none_constants = iotb_checker_param(cc, RULE_VERIFY_DISABLED, "none_constants");
	st->none_value = iotb_param_long(iotb_checker_param(cc, RULE_VERIFY_DISABLED,
							    "none_value"), 0);
	st->option_functions = iotb_checker_param(cc, RULE_VERIFY_DISABLED, "option_functions");
	st->verify_options = iotb_checker_param(cc, RULE_VERIFY_DISABLED, "verify_options");
	if (iotb_param_require_role(st->mode_functions, "mode", NULL) < 0 ||
	    iotb_param_require_role(st->option_functions, "option", NULL) < 0 ||
	    iotb_param_require_role(st->option_functions, "value", NULL) < 0)
		return -1;
	return 0;
}

static void release(struct iotb_checker_ctx *cc)
{
	free(cc->state);
	cc->state = NULL;
}

/* The const variable e names, when it has an initialiser: that
 * initialiser; else e. */
static CXCursor through_const_var(CXCursor e)
{
	CXCursor var = iotb_expr_referenced_var(e), init;

	if (clang_Cursor_isNull(var) || clang_getCursorKind(var) != CXCursor_VarDecl ||
	    !clang_isConstQualifiedType(clang_getCursorType(var)))
		return e;
	init = clang_Cursor_getVarDeclInitializer(var);
	return clang_Cursor_isNull(init) ? e : iotb_expr_strip(init);
}

/* Integer value of e when the compiler can fold it. */
static bool int_value(CXCursor e, long long *v)
{
	CXEvalResult r;
	bool ok = false;

	if (clang_Cursor_isNull(e))
		return false;
	r = clang_Cursor_Evaluate(e);
	if (r && clang_EvalResult_getKind(r) == CXEval_Int) {
		*v = clang_EvalResult_getAsLongLong(r);
		ok = true;
	}
	if (r)
		clang_EvalResult_dispose(r);
	return ok;
}

/* Does e spell or name one of list's constants?  The spelling counts too
 * when the macro's header was not found. */
static bool names_constant(CXCursor e, const char *written, const struct iotb_param *list)
{
	CXCursor s = iotb_expr_strip(e), ref;
	char *text;
	bool hit;

	if (!list)
		return false;
	ref = clang_getCursorReferenced(s);
	if (!clang_Cursor_isNull(ref) && clang_getCursorKind(ref) == CXCursor_EnumConstantDecl) {
		char *name = iotb_cursor_name(ref);

		hit = iotb_param_match(list, name) != NULL;
		free(name);
		if (hit)
			return true;
	}
	if (written && iotb_param_match(list, written))
		return true;
	text = iotb_cursor_text(s, 60);
	hit = text && iotb_param_match(list, text) != NULL;
	free(text);
	return hit;
}

/* Is the resolved callee the function spec describes?  Its prototype must
 * have a parameter for every role (a project's own function of that name
 * with fewer parameters is not it). */
static bool has_shape(const struct iotb_call *call, const struct iotb_funcspec *spec)
{
	bool variadic = false;
	int n = iotb_function_params(call->callee, &variadic), need = 0;

	for (size_t i = 0; i < spec->nargs; i++)
		if (spec->args[i].index + 1 > need)
			need = spec->args[i].index + 1;
	return n < 0 || variadic || n >= need;
}

/* Argument i of the call as written at the call site (a macro name stays a
 * name).  Owned, or NULL. */
static char *arg_text(const struct iotb_call *call, unsigned i)
{
	char *text = iotb_cursor_text(call->expr, 400), *p, *start, *out = NULL;
	int depth = 0;
	unsigned at = 0;

	p = text ? strchr(text, '(') : NULL;
	for (start = p ? p + 1 : NULL; p && *p; p++) {
		if (*p == '(' || *p == '[' || *p == '{')
			depth++;
		else if (*p == ')' || *p == ']' || *p == '}')
			depth--;
		if ((*p == ',' && depth == 1) || depth == 0) {
			if (at++ == i) {
				out = iotb_xstrndup(start, (size_t)(p - start));
				break;
			}
			start = p + 1;
			if (depth == 0)
				break;
		}
	}
	free(text);
	return out;
}

static void report(struct iotb_checker_ctx *cc, const struct iotb_call *call,
                   const char *message)
{
	struct iotb_finding *f;

	f = iotb_checker_report(cc, RULE_VERIFY_DISABLED, call->expr, "%s%s", message,
				iotb_call_via(call));
	iotb_checker_relate_binding(cc, f, call);
}

/* The enumeration constant e names (owned), or NULL. */
static char *enum_name(CXCursor e)
{
	CXCursor ref = clang_getCursorReferenced(iotb_expr_strip(e));

	if (clang_Cursor_isNull(ref) || clang_getCursorKind(ref) != CXCursor_EnumConstantDecl)
		return NULL;
	return iotb_cursor_name(ref);
}

static void check_mode(struct iotb_checker_ctx *cc, const struct iotb_call *call,
                       const struct iotb_funcspec *spec)
{
	const struct state *st = cc->state;
	unsigned i = (unsigned)iotb_funcspec_arg(spec, "mode");
	CXCursor arg = iotb_call_arg(call, i), mode = through_const_var(arg);
	char *written, *message;
	long long v;

	if (clang_Cursor_isNull(arg))
		return;
	written = arg_text(call, i);
	if (names_constant(mode, written, st->none_constants) ||
	    (int_value(mode, &v) && v == st->none_value)) {
		message = iotb_xasprintf("'%s' switches peer certificate verification off "
					 "(mode '%s')", call->name, written ? written : "?");
		report(cc, call, message);
		free(message);
	}
	free(written);
}

static void check_option(struct iotb_checker_ctx *cc, const struct iotb_call *call,
                         const struct iotb_funcspec *spec)
{
	const struct state *st = cc->state;
	unsigned oi = (unsigned)iotb_funcspec_arg(spec, "option");
	CXCursor opt = iotb_call_arg(call, oi);
	CXCursor val = iotb_call_arg(call, (unsigned)iotb_funcspec_arg(spec, "value"));
	char *name = NULL, *message;
	long long v;

	if (clang_Cursor_isNull(opt) || clang_Cursor_isNull(val))
		return;
	name = enum_name(opt);
	if (!name)
		name = arg_text(call, oi);
	if (names_constant(opt, name, st->verify_options) &&
	    int_value(through_const_var(val), &v) && v == 0) {
		message = iotb_xasprintf("'%s' sets '%s' to 0: the peer's certificate is not "
					 "verified", call->name, name ? name : "?");
		report(cc, call, message);
		free(message);
	}
	free(name);
}

static void on_call(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	const struct state *st = cc->state;
	const struct iotb_call *call = ev->call;
	const struct iotb_funcspec *spec;

	if (!call->name)
		return;
	if ((spec = iotb_param_match(st->mode_functions, call->name)) && has_shape(call, spec))
		check_mode(cc, call, spec);
	else if ((spec = iotb_param_match(st->option_functions, call->name)) &&
		 has_shape(call, spec))
		check_option(cc, call, spec);
}

const struct iotb_checker iotb_checker_tls_verify = {
	.name = "tls_verify",
	.rules = rules,
	.init = init,
	.release = release,
	.on_call = on_call,
};
