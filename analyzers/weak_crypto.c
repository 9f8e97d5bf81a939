/*
 * weak_crypto.c — broken or weak cryptography (27402 5.2.5.1.4; CWE-327,
 * CWE-328): data protected with an algorithm that no longer protects it.
 *
 * crypto.weak-cipher: a call of a function that selects or runs DES, 3DES,
 * RC4 or ECB mode (OpenSSL EVP_des_* / EVP_rc4 / EVP_*_ecb, mbedTLS
 * mbedtls_des_* / mbedtls_arc4_*, wolfSSL wc_Des_* / wc_Arc4*), also
 * through a macro or a function pointer bound in the TU, and a use of an
 * enum constant or macro naming one (MBEDTLS_CIPHER_AES_128_ECB …) in a
 * call, an initialiser (struct initialisers included) or an assignment,
 * and a cipher looked up by a weak name (EVP_get_cipherbyname("rc4"),
 * concatenated literals and macros included).
 *
 * crypto.short-rsa-key: an RSA key generated with a constant size below
 * `min_bits` (RSA_generate_key_ex, EVP_PKEY_CTX_set_rsa_keygen_bits,
 * mbedtls_rsa_gen_key, wc_MakeRsaKey).
 *
 * crypto.weak-hash: MD5 or SHA-1 used for a password or a signature, only
 * with evidence found in the same function: the digest's input has a
 * password-like name, its output is passed to a sign/verify call or to a
 * compare (memcmp/strcmp: a stored hash), or a sign/verify call selects
 * the digest (EVP_sha1(), NID_md5, MBEDTLS_MD_SHA1).  MD5 as a cache key
 * or a checksum is not reported.
 *
 * Known false positives: a file checksum compared with memcmp against an
 * expected value is reported (it is a stored-hash compare); legacy
 * protocols that need DES or RC4 for interoperability (MSCHAPv2, WEP);
 * AES-ECB used as a one-block primitive to build CTR, CCM or key wrap
 * (wpa_supplicant's crypto_openssl.c).
 * Known gaps: digests reached through EVP_DigestInit with EVP_md5() and
 * outputs converted to hex before the compare.
 *
 * YAML (rules/crypto.yaml): crypto.weak-cipher `functions`, `constants`
 * (names, globs; `note` names the algorithm), `by_name_functions` (args
 * {name}), `weak_names` (regexes over the looked-up name); crypto.short-rsa-key
 * `functions` (args {bits}), `min_bits`; crypto.weak-hash
 * `digest_functions` (args {in} and/or {out}), `digest_selectors`
 * (functions returning the digest), `digest_ids` (constants naming it),
 * `sign_functions`, `compare_functions` (names), `password_names`
 * (regexes over the input's variable or field name).
 */
#include <stdlib.h>
#include <string.h>

#include "checker.h"

enum { RULE_CIPHER, RULE_RSA, RULE_HASH };

static const char *const rules[] = {
	"crypto.weak-cipher", "crypto.short-rsa-key", "crypto.weak-hash", NULL,
};

/* A weak digest's output buffer seen in the function. */
struct digest_out {
	CXCursor var;
	CXCursor call;
	char *callee;
};

struct state {
	const struct iotb_param *cipher_functions;
	const struct iotb_param *cipher_constants;
	const struct iotb_param *by_name;
	const struct iotb_param *weak_names;
	const struct iotb_param *rsa_functions;
	long min_bits;
	const struct iotb_param *digests;
	const struct iotb_param *selectors;
	const struct iotb_param *ids;
	const struct iotb_param *signers;
	const struct iotb_param *compares;
	const struct iotb_param *password_names;
	struct digest_out *outs;
	size_t nouts;
};

static int init(struct iotb_checker_ctx *cc)
{
	struct state *st = iotb_xcalloc(1, sizeof(*st));

	cc->state = st;
	st->cipher_functions = iotb_checker_param(cc, RULE_CIPHER, "functions");
	st->cipher_constants = iotb_checker_param(cc, RULE_CIPHER, "constants");
	st->by_name = iotb_checker_param(cc, RULE_CIPHER, "by_name_functions");
	st->weak_names = iotb_checker_param(cc, RULE_CIPHER, "weak_names");
	st->rsa_functions = iotb_checker_param(cc, RULE_RSA, "functions");
	st->min_bits = iotb_param_long(iotb_checker_param(cc, RULE_RSA, "min_bits"), 2048);
	st->digests = iotb_checker_param(cc, RULE_HASH, "digest_functions");
	st->selectors = iotb_checker_param(cc, RULE_HASH, "digest_selectors");
	st->ids = iotb_checker_param(cc, RULE_HASH, "digest_ids");
	st->signers = iotb_checker_param(cc, RULE_HASH, "sign_functions");
	st->compares = iotb_checker_param(cc, RULE_HASH, "compare_functions");
	st->password_names = iotb_checker_param(cc, RULE_HASH, "password_names");
	if (iotb_param_require_role(st->by_name, "name", NULL) < 0 ||
	    iotb_param_require_role(st->rsa_functions, "bits", NULL) < 0 ||
	    iotb_param_require_role(st->digests, "in", "out") < 0)
		return -1;
	return 0;
}

static void forget_function(struct state *st)
{
	for (size_t i = 0; i < st->nouts; i++)
		free(st->outs[i].callee);
	free(st->outs);
	st->outs = NULL;
	st->nouts = 0;
}

static void release(struct iotb_checker_ctx *cc)
{
	struct state *st = cc->state;

	if (st)
		forget_function(st);
	free(st);
	cc->state = NULL;
}

/* "DES" from the entry's note, else "a weak algorithm". */
static const char *algorithm(const struct iotb_funcspec *spec)
{
	return spec->note ? spec->note : "a weak algorithm";
}

/* --- weak ciphers ----------------------------------------------------------------- */

/* Report c when it names an enum constant listed in `constants`. */
static void check_constant_ref(struct iotb_checker_ctx *cc, CXCursor c)
{
	const struct state *st = cc->state;
	const struct iotb_funcspec *spec;
	char *name;

	if (clang_getCursorKind(c) != CXCursor_DeclRefExpr ||
	    clang_getCursorKind(clang_getCursorReferenced(c)) != CXCursor_EnumConstantDecl)
		return;
	name = iotb_cursor_name(c);
	spec = iotb_param_match(st->cipher_constants, name);
	if (spec)
		iotb_checker_report(cc, RULE_CIPHER, c, "'%s' selects %s", name, algorithm(spec));
	free(name);
}

static enum CXChildVisitResult visit_constant(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	check_constant_ref(data, c);
	return CXChildVisit_Recurse;
}

/* Every listed enum constant in expression e (struct initialisers too). */
static void check_constants(struct iotb_checker_ctx *cc, CXCursor e)
{
	const struct state *st = cc->state;

	if (!st->cipher_constants || clang_Cursor_isNull(e))
		return;
	check_constant_ref(cc, e);
	clang_visitChildren(e, visit_constant, cc);
}

/* A cipher looked up by a name (EVP_get_cipherbyname("des-ede3-cbc")). */
static void check_cipher_name(struct iotb_checker_ctx *cc, const struct iotb_call *call)
{
	const struct state *st = cc->state;
	const struct iotb_funcspec *spec = iotb_param_match(st->by_name, call->name);
	const struct iotb_funcspec *weak;
	char *text;
	struct iotb_finding *f;

	if (!spec)
		return;
	text = iotb_expr_literal_text(iotb_call_arg(call, (unsigned)iotb_funcspec_arg(spec, "name")),
				      NULL);
	weak = text ? iotb_param_match(st->weak_names, text) : NULL;
	if (weak) {
		f = iotb_checker_report(cc, RULE_CIPHER, call->expr, "'%s' looks up \"%s\": %s%s",
					call->name, text, algorithm(weak), iotb_call_via(call));
		iotb_checker_relate_binding(cc, f, call);
	}
	free(text);
}

static void check_cipher_call(struct iotb_checker_ctx *cc, const struct iotb_call *call)
{
	const struct state *st = cc->state;
	const struct iotb_funcspec *spec = iotb_param_match(st->cipher_functions, call->name);
	struct iotb_finding *f;

	if (spec) {
		f = iotb_checker_report(cc, RULE_CIPHER, call->expr, "'%s' uses %s%s",
					call->name, algorithm(spec), iotb_call_via(call));
		iotb_checker_relate_binding(cc, f, call);
	}
	check_cipher_name(cc, call);
	for (unsigned i = 0; i < call->nargs; i++)
		check_constants(cc, iotb_call_arg(call, i));
}

/* --- short RSA keys ------------------------------------------------------------------ */

static void check_rsa_call(struct iotb_checker_ctx *cc, const struct iotb_call *call)
{
	const struct state *st = cc->state;
	const struct iotb_funcspec *spec = iotb_param_match(st->rsa_functions, call->name);
	long long bits;
	struct iotb_finding *f;

	if (!spec)
		return;
	bits = iotb_expr_const_value(iotb_call_arg(call, (unsigned)iotb_funcspec_arg(spec, "bits")));
	if (bits <= 0 || bits >= st->min_bits)
		return;
	f = iotb_checker_report(cc, RULE_RSA, call->expr,
				"'%s' generates a %lld-bit RSA key (at least %ld bits needed)%s",
				call->name, bits, st->min_bits, iotb_call_via(call));
	iotb_checker_relate_binding(cc, f, call);
}

/* --- MD5 / SHA-1 for passwords and signatures ---------------------------------------- */

static bool is_password_name(const struct state *st, CXCursor e)
{
	char *name = iotb_expr_lvalue_name(e);
	bool yes = name && iotb_param_match(st->password_names, name);

	free(name);
	return yes;
}

static const struct digest_out *find_out(const struct state *st, CXCursor var)
{
	for (size_t i = 0; i < st->nouts; i++)
		if (clang_equalCursors(st->outs[i].var, var))
			return &st->outs[i];
	return NULL;
}

static void on_digest(struct iotb_checker_ctx *cc, const struct iotb_call *call,
                      const struct iotb_funcspec *spec)
{
	struct state *st = cc->state;
	int in = iotb_funcspec_arg(spec, "in"), out = iotb_funcspec_arg(spec, "out");
	struct iotb_finding *f;

	if (in >= 0 && is_password_name(st, iotb_call_arg(call, (unsigned)in))) {
		char *text = iotb_cursor_text(iotb_call_arg(call, (unsigned)in), 40);

		f = iotb_checker_report(cc, RULE_HASH, call->expr,
					"'%s' hashes the password '%s' with %s%s", call->name,
					text, algorithm(spec), iotb_call_via(call));
		iotb_checker_relate_binding(cc, f, call);
		free(text);
	}
	if (out >= 0) {
		CXCursor var = iotb_expr_buffer_var(iotb_call_arg(call, (unsigned)out));

		if (clang_Cursor_isNull(var) || find_out(st, var))
			return;
		st->outs = iotb_xrealloc(st->outs, (st->nouts + 1) * sizeof(*st->outs));
		st->outs[st->nouts].var = var;
		st->outs[st->nouts].call = call->expr;
		st->outs[st->nouts].callee = iotb_xasprintf("%s' (%s", call->name,
							    algorithm(spec));
		st->nouts++;
	}
}

/* A sign/verify argument selecting a weak digest (EVP_sha1(), NID_md5). */
static bool is_digest_selector(const struct state *st, CXCursor arg, char **what)
{
	CXCursor s = iotb_expr_strip(arg);
	char *text;

	if (clang_getCursorKind(s) == CXCursor_CallExpr) {
		char *name = iotb_cursor_name(s);

		if (name && iotb_param_match(st->selectors, name)) {
			*what = iotb_xasprintf("%s()", name);
			free(name);
			return true;
		}
		free(name);
		return false;
	}
	text = iotb_cursor_text(arg, 60);
	if (text && iotb_param_match(st->ids, text)) {
		*what = text;
		return true;
	}
	free(text);
	return false;
}

static void check_sink(struct iotb_checker_ctx *cc, const struct iotb_call *call, bool sign)
{
	const struct state *st = cc->state;
	struct iotb_finding *f;

	for (unsigned i = 0; i < call->nargs; i++) {
		CXCursor arg = iotb_call_arg(call, i);
		const struct digest_out *o = find_out(st, iotb_expr_buffer_var(arg));
		char *what = NULL;

		if (o) {
			f = iotb_checker_report(cc, RULE_HASH, call->expr,
						"'%s' %s a digest made by '%s)%s", call->name,
						sign ? "signs or verifies" : "compares", o->callee,
						iotb_call_via(call));
			if (f)
				iotb_checker_relate(cc, f, o->call, "digest computed here");
			iotb_checker_relate_binding(cc, f, call);
			return;
		}
		if (sign && is_digest_selector(st, arg, &what)) {
			f = iotb_checker_report(cc, RULE_HASH, call->expr,
						"'%s' signs or verifies with the weak digest '%s'%s",
						call->name, what, iotb_call_via(call));
			iotb_checker_relate_binding(cc, f, call);
			free(what);
			return;
		}
	}
}

/* --- events ------------------------------------------------------------------------------- */

static void on_call(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	const struct state *st = cc->state;
	const struct iotb_call *call = ev->call;
	const struct iotb_funcspec *spec;

	if (!call->name)
		return;
	if (iotb_checker_enabled(cc, RULE_CIPHER))
		check_cipher_call(cc, call);
	if (iotb_checker_enabled(cc, RULE_RSA))
		check_rsa_call(cc, call);
	if (!iotb_checker_enabled(cc, RULE_HASH))
		return;
	if ((spec = iotb_param_match(st->digests, call->name)))
		on_digest(cc, call, spec);
	else if (iotb_param_match(st->signers, call->name))
		check_sink(cc, call, true);
	else if (iotb_param_match(st->compares, call->name))
		check_sink(cc, call, false);
}

static void on_var_decl(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	if (iotb_checker_enabled(cc, RULE_CIPHER))
		check_constants(cc, ev->rhs);
}

static void on_assign(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	if (iotb_checker_enabled(cc, RULE_CIPHER))
		check_constants(cc, ev->rhs);
}

static void on_function_end(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	(void)ev;
	forget_function(cc->state);
}

const struct iotb_checker iotb_checker_weak_crypto = {
	.name = "weak_crypto",
	.rules = rules,
	.init = init,
	.release = release,
	.on_call = on_call,
	.on_var_decl = on_var_decl,
	.on_assign = on_assign,
	.on_function_end = on_function_end,
};
